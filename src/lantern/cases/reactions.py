"""What other apps do when something happens to a case: the one list of follow-on effects.

The service that acts calls the function for its event here after its own writes, inside its transaction
(as Zulip's ``do_*`` actions do): a reaction is part of the action, committed or rolled back with it, and
"what happens when a consent is revoked?" is answered by reading the service and the list below. No model
signal carries a rule (only `lantern.audit` listens to saves, to record them).

Reactions are named by dotted path because the apps that react depend on cases, not the other way round;
one of an app that is not installed is skipped. Code that changes cases in bulk (`QuerySet.update`,
`bulk_create`, fixtures that bypass the services) calls the same functions, or
`lantern.insights.fact_rows.refresh_cases` for the statistics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.utils.module_loading import import_string

# What statistics count about a case changed (the case, a consent, a decision, a stage entry, an erasure):
# rebuild its fact row. Called once at the end of each service that changes one of those.
CASE_COUNTED = ("lantern.insights.fact_rows.refresh_cases",)  # (case_ids)
# A case was closed (`services` moving it to "closed"): schedule the erasure of its personal data.
CASE_CLOSED = ("lantern.records.retention.schedule_closed_case",)  # (case)
# A consent was revoked (`services.revoke_consent`, after `sharing.end_access_resting_on` ended the grants
# tied to it): end the access of what else rests on it — a referral's grant names one of its two consents.
CONSENT_REVOKED = ("lantern.referrals.services.end_access_on_revocation",)  # (consent)
# A case's personal data was erased (`lantern.records.retention.anonymise_case`): erase what other apps
# wrote about it outside the case's own rows (`records.holdings` reaches those), and copy the erasure to the
# ledger file that no restored backup rolls back.
CASE_ERASED = (
    "lantern.dedup.services.erase_review_reasons",
    "lantern.backups.ledger.copy_erasure_to_file",
)  # (case, the `records.ErasureLedger` row)


def _installed(path: str) -> bool:
    # "lantern.<app>.<module>.<function>": the app is the second part.
    return apps.is_installed(".".join(path.split(".")[:2]))


def _run(paths: Iterable[str], *args: Any) -> None:
    for path in paths:
        if _installed(path):
            reaction: Callable[..., object] = import_string(path)
            reaction(*args)


def case_counted(*case_ids: int) -> None:
    """What statistics count changed for these cases: their fact rows are rebuilt now."""
    _run(CASE_COUNTED, set(case_ids))


def case_closed(case: Any) -> None:
    """The case was closed."""
    _run(CASE_CLOSED, case)


def consent_revoked(consent: Any) -> None:
    """The consent was revoked (its own grants already ended)."""
    _run(CONSENT_REVOKED, consent)


def case_erased(case: Any, erasure: Any) -> None:
    """The case's personal data was erased (`erasure`: its row in the erasure ledger)."""
    _run(CASE_ERASED, case, erasure)

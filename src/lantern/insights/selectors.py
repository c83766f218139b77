"""Reading what statistics count: the cases the gate lets the actor count, and their facts, in three queries.

`countable_cases` starts from `gate.visible` (the insights scopes in `policies.py`: the actor's country or
organisation, and only cases whose consent allows inclusion in statistics). `case_facts` reads one row per
case, the decisions and the stage entries — a fixed number of queries however many cases there are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from lantern.authz import gate
from lantern.cases.age import presumed_minor
from lantern.cases.models import Case, CaseEvent, Decision
from lantern.referrals.models import Referral, ReferralStatus

from .facts import CaseFacts, DecisionFact

CASE_COLUMNS = (
    "pk",
    "organisation_id",
    "organisation__type",
    "organisation__country",
    "profile",
    "stage",
    "stage_entered_on",
    "identified_on",
    "referred_on",
    "sex",
    "date_of_birth",
    "estimated_age",
    "appears_minor",
    "age_assessed_on",
    "citizenships",
    "exploitation_forms",
    "exploitation_countries",
    "documents_withheld",
)


def countable_cases(actor: Any, action: str = "insights.view") -> QuerySet[Case]:
    """The cases the actor may count for `action` (insights.view, insights.export, insights.microdata)."""
    return gate.visible(actor, action, Case)


def _codes(value: Any) -> tuple[str, ...]:
    # CountryField(multiple=True) comes out of .values() as "NG,ER" (or a list, depending on the backend).
    if not value:
        return ()
    items = value.split(",") if isinstance(value, str) else value
    return tuple(str(getattr(item, "code", item)).strip().upper() for item in items if str(item).strip())


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int(value: str) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def case_facts(cases: QuerySet[Case]) -> list[CaseFacts]:
    """The facts of every case in `cases` (birth dates decrypted in memory, never shown). Three queries."""
    rows = list(cases.order_by().values(*CASE_COLUMNS))
    ids = [row["pk"] for row in rows]
    decisions: dict[int, list[DecisionFact]] = defaultdict(list)
    entries: dict[int, dict[str, dt.date]] = defaultdict(dict)
    if ids:
        for case_id, stage, outcome, on in (
            Decision.objects.filter(case__in=cases.order_by().values("pk"))
            .order_by("decided_on", "pk")
            .values_list("case_id", "stage", "outcome", "decided_on")
        ):
            decisions[case_id].append(DecisionFact(stage, outcome, on))
        for case_id, stage, on in (
            CaseEvent.objects.filter(case__in=cases.order_by().values("pk"))
            .exclude(to_stage="")
            .order_by("at", "pk")
            .values_list("case_id", "to_stage", "on")
        ):
            entries[case_id].setdefault(stage, on)
    return [
        CaseFacts(
            pk=row["pk"],
            organisation_id=row["organisation_id"],
            organisation_type=row["organisation__type"],
            organisation_country=str(row["organisation__country"] or ""),
            profile=row["profile"],
            stage=row["stage"],
            stage_entered_on=row["stage_entered_on"],
            identified_on=row["identified_on"],
            referred_on=row["referred_on"],
            sex=row["sex"],
            born=_date(row["date_of_birth"]),
            estimated_age=_int(row["estimated_age"]),
            appears_minor=presumed_minor(
                appears_minor=row["appears_minor"], age_assessed=row["age_assessed_on"] is not None
            ),
            citizenships=_codes(row["citizenships"]),
            exploitation_forms=tuple(row["exploitation_forms"] or ()),
            exploitation_countries=_codes(row["exploitation_countries"]),
            documents_withheld=row["documents_withheld"],
            decisions=tuple(decisions.get(row["pk"], ())),
            stage_entries=entries.get(row["pk"], {}),
        )
        for row in rows
    ]


def referral_statuses(case_ids: list[int], cases: QuerySet[Case]) -> list[str]:
    """The status of every sent referral of the given cases (one query; drafts are not referrals yet)."""
    wanted = set(case_ids)
    rows = (
        Referral.objects.filter(case__in=cases.order_by().values("pk"))
        .exclude(status=ReferralStatus.DRAFT)
        .values_list("case_id", "status")
    )
    return [status for case_id, status in rows if case_id in wanted]


def microdata_case_ids(cases: QuerySet[Case]) -> list[int]:
    """The ids of the cases a CTDC export draws on (those whose consent allows statistics)."""
    from lantern.cases.consents import sharing_allowed_q
    from lantern.cases.models import Purpose

    return list(cases.filter(sharing_allowed_q(Purpose.STATISTICS)).values_list("pk", flat=True))

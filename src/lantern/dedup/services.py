"""Every change to the de-duplication: linkage runs, coordinators' decisions on pairs, and the persons.

- :func:`run_linkage` reads the identifying fields of every case (decrypted in this process, written nowhere),
  runs :func:`lantern.linkage.engine.find_links` on them, and stores the pairs by case ids: at or above
  ``upper`` linked automatically, from ``lower`` to ``upper`` in the review queue, within the rules of
  evidence of :func:`lantern.dedup.clusters.proposal`. Human decisions survive every rerun; a rerun on
  unchanged data changes nothing.
- :func:`mark_same_person`, :func:`mark_different_persons` and :func:`undo_decision`: a reviewer's decision on
  a pair (with an optional reason), each one a `PairReview` row (audited) and reversible.
- :func:`refresh_persons` rebuilds `PersonMembership` from the pairs, in the caller's transaction; the three
  decisions and every run call it.
- :func:`export_people_csv`: an organisation's cases in the input format of ``lantern link`` and
  ``lantern pprl encode`` (audited as an export).
"""

from __future__ import annotations

from typing import Any, TextIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.authz import gate
from lantern.cases.models import Case
from lantern.linkage.compare import COMPARISONS, compare_pairs, prepare
from lantern.linkage.engine import find_links
from lantern.records.models import ErasureLedger
from lantern.web import spreadsheets

from .clusters import group_persons, person_keys, proposal
from .identities import CASE_FIELDS, HEADER, IdentityTable, identity_rows, identity_table
from .models import Band, LinkageRun, MatchPair, PairReview, PersonMembership, Verdict

LOWER_THRESHOLD = 0.5
UPPER_THRESHOLD = 0.99
SYSTEM_ACTOR = "dedup"
COMPARED = tuple(comparison.name for comparison in COMPARISONS)


def linkable_cases() -> Any:
    """Every case whose personal data still exists (erased cases have nothing left to compare)."""
    erased = ErasureLedger.objects.values("case_id")
    return Case.objects.exclude(pk__in=erased).only(*CASE_FIELDS).order_by("pk")


Scored = dict[tuple[int, int], tuple[float, dict, str]]
_RANK = {Band.LINKED: 2, Band.REVIEW: 1}


def _score(identities: IdentityTable, lower: float, upper: float, engine: str) -> tuple[Scored, int]:
    """Per case pair, its strongest proposal (probability, agreement levels, band); and how many record
    pairs scored at or above ``lower`` (before the rules of evidence of :func:`clusters.proposal`)."""
    table = identities.table
    if len(table) < 2:
        return {}, 0
    result = find_links(table, threshold=lower, engine=engine)
    if not len(result.left):
        return {}, 0
    levels = compare_pairs(prepare(table), result.left, result.right)
    best: Scored = {}
    for k, (i, j) in enumerate(zip(result.left.tolist(), result.right.tolist(), strict=True)):
        a, b = identities.case_ids[i], identities.case_ids[j]
        if a == b:
            continue  # a case and its own alias
        probability = round(float(result.probability[k]), 6)
        agreement = {name: int(level) for name, level in zip(COMPARED, levels[k], strict=True) if level >= 0}
        band = proposal(probability, agreement, lower, upper)
        if band is None:
            continue
        key = (min(a, b), max(a, b))
        if key not in best or (_RANK[band], probability) > (_RANK[best[key][2]], best[key][0]):
            best[key] = (probability, agreement, band)
    return best, len(result.left)


def run_linkage(
    *,
    actor: Any = None,
    lower: float = LOWER_THRESHOLD,
    upper: float = UPPER_THRESHOLD,
    engine: str = "lantern",
) -> LinkageRun:
    """Link every case against every other and store the pairs; keep every human decision.

    ``actor=None`` is the system (the ``lantern dedup run`` command); a person needs `dedup.run`.
    """
    if actor is not None:
        gate.require(actor, "dedup.run", actor.organisation)
    if not 0 < lower <= upper <= 1:
        raise ValueError("thresholds must satisfy 0 < lower <= upper <= 1")
    started = timezone.now()
    identities = identity_table(linkable_cases().iterator(chunk_size=2000))
    scored, candidates = _score(identities, lower, upper, engine)
    with transaction.atomic():
        run = LinkageRun.objects.create(
            started_at=started,
            started_by=actor,
            engine=engine,
            lower_threshold=lower,
            upper_threshold=upper,
            cases=identities.cases,
            records=len(identities.table),
        )
        counts = _store_pairs(scored, timezone.now())
        persons = refresh_persons(upper=upper)
        run.candidate_pairs = candidates
        run.linked, run.to_review, run.removed = counts
        run.persons = persons
        run.finished_at = timezone.now()
        run.save()
        record(
            AuditRecord.Action.SYSTEM,
            run,
            actor=actor,
            actor_label="" if actor else SYSTEM_ACTOR,
            fields=list(CASE_FIELDS[1:]),
            detail={
                "operation": "dedup_run",
                "cases": run.cases,
                "pairs": run.candidate_pairs,
                "linked": run.linked,
                "to_review": run.to_review,
                "removed": run.removed,
                "persons": run.persons,
            },
        )
    return run


def _store_pairs(scored: Scored, now: Any) -> tuple[int, int, int]:
    """Bring the stored pairs in line with this run: (linked automatically, to review, removed)."""
    existing = {(pair.left_id, pair.right_id): pair for pair in MatchPair.objects.select_for_update()}
    new, changed = [], []
    for key, (probability, agreement, band) in scored.items():
        pair = existing.pop(key, None)
        if pair is None:
            new.append(
                MatchPair(
                    left_id=key[0],
                    right_id=key[1],
                    probability=probability,
                    levels=agreement,
                    band=band,
                    scored_at=now,
                )
            )
        elif (pair.probability, pair.levels, pair.band) != (probability, agreement, band):
            pair.probability, pair.levels, pair.band, pair.scored_at = probability, agreement, band, now
            changed.append(pair)
    # No longer proposed: forgotten, unless a person decided them (their decision stands).
    stale = [pair for pair in existing.values() if not pair.decision]
    MatchPair.objects.filter(pk__in=[pair.pk for pair in stale]).delete()
    for pair in existing.values():
        if pair.decision and pair.band != Band.BELOW:
            pair.band, pair.scored_at = Band.BELOW, now
            changed.append(pair)
    MatchPair.objects.bulk_create(new, batch_size=1000)
    MatchPair.objects.bulk_update(changed, ["probability", "levels", "band", "scored_at"], batch_size=1000)
    bands = [band for _probability, _levels, band in scored.values()]
    return bands.count(Band.LINKED), bands.count(Band.REVIEW), len(stale)


def refresh_persons(*, upper: float | None = None) -> int:
    """Rebuild the person of every case from the pairs; returns the number of persons of two or more cases.

    Runs in the caller's transaction. Keys stay as they were wherever the persons did not change.
    """
    if upper is None:
        last = (
            LinkageRun.objects.order_by("-started_at", "-pk")
            .values_list("upper_threshold", flat=True)
            .first()
        )
        upper = last if last is not None else UPPER_THRESHOLD
    pairs = MatchPair.objects.values_list("left_id", "right_id", "probability", "band", "decision")
    automatic, merged, apart = [], [], []
    for left, right, probability, band, decision in pairs:
        if decision == Verdict.SAME:
            merged.append((left, right))
        elif decision == Verdict.DIFFERENT:
            apart.append((left, right))
        elif band == Band.LINKED:
            automatic.append((left, right, probability))
    grouping = group_persons(automatic, merged, apart, threshold=upper)
    previous = dict(PersonMembership.objects.values_list("case_id", "person_key"))
    keys = person_keys(grouping.groups, previous)
    gone = [case for case, key in previous.items() if keys.get(case) != key]
    PersonMembership.objects.filter(case_id__in=gone).delete()
    PersonMembership.objects.bulk_create(
        [
            PersonMembership(case_id=case, person_key=key)
            for case, key in keys.items()
            if previous.get(case) != key
        ],
        batch_size=1000,
    )
    return len(grouping.groups)


# Decisions on a pair -------------------------------------------------------------------------------------


def _locked(pair: MatchPair) -> MatchPair:
    """The pair's row locked for the rest of the transaction (two reviewers at once: one wins)."""
    return MatchPair.objects.select_for_update().get(pk=pair.pk)


def _review(actor: Any, pair: MatchPair, action: str, reason: str, now: Any) -> None:
    """Keep the decision in the pair's history, audit it (case ids, never the reason) and redo the persons."""
    review = PairReview.objects.create(pair=pair, action=action, reason=reason.strip(), actor=actor, at=now)
    fields = ["decision", "decided_by", "decided_at"] + (["reason"] if review.reason else [])
    record(
        AuditRecord.Action.UPDATE,
        pair,
        actor=actor,
        fields=fields,
        detail={"action": action, "cases": [pair.left_id, pair.right_id], "review": review.pk},
    )
    refresh_persons()


def _decide(actor: Any, pair: MatchPair, verdict: str, reason: str) -> MatchPair:
    gate.require(actor, "dedup.review", pair)
    locked = _locked(pair)
    if locked.decision:
        raise ValidationError(
            _("Someone already decided about this pair. Undo that decision first if it is wrong.")
        )
    now = timezone.now()
    locked.decision, locked.decided_by, locked.decided_at = verdict, actor, now
    locked.save(update_fields=["decision", "decided_by", "decided_at"])
    _review(actor, locked, verdict, reason, now)
    return locked


@transaction.atomic
def mark_same_person(*, actor: Any, pair: MatchPair, reason: str = "") -> MatchPair:
    """The two cases are one person: merged, whatever the linkage says on later runs."""
    return _decide(actor, pair, Verdict.SAME, reason)


@transaction.atomic
def mark_different_persons(*, actor: Any, pair: MatchPair, reason: str = "") -> MatchPair:
    """The two cases are different persons: kept apart, even if other links would join them."""
    return _decide(actor, pair, Verdict.DIFFERENT, reason)


@transaction.atomic
def undo_decision(*, actor: Any, pair: MatchPair, reason: str = "") -> MatchPair:
    """Take back the decision on a pair: the linkage's proposal applies again (review queue or link)."""
    gate.require(actor, "dedup.review", pair)
    locked = _locked(pair)
    if not locked.decision:
        raise ValidationError(_("There is no decision on this pair to undo."))
    now = timezone.now()
    if locked.band == Band.BELOW:
        # The latest run no longer proposes it: without the decision it would not be a pair at all.
        locked.band = Band.REVIEW
    locked.decision, locked.decided_by, locked.decided_at = "", None, None
    locked.save(update_fields=["decision", "decided_by", "decided_at", "band"])
    _review(actor, locked, PairReview.Action.UNDO, reason, now)
    return locked


# Export for the command-line linkage -----------------------------------------------------------------------


def export_people_csv(organisation: Any, out: TextIO, *, actor: Any = None) -> int:
    """Write the organisation's cases as ``lantern link`` / ``lantern pprl encode`` input; returns the rows.

    Record ids are case ids (aliases as ``<case id>/<n>``). Audited as one export of those cases' fields.
    """
    cases = linkable_cases().filter(organisation=organisation)
    writer = spreadsheets.csv_writer(out, lineterminator="\n")  # may be opened in a spreadsheet
    writer.writerow(HEADER)
    exported: list[int] = []
    rows = 0
    for case in cases.iterator(chunk_size=2000):
        for number, row in enumerate(identity_rows(case)):
            writer.writerow([str(case.pk) if number == 0 else f"{case.pk}/{number}", *row])
            rows += 1
        exported.append(case.pk)
    with transaction.atomic():
        record(
            AuditRecord.Action.EXPORT,
            actor=actor,
            actor_label="" if actor else SYSTEM_ACTOR,
            object_type="cases.case",
            object_id="dedup-export",
            organisation_id=organisation.pk,
            fields=list(CASE_FIELDS[1:]),
            detail={"operation": "dedup_export", "ids": exported},
        )
    return rows


def erase_review_reasons(case: Case, erasure: Any = None) -> int:
    """The case's personal data was erased (`cases.reactions.CASE_ERASED`): erase what coordinators wrote
    about its pairs too.

    Retention clears the rows it finds through the case's reverse relations; dedup's models point at cases
    without one (``related_name="+"``: a pair has two cases, and pairs are no part of a case), so it does not
    reach `PairReview.reason`. Pairs and person keys hold no personal data and stay, so that statistics still
    count the person once. Returns how many reasons were cleared.
    """
    return PairReview.objects.filter(Q(pair__left_id=case.pk) | Q(pair__right_id=case.pk)).update(reason="")

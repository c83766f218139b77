"""Reading what statistics count: the fact rows of the cases the gate lets the actor count.

`countable_facts` starts from `gate.visible` on `models.CaseFact` (the insights scopes in `policies.py`: the
actor's country or organisation, and only cases whose consent allows inclusion in statistics);
`fact_columns` and `case_stats` read their categories in one query, with no decryption. `case_facts` reads
the cases themselves (birth dates decrypted in memory) and is only used to build the fact rows
(`fact_rows`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Any

from django.db import connections
from django.db.models import CharField, Count, QuerySet
from django.db.models.functions import Cast

from lantern.authz import gate
from lantern.cases.models import Case, CaseEvent, Decision
from lantern.cases.procedure.age import presumed_minor
from lantern.referrals.models import Referral, ReferralStatus

from .columns import CaseColumns
from .facts import CaseFacts, CaseStats, DecisionFact
from .models import CaseFact

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


def countable_facts(actor: Any, action: str = "insights.view") -> QuerySet[CaseFact]:
    """The fact rows of the cases the actor may count for `action` (the same scope as `countable_cases`)."""
    return gate.visible(actor, action, CaseFact)


STATS_COLUMNS = (
    "case_id",
    "organisation__type",
    "organisation__country",
    "profile",
    "stage",
    "stage_entered_on",
    "registered_on",
    "status",
    "sex",
    "age_known",
    "age_group",
    "age_band",
    "citizenships",
    "exploitation_forms",
    "exploitation_country",
    "documents_withheld",
)
DATE_COLUMNS = ("stage_entered_on", "registered_on")
DECISION_COLUMNS = (
    "preliminary_days",
    "preliminary_met",
    "conclusive_days",
    "conclusive_met",
    "decisions",
)
KEY_COLUMN = "record_key"


@lru_cache(maxsize=8192)
def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


@lru_cache(maxsize=4096)
def _split(codes: str) -> tuple[str, ...]:
    return tuple(codes.split(",")) if codes else ()


@lru_cache(maxsize=4096)
def _outcomes(codes: str) -> tuple[tuple[str, str], ...]:
    return tuple(tuple(code.split(":", 1)) for code in codes.split()) if codes else ()  # type: ignore[misc]


def fact_columns(fact_rows: QuerySet[CaseFact], *, decisions: bool = False) -> CaseColumns:
    """The categories of the fact rows as columns (`columns.CaseColumns`), with the decision columns if
    asked. One query, no object per row."""
    names = STATS_COLUMNS + (DECISION_COLUMNS if decisions else ()) + (KEY_COLUMN,)
    # Dates as text, and the queryset's own SQL run without Django's per-value converters: for 100,000 rows
    # that is hundreds of thousands of parsing calls saved (SQLite stores dates as text and flags as 0/1).
    # Each distinct day is parsed once below; flags stay 0/1 on SQLite (they count and test as booleans do).
    query = fact_rows.order_by().values_list(
        *(Cast(name, CharField()) if name in DATE_COLUMNS else name for name in names)
    )
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    values = list(zip(*rows, strict=True)) if rows else [() for _name in names]
    found = dict(zip(CaseStats._fields, map(list, values[:-1]), strict=False))
    found[KEY_COLUMN] = list(values[-1])
    for name in DATE_COLUMNS:
        found[name] = list(map(_day, found[name]))
    found["citizenships"] = list(map(_split, found["citizenships"]))
    found["exploitation_forms"] = list(map(_split, found["exploitation_forms"]))
    if decisions:
        found["decisions"] = list(map(_outcomes, found["decisions"]))
    return CaseColumns(found)


def case_stats(fact_rows: QuerySet[CaseFact]) -> list[CaseStats]:
    """The categories of every fact row in `fact_rows`, one `CaseStats` each. One query."""
    found = fact_columns(fact_rows)
    return [found.case(i) for i in range(len(found))]


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


def referral_statuses(case_ids: set[int] | None, fact_rows: QuerySet[CaseFact]) -> Counter[tuple[int, str]]:
    """How many sent referrals (drafts are not referrals yet) of each case of `fact_rows` are in each status,
    by (case id, status), only of `case_ids` unless None. One query, counted in SQL."""
    referrals = Referral.objects.filter(case__in=fact_rows.order_by().values("case_id")).exclude(
        status=ReferralStatus.DRAFT
    )
    counted = referrals.values_list("case_id", "status").annotate(n=Count("pk")).order_by()
    return Counter(
        {(case_id, status): n for case_id, status, n in counted if case_ids is None or case_id in case_ids}
    )

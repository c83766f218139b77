"""statistics.py and facts.py on hand-made facts (no database): expectations computed by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lantern.insights import facts, statistics
from lantern.insights.facts import CaseFacts, DecisionFact

D = dt.date


def case(pk: int, **fields: Any) -> CaseFacts:
    defaults: dict[str, Any] = {
        "organisation_id": 1,
        "organisation_type": "ngo",
        "organisation_country": "GR",
        "profile": "uk-style",
        "stage": "referred",
        "stage_entered_on": D(2025, 1, 10),
        "identified_on": D(2025, 1, 6),
    }
    return CaseFacts(pk=pk, **{**defaults, **fields})


@pytest.fixture(autouse=True)
def each_case_its_own_person(monkeypatch: Any) -> None:
    from lantern.dedup import persons

    monkeypatch.setattr(persons, "person_ids", lambda ids: {pk: f"case-{pk}" for pk in ids})


def test_age_bands_follow_ctdc() -> None:
    assert [facts.age_band(a) for a in (0, 8, 9, 17, 18, 20, 29, 30, 47, 48, 90)] == [
        "0--8", "0--8", "9--17", "9--17", "18--20", "18--20", "27--29", "30--38", "39--47", "48+", "48+",
    ]  # fmt: skip
    assert facts.age_band(None) == ""


def test_citizenship_groups_put_nationals_first_then_other_eu() -> None:
    assert facts.citizenship_group(["GR", "NG"], "GR") == facts.REPORTING_COUNTRY
    assert facts.citizenship_group(["NG", "RO"], "GR") == facts.OTHER_EU
    assert facts.citizenship_group(["NG"], "GR") == facts.NON_EU
    assert facts.citizenship_group([], "GR") == facts.UNKNOWN


def test_age_group_uses_the_age_at_registration_and_the_presumption_of_minority() -> None:
    born = D(2008, 6, 1)
    assert case(1, born=born, identified_on=D(2026, 5, 31)).age == 17
    assert case(1, born=born, identified_on=D(2026, 6, 1)).age == 18
    assert facts.age_group(17, False) == facts.CHILD
    assert facts.age_group(None, True) == facts.CHILD
    assert facts.age_group(None, False) == facts.UNKNOWN


def test_decision_kinds_map_appeals_to_what_they_redecide() -> None:
    kinds = facts.decision_kinds("uk-style")
    assert kinds["reasonable_grounds"] == kinds["reasonable_grounds_reconsideration"] == facts.PRELIMINARY
    assert kinds["conclusive_grounds"] == kinds["conclusive_grounds_reconsideration"] == facts.CONCLUSIVE
    assert facts.decision_kinds("greece-style") == {
        "formal_identification": facts.CONCLUSIVE,
        "formal_identification_appeal": facts.CONCLUSIVE,
    }


@pytest.fixture
def shared(monkeypatch: Any) -> None:
    from lantern.dedup import persons

    monkeypatch.setattr(persons, "person_ids", lambda ids: {pk: "p" for pk in ids})


def test_person_row_rules(shared: None) -> None:
    early = case(1, identified_on=D(2024, 12, 1), sex="unknown", citizenships=(), organisation_type="police")
    later = case(
        2,
        identified_on=D(2025, 2, 1),
        sex="male",
        citizenships=("RO",),
        exploitation_forms=("labour", "sexual"),
        decisions=(DecisionFact("conclusive_grounds", "positive", D(2025, 5, 1)),),
    )
    [person] = facts.person_rows([later, early])
    assert person.case_ids == (1, 2)
    assert person.registered_on == D(2024, 12, 1) and person.year == 2024
    assert person.status == facts.IDENTIFIED
    assert person.organisation_type == "police"  # the organisation that registered them first
    assert person.sex == "male"  # first known value
    assert person.citizenship_group == facts.OTHER_EU
    assert person.exploitation_form == "sexual"  # first in the profiles file's order


def rows_for(specs: list[dict[str, Any]]) -> list[facts.PersonRow]:
    return facts.person_rows([case(i + 1, **spec) for i, spec in enumerate(specs)])


def test_count_table_counts_each_person_once_and_adds_up() -> None:
    rows = rows_for(
        [
            {"sex": "female"},
            {"sex": "female", "decisions": (DecisionFact("conclusive_grounds", "positive", D(2025, 3, 1)),)},
            {"sex": "male"},
            {"sex": "unknown"},
        ]
    )
    table = next(t for t in statistics.dimension_tables(rows) if t.id == "sex")
    values = {row.code: row.values for row in table.rows}
    # columns: presumed, identified, total
    assert values["female"] == (1, 1, 2)
    assert values["male"] == (1, 0, 1)
    assert values["other"] == (0, 0, 0)
    assert values["unknown"] == (1, 0, 1)
    assert values["total"] == (3, 1, 4)


def test_eurostat_tables_count_the_year_of_first_registration_and_totals_add_up() -> None:
    rows = rows_for(
        [
            {"identified_on": D(2025, 1, 5), "sex": "female", "born": D(2010, 1, 1)},  # child
            {"identified_on": D(2025, 7, 5), "sex": "male", "born": D(1990, 1, 1), "citizenships": ("GR",)},
            {"identified_on": D(2025, 8, 5), "sex": "female", "estimated_age": 30, "citizenships": ("FR",)},
            {"identified_on": D(2024, 8, 5), "sex": "female"},  # another year
        ]
    )
    tables = {t.id: t for t in statistics.eurostat_tables(rows, 2025)}
    age = {row.code: row.values for row in tables["eurostat_age"].rows}
    # columns: female, male, other, unknown, total
    assert age["child"] == (1, 0, 0, 0, 1)
    assert age["adult"] == (1, 1, 0, 0, 2)
    assert age["total"] == (2, 1, 0, 0, 3)
    citizenship = {row.code: row.values[-1] for row in tables["eurostat_citizenship"].rows}
    assert citizenship == {"reporting_country": 1, "other_eu": 1, "non_eu": 0, "unknown": 1, "total": 3}
    for table in tables.values():
        body_sum = [sum(row.values[i] or 0 for row in table.body) for i in range(len(table.columns))]
        assert list(table.total.values) == body_sum
        assert table.total.values[-1] == 3
        assert all(sum(row.values[:-1]) == row.values[-1] for row in table.rows)


def test_time_to_decision_median_and_deadline_share() -> None:
    # uk-style: reasonable grounds within 5 working days of the referral (Mon 6 Jan 2025 → due Mon 13 Jan).
    referred = D(2025, 1, 6)
    cases = [
        case(
            1,
            referred_on=referred,
            decisions=(DecisionFact("reasonable_grounds", "positive", D(2025, 1, 10)),),
        ),
        case(
            2,
            referred_on=referred,
            decisions=(DecisionFact("reasonable_grounds", "negative", D(2025, 1, 13)),),
        ),
        case(
            3,
            referred_on=referred,
            decisions=(DecisionFact("reasonable_grounds", "positive", D(2025, 1, 20)),),
        ),
        case(
            4, referred_on=None, decisions=(DecisionFact("reasonable_grounds", "positive", D(2025, 1, 20)),)
        ),
    ]
    preliminary, conclusive = statistics.decision_timings(cases)
    assert preliminary.decided == 3
    assert preliminary.median_days == 7.0  # 4, 7, 14 days
    assert (preliminary.with_target, preliminary.within_target) == (3, 2)
    assert conclusive.decided == 0 and conclusive.median_days is None


def test_decision_outcomes_separate_appeals() -> None:
    cases = [
        case(
            1,
            decisions=(
                DecisionFact("reasonable_grounds", "negative", D(2025, 1, 10)),
                DecisionFact("reasonable_grounds_reconsideration", "positive", D(2025, 2, 10)),
            ),
        )
    ]
    table = statistics.decision_outcome_table(cases)
    values = {row.code: row.values for row in table.rows}
    assert values["preliminary"] == (0, 1, 1)
    assert values["appeal"] == (1, 0, 1)
    assert values["total"] == (1, 1, 2)


def test_small_cells_are_hidden_with_a_complementary_cell() -> None:
    table = statistics.Table(
        "t",
        "T",
        "D",
        (("a", "A"), ("b", "B"), ("total", "Total")),
        (
            statistics.TableRow("x", "X", (3, 10, 13)),
            statistics.TableRow("y", "Y", (7, 20, 27)),
            statistics.TableRow("total", "Total", (10, 30, 40)),
        ),
    )
    hidden = statistics.suppress(table)
    assert hidden.rows[0].values[0] == statistics.FEWER  # 3: primary
    # Row x would give 3 back as 13 - 10, column a as 10 - 7: both are hidden too, and so on until safe.
    assert hidden.rows[0].values[1] == statistics.HIDDEN
    assert hidden.rows[1].values[0] == statistics.HIDDEN
    assert hidden.rows[2].values == (10, 30, 40)
    for row in hidden.rows:
        assert sum(not isinstance(v, int) for v in row.values[:-1]) != 1
    for col in range(2):
        assert sum(not isinstance(row.values[col], int) for row in hidden.body) != 1


def test_zeros_and_large_counts_stay_visible() -> None:
    table = statistics.Table(
        "t", "T", "D", (("a", "A"), ("total", "Total")),
        (statistics.TableRow("x", "X", (0, 0)), statistics.TableRow("total", "Total", (0, 0))),
    )  # fmt: skip
    assert statistics.suppress(table).rows == table.rows

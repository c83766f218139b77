"""Names from different scripts and spellings meet in one Latin form."""

from __future__ import annotations

import pytest
import yaml

from lantern.linkage.names import _variants, canonical_name, latin, skeleton


@pytest.mark.parametrize(
    ("spellings", "expected_skeleton"),
    [
        (["Mohammed", "Muhammad", "محمد", "Мухаммад", "MOHAMED"], "mhmd"),
        (["Ahmed", "Ahmad", "أحمد"], "hmd"),
        (["Yusuf", "Youssef", "يوسف"], "sf"),
        (["Hussein", "حسين", "Husayn"], "hsn"),
        (["Fatima", "Fatimah", "فاطمة"], "ftm"),
        (
            [
                "Abdul Rahman",
                "Abdel-Rahman",
                "عبد الرحمن",
                "Abd al-Rahman",
                "Abdelrahman",
                "Abdurrahman",
                "عبدالرحمن",
                "Абдурахман",
            ],
            "bdrhmn",
        ),
        (["Al-Hassan", "El Hassan", "Hassan", "الحسن", "Аль-Хасан"], "hsn"),
        (["Salah al-Din", "Salahuddin", "Salah Eddine", "صلاح الدين"], "slhdn"),
        (["Abdullah", "Abd Allah", "Abdallah", "عبد الله"], "bdl"),
        (["Yohannes", "Yohanes", "ዮሃንስ"], "hns"),
        (["Tesfaye", "Tesfay", "ተስፋዬ"], "tsf"),
        (["Gebre", "Ghebre", "ገብረ"], "gbr"),
        (["Natalia", "Natalya", "Наталья"], "ntl"),
        (["Olga", "Olha", "Ольга"], "lg"),
    ],
)
def test_spellings_of_one_name_share_a_skeleton(spellings, expected_skeleton):
    assert {skeleton(spelling) for spelling in spellings} == {expected_skeleton}


def test_latin_drops_diacritics_apostrophes_and_punctuation():
    assert latin("  Şükrü  O'Neil-Çelik ") == "sukru oneil celik"
    assert latin("Nguyễn") == "nguyen"
    assert latin("") == ""


def test_canonical_name_replaces_known_variants_word_by_word():
    assert canonical_name("Mohamed Ali") == "muhammad ali"
    assert canonical_name("Мохаммед") == "muhammad"


def test_a_name_of_vowels_only_keeps_its_letters():
    assert skeleton("Aya") == "aya"


def test_no_variant_is_listed_under_two_canonical_names():
    from importlib import resources

    table = yaml.safe_load(
        resources.files("lantern.linkage").joinpath("name_variants.yaml").read_text(encoding="utf-8")
    )
    seen: dict[str, str] = {}
    for canonical, variants in table.items():
        for spelling in [canonical, *variants]:
            assert seen.get(spelling, canonical) == canonical, f"{spelling}: {seen[spelling]} and {canonical}"
            seen[spelling] = canonical
    assert len(_variants()) > 200


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Nguyễn Thị Hương", "nguyen huong"),  # Thị marks a woman's middle name; one clerk leaves it out
        ("bin Laden", "laden"),
        ("Van der Berg", "berg"),
        ("Lê", "le"),  # a Vietnamese family name, not the French article
        ("El", "el"),  # a particle alone is kept: it is all there is
        ("Nadine", "nadine"),
    ],
)
def test_particles_are_left_out_of_the_canonical_name(name, canonical):
    assert canonical_name(name) == canonical


def test_word_skeletons_ignore_how_words_are_ordered_and_split():
    from lantern.linkage.names import word_skeletons

    assert word_skeletons("Nguyễn Thị Lan") == word_skeletons("Lan Nguyen")
    assert word_skeletons("Mohammed Ahmed") == ("hmd", "mhmd")

"""The indicator catalogue: the packaged data is complete and consistent; a broken file is refused clearly."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

from lantern.screening.catalogue import (
    DEFAULT_PATH,
    CatalogueError,
    UnknownInstrument,
    load_catalogue,
)

REFERENCE = Path("/work/shared/reference/indicators-ilo-delphi.yaml")
CATALOGUE = load_catalogue()
SIX_DIMENSIONS = [
    "deceptive_recruitment",
    "coercive_recruitment",
    "recruitment_abuse_of_vulnerability",
    "exploitative_conditions",
    "coercion_at_destination",
    "abuse_of_vulnerability_at_destination",
]
FOUR_INSTRUMENTS = {
    ("adult", "labour"): "ilo-adult-labour",
    ("adult", "sexual"): "ilo-adult-sexual",
    ("child", "labour"): "ilo-child-labour",
    ("child", "sexual"): "ilo-child-sexual",
}


def ids_of(data: dict[str, Any]) -> dict[str, Any]:
    """Every id in a parsed catalogue file: dimensions, indicators, instruments and their indicators."""
    return {
        "dimensions": list(data["dimensions"]),
        "indicators": sorted(data["indicators"]),
        "instruments": {
            name: {dimension: sorted(value[dimension]) for dimension in data["dimensions"]}
            for name, value in data["instruments"].items()
        },
    }


# The packaged catalogue -------------------------------------------------------------------------------------


@pytest.mark.skipif(not REFERENCE.exists(), reason="the shared reference file is not on this machine")
def test_the_packaged_copy_has_the_same_ids_as_the_reference() -> None:
    packaged = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    reference = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    assert ids_of(packaged) == ids_of(reference)


def test_there_are_four_instruments_one_per_population_and_exploitation() -> None:
    assert {(i.population, i.exploitation): i.id for i in CATALOGUE.instruments.values()} == FOUR_INSTRUMENTS
    for (population, exploitation), instrument_id in FOUR_INSTRUMENTS.items():
        assert CATALOGUE.instrument_for(population, exploitation) is CATALOGUE.instrument(instrument_id)


@pytest.mark.parametrize("instrument_id", FOUR_INSTRUMENTS.values())
def test_each_instrument_has_all_six_dimensions_in_catalogue_order(instrument_id: str) -> None:
    instrument = CATALOGUE.instrument(instrument_id)
    assert list(instrument.dimensions) == SIX_DIMENSIONS == list(CATALOGUE.dimensions)
    assert all(instrument.dimensions.values()), "a dimension without indicators can never be positive"


def test_every_indicator_an_instrument_names_exists_with_a_label() -> None:
    for instrument in CATALOGUE.instruments.values():
        for dimension, indicators in instrument.dimensions.items():
            for indicator, strength in indicators.items():
                assert CATALOGUE.indicator_labels.get(indicator), (instrument.id, dimension, indicator)
                assert strength in CATALOGUE.strengths


def test_every_listed_indicator_is_used_by_some_instrument() -> None:
    used = set().union(*(i.indicator_ids for i in CATALOGUE.instruments.values()))
    assert set(CATALOGUE.indicator_labels) == used


def test_every_dimension_has_a_label() -> None:
    assert list(CATALOGUE.dimension_labels) == SIX_DIMENSIONS
    assert all(CATALOGUE.dimension_labels.values())


def test_the_rules_are_read_from_the_file() -> None:
    assert [c.as_dict() for c in CATALOGUE.rules.positive_if_any] == [
        {"strong": 2},
        {"strong": 1, "medium_or_weak": 1},
        {"medium": 3},
        {"medium": 2, "weak": 1},
    ]
    adult = CATALOGUE.instrument("ilo-adult-labour")
    child = CATALOGUE.instrument("ilo-child-labour")
    assert adult.verdict_rule == "adult_trafficking_requires_all"
    assert [r.any_of for r in adult.requires_all] == [
        ("deceptive_recruitment", "coercive_recruitment", "recruitment_abuse_of_vulnerability"),
        ("exploitative_conditions",),
        ("coercion_at_destination", "abuse_of_vulnerability_at_destination"),
    ]
    assert [r.any_of for r in child.requires_all] == [r.any_of for r in adult.requires_all][:2]


def test_strengths_marked_check_are_kept_with_their_strength() -> None:
    instrument = CATALOGUE.instrument("ilo-adult-sexual")
    assert "cr.abduction_sale" in instrument.checks
    assert instrument.dimensions["coercive_recruitment"]["cr.abduction_sale"] == "strong"
    assert not CATALOGUE.instrument("ilo-adult-labour").checks


def test_the_catalogue_is_read_only_and_loaded_once() -> None:
    instrument = CATALOGUE.instrument("ilo-adult-labour")
    with pytest.raises(dataclasses.FrozenInstanceError):
        instrument.population = "child"  # type: ignore[misc]
    with pytest.raises(TypeError):
        instrument.dimensions["deceptive_recruitment"]["dr.wages"] = "strong"  # type: ignore[index]
    assert load_catalogue() is CATALOGUE
    assert load_catalogue(DEFAULT_PATH) is CATALOGUE


# Unknown instruments ----------------------------------------------------------------------------------------


def test_an_unknown_instrument_is_a_key_error_listing_the_valid_ids() -> None:
    with pytest.raises(UnknownInstrument) as unknown:
        CATALOGUE.instrument("ilo-adult-begging")
    assert isinstance(unknown.value, KeyError)
    assert unknown.value.valid == list(CATALOGUE.instruments)
    assert str(unknown.value) == (
        "unknown instrument 'ilo-adult-begging'; valid instruments: "
        "ilo-adult-labour, ilo-child-labour, ilo-adult-sexual, ilo-child-sexual"
    )


def test_no_instrument_for_an_unknown_form_of_exploitation() -> None:
    with pytest.raises(UnknownInstrument, match="adult/labour \\(ilo-adult-labour\\)"):
        CATALOGUE.instrument_for("adult", "begging")


# A broken file is refused, naming the place -----------------------------------------------------------------


def packaged_data() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def load_edited(tmp_path: Path, data: dict[str, Any]) -> Any:
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_catalogue(path)


def test_an_unknown_strength_is_refused(tmp_path: Path) -> None:
    data = packaged_data()
    data["instruments"]["ilo-adult-labour"]["deceptive_recruitment"]["dr.wages"] = "very strong"
    with pytest.raises(CatalogueError, match="instruments/ilo-adult-labour/deceptive_recruitment/dr.wages: "):
        load_edited(tmp_path, data)


def test_an_unknown_strength_in_a_check_entry_is_refused(tmp_path: Path) -> None:
    data = packaged_data()
    data["instruments"]["ilo-adult-sexual"]["coercive_recruitment"]["cr.abduction_sale"] = {"strength": "mid"}
    with pytest.raises(CatalogueError, match="unknown strength 'mid'; valid: strong, medium, weak"):
        load_edited(tmp_path, data)


def test_an_indicator_missing_from_the_indicator_list_is_refused(tmp_path: Path) -> None:
    data = packaged_data()
    data["instruments"]["ilo-child-labour"]["exploitative_conditions"]["ex.night_work"] = "medium"
    with pytest.raises(
        CatalogueError, match="ilo-child-labour/exploitative_conditions/ex.night_work: unknown"
    ):
        load_edited(tmp_path, data)


def test_an_unknown_dimension_in_an_instrument_is_refused(tmp_path: Path) -> None:
    data = packaged_data()
    data["instruments"]["ilo-adult-labour"]["coercion_en_route"] = {"cd.violence": "strong"}
    with pytest.raises(
        CatalogueError, match="instruments/ilo-adult-labour/coercion_en_route: unknown dimension"
    ):
        load_edited(tmp_path, data)


def test_an_instrument_without_a_dimension_is_refused(tmp_path: Path) -> None:
    data = packaged_data()
    del data["instruments"]["ilo-child-sexual"]["abuse_of_vulnerability_at_destination"]
    with pytest.raises(
        CatalogueError, match="ilo-child-sexual/abuse_of_vulnerability_at_destination: missing"
    ):
        load_edited(tmp_path, data)


def test_an_indicator_in_two_dimensions_of_one_instrument_is_refused(tmp_path: Path) -> None:
    data = packaged_data()
    data["instruments"]["ilo-adult-labour"]["exploitative_conditions"]["dr.wages"] = "weak"
    with pytest.raises(CatalogueError, match="already listed under deceptive_recruitment"):
        load_edited(tmp_path, data)


def test_an_unknown_dimension_in_a_verdict_rule_is_refused(tmp_path: Path) -> None:
    data = packaged_data()
    data["rules"]["child_trafficking_requires_all"][1]["any_of"] = ["exploitation"]
    with pytest.raises(
        CatalogueError, match=r"rules/child_trafficking_requires_all\[1\]/any_of: unknown dimension"
    ):
        load_edited(tmp_path, data)


def test_an_unknown_strength_in_a_combination_is_refused(tmp_path: Path) -> None:
    data = packaged_data()
    data["rules"]["dimension_positive_if_any"][1] = {"strong": 1, "medium_or_feeble": 1}
    with pytest.raises(
        CatalogueError, match=r"dimension_positive_if_any\[1\]/medium_or_feeble: unknown strength"
    ):
        load_edited(tmp_path, data)


def test_a_misspelt_rule_is_refused_naming_the_valid_rules(tmp_path: Path) -> None:
    data = packaged_data()
    data["rules"]["adult_trafficking_require_all"] = data["rules"].pop("adult_trafficking_requires_all")
    with pytest.raises(CatalogueError, match="unknown rule; valid rules: dimension_positive_if_any, adult_"):
        load_edited(tmp_path, data)


@pytest.mark.parametrize("count", [0, -1, "two", True, 1.5])
def test_a_combination_count_must_be_a_whole_number_of_at_least_one(tmp_path: Path, count: Any) -> None:
    data = packaged_data()
    data["rules"]["dimension_positive_if_any"][0] = {"strong": count}
    with pytest.raises(CatalogueError, match="expected a whole number of at least 1"):
        load_edited(tmp_path, data)


def test_a_check_flag_must_be_true_or_false(tmp_path: Path) -> None:
    data = packaged_data()
    data["instruments"]["ilo-adult-sexual"]["coercive_recruitment"]["cr.abduction_sale"]["check"] = "yes"
    with pytest.raises(CatalogueError, match="cr.abduction_sale/check: expected true or false"):
        load_edited(tmp_path, data)


def test_the_error_names_the_file(tmp_path: Path) -> None:
    data = packaged_data()
    del data["instruments"]
    with pytest.raises(CatalogueError, match="^edited.yaml: instruments: missing section$"):
        load_edited(tmp_path, data)
    assert issubclass(CatalogueError, ValueError)

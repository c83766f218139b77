"""The same linkage through Splink on DuckDB (``lantern link --engine splink``).

Lantern's own engine (:mod:`lantern.linkage.engine`) is the default because it measured faster and more
accurate on FEBRL (see ``bench/linkage.py``). This path keeps Splink one flag away: Splink runs the same model
family (Fellegi–Sunter, EM without labels) on DuckDB here and on Spark for a multi-country hub. Names are
normalised by :mod:`lantern.linkage.names` first, so transliterated spellings compare as in Lantern's engine;
the comparison levels and blocking rules mirror Lantern's, written as Splink SQL.
"""

from __future__ import annotations

import logging

import numpy as np

from lantern.linkage.blocking import _house_numbers
from lantern.linkage.compare import Features, prepare
from lantern.linkage.records import PersonTable


def _column(vocabulary: list[str], codes: np.ndarray) -> list[str | None]:
    return [vocabulary[code] if code >= 0 else None for code in codes.tolist()]


def _splink_table(features: Features, start: int, stop: int):
    import pyarrow as pa

    def ints(values: np.ndarray) -> list[int | None]:
        return [int(value) if value > 0 else None for value in values[start:stop].tolist()]

    year, month, day = features.birth_year, features.birth_month, features.birth_day
    complete = (year > 0) & (month > 0) & (day > 0)
    known_day = (month > 0) & (day > 0)
    md_low = np.where(known_day, np.minimum(month, day), 0)
    md_high = np.where(known_day, np.maximum(month, day), 0)
    names, skeletons = features.names, features.skeletons
    given_skeleton = features.given_skeleton[start:stop]
    family_skeleton = features.family_skeleton[start:stop]
    low = np.where(given_skeleton < family_skeleton, given_skeleton, family_skeleton)
    high = np.where(given_skeleton < family_skeleton, family_skeleton, given_skeleton)
    data = {
        "unique_id": list(range(start, stop)),
        "given_name": _column(names, features.given[start:stop]),
        "family_name": _column(names, features.family[start:stop]),
        "given_skeleton": _column(skeletons, given_skeleton),
        "family_skeleton": _column(skeletons, family_skeleton),
        "names_low": _column(skeletons, low),
        "names_high": _column(skeletons, high),
        "birth_year": ints(year),
        "birth_month": ints(month),
        "birth_day": ints(day),
        "md_low": ints(md_low),
        "md_high": ints(md_high),
        "dob_digits": [
            f"{y:04d}{m:02d}{d:02d}" if ok else None
            for y, m, d, ok in zip(
                year[start:stop].tolist(),
                month[start:stop].tolist(),
                day[start:stop].tolist(),
                complete[start:stop].tolist(),
                strict=True,
            )
        ],
        "house_number": ints(_house_numbers(features)),
    }
    for column, vocabulary in features.fields.items():
        data[column] = _column(vocabulary.values, vocabulary.codes[start:stop])
    return pa.table(data)


def _settings(link_type: str, empty_columns: set[str]):
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    def name_comparison(column: str, other: str, skeleton: str):
        return cl.CustomComparison(
            output_column_name=column,
            comparison_levels=[
                cll.NullLevel(column),
                cll.ExactMatchLevel(column),
                cll.CustomLevel(
                    f'"{column}_l" = "{other}_r"', label_for_charts="crossed with the other name"
                ),
                cll.CustomLevel(f'"{skeleton}_l" = "{skeleton}_r"', label_for_charts="same skeleton"),
                cll.JaroWinklerLevel(column, 0.92),
                cll.JaroWinklerLevel(column, 0.80),
                cll.ElseLevel(),
            ],
        )

    same_year = '"birth_year_l" = "birth_year_r"'
    date_of_birth = cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_levels=[
            cll.NullLevel("birth_year"),
            cll.ExactMatchLevel("dob_digits"),
            cll.CustomLevel(
                f'{same_year} AND coalesce("birth_month_l" = "birth_month_r", true)'
                ' AND coalesce("birth_day_l" = "birth_day_r", true)',
                label_for_charts="agree where both known",
            ),
            cll.CustomLevel(
                f'{same_year} AND "birth_month_l" = "birth_day_r" AND "birth_day_l" = "birth_month_r"',
                label_for_charts="day and month swapped",
            ),
            cll.DamerauLevenshteinLevel("dob_digits", 1),
            cll.CustomLevel(same_year, label_for_charts="same year"),
            cll.ElseLevel(),
        ],
    )
    comparisons = {
        "given_name": name_comparison("given_name", "family_name", "given_skeleton"),
        "family_name": name_comparison("family_name", "given_name", "family_skeleton"),
        "date_of_birth": date_of_birth,
        "sex": cl.ExactMatch("sex"),
        "citizenship": cl.ExactMatch("citizenship"),
        "address": cl.JaroWinklerAtThresholds("address", [0.9, 0.7]),
        "locality": cl.JaroWinklerAtThresholds("locality", [0.9, 0.75]),
        "postcode": cl.DamerauLevenshteinAtThresholds("postcode", [1]),
        "region": cl.ExactMatch("region"),
    }
    date = ("birth_year", "md_low", "md_high")
    blocking_rules = [
        block_on("names_low", "names_high", "birth_year"),
        block_on("names_low", "names_high", "md_low", "md_high"),
        block_on("names_low", "names_high", "postcode"),
        block_on(*date, "given_skeleton"),
        block_on(*date, "family_skeleton"),
        block_on(*date, "postcode"),
        block_on("given_skeleton"),
        block_on("family_skeleton"),
        "l.given_skeleton = r.family_skeleton",
        "l.family_skeleton = r.given_skeleton",
        block_on(*date),
        block_on("postcode", "house_number"),
        block_on("locality", "house_number"),
    ]
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        # A column nobody filled cannot be trained (Splink would warn); leave it out.
        comparisons=[comparison for name, comparison in comparisons.items() if name not in empty_columns],
        blocking_rules_to_generate_predictions=blocking_rules,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def _empty_columns(features: Features) -> set[str]:
    codes = {
        "given_name": features.given,
        "family_name": features.family,
        "date_of_birth": features.birth_year - 1,
    }
    codes.update({column: vocabulary.codes for column, vocabulary in features.fields.items()})
    return {column for column, values in codes.items() if not (values >= 0).any()}


def find_links_with_splink(left: PersonTable, right: PersonTable | None = None, *, threshold: float = 0.5):
    """:func:`lantern.linkage.engine.find_links` computed by Splink (DuckDB backend)."""
    from splink import DuckDBAPI, Linker, block_on

    from lantern.linkage.engine import LinkResult

    features = prepare(left, right)
    db_api = DuckDBAPI()
    tables = [
        db_api.register(_splink_table(features, 0, features.n_left), dataset_display_name="people_left")
    ]
    if right is not None:
        tables.append(
            db_api.register(
                _splink_table(features, features.n_left, features.size), dataset_display_name="people_right"
            )
        )
    linker = Linker(
        tables if right is not None else tables[0],
        _settings("link_only" if right is not None else "dedupe_only", _empty_columns(features)),
        log_level=logging.ERROR,
    )
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "family_name", "dob_digits")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for rule in (block_on("names_low", "names_high"), block_on("birth_year", "md_low", "md_high")):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except ValueError:
            # On a small file EM can drive an m probability to underflow, which Splink refuses; its default
            # m values then stand for that session (Lantern's engine does the same below 1,000 pairs).
            continue
    predictions = linker.inference.predict(threshold_match_probability=threshold).as_pyarrow_table()
    ids_l = np.asarray(predictions.column("unique_id_l").to_numpy(), dtype=np.int64)
    ids_r = np.asarray(predictions.column("unique_id_r").to_numpy(), dtype=np.int64)
    probability = np.asarray(predictions.column("match_probability").to_numpy(), dtype=np.float64)
    low, high = np.minimum(ids_l, ids_r), np.maximum(ids_l, ids_r)
    keep = probability >= threshold
    order = np.lexsort((high[keep], low[keep]))
    offset = 0 if right is None else features.n_left
    return LinkResult(
        left=low[keep][order],
        right=high[keep][order] - offset,
        probability=probability[keep][order],
        n_left=len(left),
        n_right=len(right) if right is not None else 0,
        deduplicating=right is None,
        threshold=threshold,
    )

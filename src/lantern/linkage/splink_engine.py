"""The same linkage through Splink: on DuckDB (``lantern link --engine splink``) or on Apache Spark
(``--engine spark``).

Lantern's own engine (:mod:`lantern.linkage.engine`) is the default because it measured faster and more
accurate on FEBRL (see ``bench/linkage.py``). This path keeps Splink one flag away: Splink runs the same model
family (Fellegi–Sunter, EM without labels) on DuckDB in this process, or on Spark when one machine is not
enough (a multi-country hub). Names are normalised by :mod:`lantern.linkage.names` first, so transliterated
spellings compare as in Lantern's engine; the comparison levels and blocking rules mirror Lantern's, written
as Splink SQL (in DuckDB's dialect; Splink translates them for Spark).

Spark runs in local mode (``local[*]``: every core of this machine) unless ``SPARK_MASTER`` names a cluster
(``spark://host:7077``, ``yarn``...) or ``SPARK_REMOTE`` a Spark Connect server (``sc://host:15002``). Spark
needs pyspark (``pip install 'lantern[spark]'``) and, except through Spark Connect, Java 17 (Debian:
``apt-get install openjdk-17-jre-headless``); :func:`spark_unavailable_reason` says which is missing.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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

    def custom(sql: str, label: str):
        # Written in DuckDB's SQL (double-quoted identifiers); Splink translates it for Spark.
        return cll.CustomLevel(sql, label_for_charts=label, base_dialect_str="duckdb")

    def name_comparison(column: str, other: str, skeleton: str):
        return cl.CustomComparison(
            output_column_name=column,
            comparison_levels=[
                cll.NullLevel(column),
                cll.ExactMatchLevel(column),
                custom(f'"{column}_l" = "{other}_r"', "crossed with the other name"),
                custom(f'"{skeleton}_l" = "{skeleton}_r"', "same skeleton"),
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
            custom(
                f'{same_year} AND coalesce("birth_month_l" = "birth_month_r", true)'
                ' AND coalesce("birth_day_l" = "birth_day_r", true)',
                "agree where both known",
            ),
            custom(
                f'{same_year} AND "birth_month_l" = "birth_day_r" AND "birth_day_l" = "birth_month_r"',
                "day and month swapped",
            ),
            cll.DamerauLevenshteinLevel("dob_digits", 1),
            custom(same_year, "same year"),
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


def spark_unavailable_reason() -> str | None:
    """Why ``--engine spark`` cannot run here (what to install), or None when it can."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return (
            "the spark engine needs pyspark: install Lantern with its spark extra "
            "(pip install -c constraints.txt -e '.[spark]'), or use --engine lantern or splink"
        )
    if os.environ.get("SPARK_REMOTE"):
        return None  # Spark Connect: the JVM runs on the server
    java_home = os.environ.get("JAVA_HOME")
    if shutil.which("java") is None and not (java_home and (Path(java_home) / "bin" / "java").exists()):
        return (
            "the spark engine needs Java 17: install it (Debian/Ubuntu: apt-get install "
            "openjdk-17-jre-headless) or set JAVA_HOME; or set SPARK_REMOTE to a Spark Connect server"
        )
    return None


SMALL_INPUT = 100_000


def _partitions(records: int) -> int:
    """Shuffle partitions: one per 50,000 records (at least 1). Spark's default of 200 makes a small file
    wait on hundreds of tiny tasks; ``LANTERN_SPARK_PARTITIONS`` overrides it (a cluster wants more)."""
    configured = os.environ.get("LANTERN_SPARK_PARTITIONS")
    return int(configured) if configured else max(1, records // 50_000)


@contextmanager
def spark_session(records: int = 0) -> Iterator:
    """A Spark session for Splink: local mode, ``SPARK_MASTER`` or Spark Connect's ``SPARK_REMOTE``.

    Splink's Jaro-Winkler and Damerau-Levenshtein are Scala functions in a jar it ships; the session loads
    it. Intermediate tables are kept in memory (``persist``), or with ``LANTERN_SPARK_CHECKPOINT_DIR`` (a
    folder every node reaches) written there as parquet, which breaks Spark's lineage on big jobs.
    """
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    remote = os.environ.get("SPARK_REMOTE")
    builder = SparkSession.builder.appName("lantern-link")
    if remote:
        builder = builder.remote(remote)
    else:
        builder = (
            builder.master(os.environ.get("SPARK_MASTER", "local[*]"))
            .config("spark.jars", similarity_jar_location())
            .config("spark.driver.memory", os.environ.get("LANTERN_SPARK_DRIVER_MEMORY", "2g"))
            .config("spark.sql.shuffle.partitions", str(_partitions(records)))
            .config("spark.default.parallelism", str(_partitions(records)))
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        )
        if records < SMALL_INPUT:
            # Splink runs hundreds of small queries; on a small input compiling each one (JIT, code
            # generation, adaptive planning) costs more than running it.
            builder = (
                builder.config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
                .config("spark.sql.codegen.wholeStage", "false")
                .config("spark.sql.adaptive.enabled", "false")
            )
    with tempfile.TemporaryDirectory(prefix="lantern-spark-") as scratch:
        spark = builder.getOrCreate()
        try:
            if not remote:
                spark.sparkContext.setLogLevel("ERROR")
                spark.sparkContext.setCheckpointDir(os.environ.get("LANTERN_SPARK_CHECKPOINT_DIR", scratch))
            yield spark
        finally:
            spark.stop()


def find_links_with_splink(
    left: PersonTable, right: PersonTable | None = None, *, threshold: float = 0.5, backend: str = "duckdb"
):
    """:func:`lantern.linkage.engine.find_links` computed by Splink on DuckDB, or on Spark with
    ``backend="spark"``."""
    if backend == "spark":
        records = len(left) + (len(right) if right is not None else 0)
        with spark_session(records) as spark:
            from splink import SparkAPI

            lineage = "parquet" if os.environ.get("LANTERN_SPARK_CHECKPOINT_DIR") else "persist"
            db_api = SparkAPI(
                spark_session=spark,
                break_lineage_method=lineage,
                num_partitions_on_repartition=_partitions(records),
            )
            return _find_links(db_api, left, right, threshold)
    from splink import DuckDBAPI

    return _find_links(DuckDBAPI(), left, right, threshold)


# The least share of true matches a comparison level keeps after training. EM can drive a level it rarely sees
# among matches to m = 0 (on FEBRL4, given names at Jaro-Winkler 0.80-0.92), which makes it a veto: a pair
# with that level is never a match, whatever else agrees (92 true FEBRL4 pairs with the same family name and
# date of birth were lost so). Lantern's own engine keeps m away from 0 too (typical m as a prior).
M_FLOOR = 1e-3


def _with_floored_m(linker, tables):
    """The trained model with every m probability at least :data:`M_FLOOR`, as a new linker on ``tables``."""
    from splink import Linker

    model = linker.misc.save_model_to_json()
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("m_probability") is not None:
                level["m_probability"] = max(level["m_probability"], M_FLOOR)
    return Linker(tables, model, log_level=logging.ERROR)


def _find_links(db_api, left: PersonTable, right: PersonTable | None, threshold: float):
    from splink import Linker, block_on

    from lantern.linkage.engine import LinkResult

    features = prepare(left, right)
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
    linker = _with_floored_m(linker, tables if right is not None else tables[0])
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

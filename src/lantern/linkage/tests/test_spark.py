"""`--engine spark`: the same Splink model on Apache Spark in local mode, and a clear refusal naming what to
install when Spark cannot run here.

The local-mode test starts a JVM (marked ``spark``: ``pytest -m spark`` selects it, ``-m "not spark"`` leaves
it out); ``make test`` installs pyspark and Java 17 for it (``make spark-deps``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from lantern.linkage.cli import link_main
from lantern.linkage.engine import EngineUnavailable, find_links
from lantern.linkage.records import read_people_csv
from lantern.linkage.splink_engine import spark_unavailable_reason


def pairs_of(table, result) -> set[frozenset[str]]:
    rows = zip(result.left.tolist(), result.right.tolist(), strict=True)
    return {frozenset((table.ids[a], table.ids[b])) for a, b in rows}


@pytest.mark.spark
@pytest.mark.skipif(spark_unavailable_reason() is not None, reason=str(spark_unavailable_reason()))
def test_spark_in_local_mode_finds_the_pairs_splink_on_duckdb_finds(people_csv, monkeypatch):
    monkeypatch.delenv("SPARK_MASTER", raising=False)
    monkeypatch.delenv("SPARK_REMOTE", raising=False)
    people = read_people_csv(people_csv)
    on_spark = pairs_of(people, find_links(people, engine="spark"))
    assert {
        frozenset(pair) for pair in (("p2a", "p2c"), ("p3a", "p3c"), ("p4a", "p4b"), ("p1a", "p1b"))
    } <= on_spark
    assert on_spark == pairs_of(people, find_links(people, engine="splink"))


@pytest.fixture
def no_java(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a folder without a java program
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.delenv("SPARK_REMOTE", raising=False)


def test_spark_without_java_is_refused_naming_the_debian_package(people_csv, tmp_path, no_java, capsys):
    pytest.importorskip("pyspark")
    out = tmp_path / "links.csv"
    assert link_main([str(people_csv), "--engine", "spark", "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert "lantern link: error:" in error and "Java 17" in error and "openjdk-17-jre-headless" in error
    assert not out.exists()


def test_spark_without_pyspark_is_refused_naming_the_extra(people_csv, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now raises ImportError
    out = tmp_path / "links.csv"
    assert link_main([str(people_csv), "--engine", "spark", "--out", str(out)]) == 2
    assert "needs pyspark" in capsys.readouterr().err and not out.exists()
    with pytest.raises(EngineUnavailable, match=r"\[spark\]"):
        find_links(read_people_csv(people_csv), engine="spark")

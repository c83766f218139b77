"""`lantern dedup run` and `lantern dedup export`: what they print, write and audit."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lantern.audit.models import AuditRecord
from lantern.dedup.models import LinkageRun
from lantern.linkage.cli import link_main
from lantern.linkage.records import read_people_csv

from .conftest import EXPECTED_PERSONS, PEOPLE

pytestmark = pytest.mark.django_db


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("dedup", *args, stdout=out)
    return out.getvalue()


def test_dedup_run_reports_the_counts_and_is_a_system_operation(people: dict[str, Any]) -> None:
    output = run_command("run")
    run = LinkageRun.objects.get()
    assert f"{len(PEOPLE)} cases" in output and f"{len(EXPECTED_PERSONS)} persons" in output
    assert run.started_by is None and run.upper_threshold == 0.99
    assert AuditRecord.objects.filter(action=AuditRecord.Action.SYSTEM, actor_label="dedup").count() == 1


def test_dedup_run_refuses_thresholds_in_the_wrong_order(people: dict[str, Any]) -> None:
    with pytest.raises(CommandError, match="--lower"):
        run_command("run", "--lower", "0.9", "--upper", "0.6")
    assert not LinkageRun.objects.exists()


def test_export_writes_the_organisations_cases_as_link_input_and_is_audited(
    people: dict[str, Any], personas: Any, tmp_path: Path
) -> None:
    out = tmp_path / "own.csv"
    output = run_command("export", "--organisation", str(personas.own_org.pk), "--out", str(out))
    table = read_people_csv(out)
    own = [key for key, row in PEOPLE.items() if row[0] == "own"]
    assert len(table) == len(own) + 1 and f"{len(table)} records" in output  # Svetlana's alias
    assert str(people["svetlana"].pk) + "/1" in table.ids and str(people["lana"].pk) not in table.ids
    assert "Morozova" in table.column("family_name") and "1990" in out.read_text(encoding="utf-8")
    entry = AuditRecord.objects.get(action=AuditRecord.Action.EXPORT, object_id="dedup-export")
    assert entry.organisation_id == personas.own_org.pk and people["mohammed"].pk in entry.detail["ids"]


def test_an_export_deduplicates_with_the_link_command(
    people: dict[str, Any], personas: Any, tmp_path: Path
) -> None:
    own, links = tmp_path / "own.csv", tmp_path / "links.csv"
    run_command("export", "--organisation", str(personas.own_org.pk), "--out", str(own))
    assert link_main([str(own), "--out", str(links), "--threshold", "0.99"]) == 0
    found = {tuple(line.split(",")[:2]) for line in links.read_text(encoding="utf-8").splitlines()[1:]}
    assert found == {(str(people["mohammed"].pk), str(people["muhammad_age"].pk))}


def test_two_organisations_exports_link_with_the_link_command(
    people: dict[str, Any], personas: Any, tmp_path: Path
) -> None:
    own, other, links = tmp_path / "own.csv", tmp_path / "other.csv", tmp_path / "links.csv"
    run_command("export", "--organisation", str(personas.own_org.pk), "--out", str(own))
    run_command("export", "--organisation", str(personas.other_org.pk), "--out", str(other))
    assert link_main([str(own), str(other), "--out", str(links), "--threshold", "0.99"]) == 0
    found = {tuple(line.split(",")[:2]) for line in links.read_text(encoding="utf-8").splitlines()[1:]}
    assert (str(people["natalia"].pk), str(people["natalia_cyr"].pk)) in found
    assert (str(people["amina"].pk), str(people["blessing"].pk)) not in found


def test_export_names_a_missing_organisation(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no organisation 999999"):
        run_command("export", "--organisation", "999999", "--out", str(tmp_path / "x.csv"))


def test_dedup_run_on_spark_without_java_says_what_to_install(
    people: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pytest.importorskip("pyspark")
    monkeypatch.setenv("PATH", str(tmp_path))  # no java program here
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.delenv("SPARK_REMOTE", raising=False)
    with pytest.raises(CommandError, match="openjdk-17-jre-headless") as raised:
        run_command("run", "--engine", "spark")
    assert raised.value.returncode == 2
    assert not LinkageRun.objects.exists()

"""Copy the whole database to a file and back: SQLite's online backup API, or PostgreSQL's pg_dump custom
format and pg_restore. Both give a consistent snapshot while Lantern keeps running."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.db import connection, transaction


class DatabaseCopyError(Exception):
    pass


def dump_name() -> str:
    return {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[_vendor()]


def dump(path: Path) -> dict[str, int]:
    """Write a consistent copy of the database to `path`; return the row count of each table in that copy."""
    if _vendor() == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
            return {
                table: target.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608 (model tables)  # nosec B608
                for table in _tables()
            }
        finally:
            target.close()
    # Count and dump in one snapshot: pg_dump joins the snapshot this transaction exports.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        counts = row_counts()
        _run(
            [
                _pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={path}",
                *_pg_args(),
            ]
        )
    return counts


def restore(path: Path) -> None:
    """Replace the database's content with the copy in `path` (made by `dump` on the same database kind)."""
    if _vendor() == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    connection.close()  # pg_restore drops and recreates the tables: hold no lock on them
    _run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *_pg_args(dbname_option="--dbname"),
            str(path),
        ]
    )


def row_counts() -> dict[str, int]:
    """Rows per table of every installed model (the manifest's check that a restore is complete)."""
    with connection.cursor() as cursor:
        counts = {}
        for table in _tables():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (names from the models)  # nosec B608
            counts[table] = cursor.fetchone()[0]
    return counts


def _tables() -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def vendor() -> str:
    return _vendor()


def _vendor() -> str:
    if connection.vendor not in ("sqlite", "postgresql"):
        raise DatabaseCopyError(f"backups support SQLite and PostgreSQL, not {connection.vendor}")
    return connection.vendor


def _pg_tool(name: str) -> str:
    bindir = os.environ.get("LANTERN_PG_BINDIR", "")
    candidate = Path(bindir, name) if bindir else None
    if candidate and candidate.exists():
        return str(candidate)
    found = shutil.which(name) or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)), None
    )
    if not found:
        raise DatabaseCopyError(f"{name} not found: install the PostgreSQL client or set LANTERN_PG_BINDIR")
    return found


def _pg_args(dbname_option: str = "--dbname") -> list[str]:
    settings = connection.settings_dict
    args = [f"{dbname_option}={settings['NAME']}"]
    if settings.get("HOST"):
        args.append(f"--host={settings['HOST']}")
    if settings.get("PORT"):
        args.append(f"--port={settings['PORT']}")
    if settings.get("USER"):
        args.append(f"--username={settings['USER']}")
    return args


def _run(command: list[str]) -> None:
    env = {**os.environ}
    if connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]  # not on the command line, where ps shows it
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise DatabaseCopyError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")

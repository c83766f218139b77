"""Web load and soak benchmark: gunicorn (4 workers) on PostgreSQL, N concurrent signed-in clients.

    .venv/bin/python bench/web_load.py [--cases 100000] [--clients 32] [--duration 60] [--think 1.0]
                                       [--roles case_worker:6,nrm_decision_maker:1,service_provider:1]
                                       [--saturation] [--soak MINUTES] [--reuse]

Without DATABASE_URL it re-runs itself under scripts/with-postgres (a throwaway PostgreSQL 15 cluster).
Each client is its own signed-in user (its own session) who reads a page, pauses for a think time drawn
uniformly from 0.5-1.5 x --think seconds, and asks for the next: people at work, not a replay loop. By default
six in eight clients are case workers, one an NRM decision-maker (whose authority holds most referred cases)
and one a service provider's staff (who sees only what was referred): --roles changes the pattern. --think 0
(or --saturation, run after the main measure) removes the pauses to find the capacity of the machine.
Prints p50/p95/p99 per page, requests per second, errors, and the CPU time per request of the gunicorn workers
and of PostgreSQL (from /proc, so other load on the machine does not inflate it); with --soak, the error rate,
p95 drift and memory of each gunicorn worker sampled every minute. Traffic goes to 127.0.0.1 only, and every
loop is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BIN = REPO / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lantern(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(  # noqa: S603
        [str(BIN / "lantern"), *args], env=env, check=True, text=True, capture_output=capture
    )
    return result.stdout if capture else ""


def bench_env(var: Path) -> dict[str, str]:
    """The environment of a benchmark's Lantern: production settings plus the demo app
    (`lantern.settings.bench`) on loopback, files under `var`."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lantern.settings.bench",
        "DJANGO_SECRET_KEY": "bench-" + "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LANTERN_SSL_REDIRECT": "false",
        "LANTERN_SECURE_COOKIES": "false",
        "LANTERN_VAR_DIR": str(var),
        "LANTERN_KEYRING_FILE": str(var / "keyring.json"),
        "LANTERN_LOG_LEVEL": "WARNING",
    }


def create_keyring(env: dict[str, str]) -> None:
    subprocess.run(  # noqa: S603
        [str(BIN / "python"), "-m", "lantern.crypto.keyring", "create", env["LANTERN_KEYRING_FILE"]],
        check=True,
        env=env,
    )


def start_gunicorn(env: dict[str, str], workers: int, stdout: Any = subprocess.DEVNULL) -> tuple[Any, str]:
    """gunicorn with deploy/gunicorn.conf.py on a free loopback port, once it accepts connections:
    (the process, its base URL). Its error log goes to LANTERN_VAR_DIR/gunicorn.log."""
    port = free_port()
    log = Path(env["LANTERN_VAR_DIR"]) / "gunicorn.log"
    server = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "--config",
            str(REPO / "deploy" / "gunicorn.conf.py"),
            "lantern.wsgi:application",
        ],
        env={**env, "LANTERN_BIND": f"127.0.0.1:{port}", "LANTERN_WORKERS": str(workers)},
        stdout=stdout,
        stderr=open(log, "w"),  # noqa: SIM115  (closed when the process ends)
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    print(f"gunicorn log: {log}")
    return server, f"http://127.0.0.1:{port}"


@dataclass
class Page:
    """One kind of request in the mix: a name, a weight and a function giving the next URL."""

    name: str
    weight: int
    url: Callable[[random.Random, dict], str]  # (the client's random source, its login) -> the next URL


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    first_error: str = ""
    app_cpu: float = 0.0
    db_cpu: float = 0.0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def build_mix(ids: dict[str, list[int]], login: dict) -> list[Page]:
    """One client's page mix. Case pages join when the cases app is installed; a case opened is one this
    client's user may open (`bench_users` lists them per login, `bench_ids` for the demo case worker)."""
    mix = [Page("home", 1, lambda r, login: "/")]
    case_ids = login.get("cases") or ids.get("cases") or []
    if case_ids:
        mix += [
            Page("case_list", 4, lambda r, login: f"/cases/?page={r.randint(1, 50)}"),
            Page("case_list_filtered", 2, lambda r, login: f"/cases/?overdue=1&page={r.randint(1, 5)}"),
            Page("case_detail", 4, lambda r, login: f"/cases/{r.choice(case_ids)}/"),
            Page("dashboard", 2, lambda r, login: "/cases/dashboard/"),
        ]
    themes = ids.get("themes") or []
    if themes and login.get("screenings"):  # interviewers open the interviews they started (bench_users)
        mix.append(
            Page(
                "interview_page",
                3,
                lambda r, login: f"/screening/{r.choice(login['screenings'])}/questions/{r.choice(themes)}/",
            )
        )
    return mix


async def sign_in(client, username: str, password: str, secret: str | None) -> None:  # type: ignore[no-untyped-def]
    page = await client.get("/accounts/sign-in/")
    if page.status_code != 200:
        raise RuntimeError(f"sign-in page: HTTP {page.status_code} {page.headers.get('location', '')}")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = await client.post(
        "/accounts/sign-in/", data={"username": username, "password": password, "csrfmiddlewaretoken": token}
    )
    if secret:
        import base64
        import hashlib
        import hmac
        import struct

        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        counter = struct.pack(">Q", int(time.time()) // 30)
        digest = hmac.new(key, counter, hashlib.sha1).digest()
        offset = digest[-1] & 0x0F
        code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
        page = await client.get("/accounts/two-factor/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = await client.post(
            "/accounts/two-factor/", data={"otp_token": f"{code:06d}", "csrfmiddlewaretoken": token}
        )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in of {username} failed: {response.status_code}")


async def client_loop(
    client, login: dict, ids: dict, stats: Stats, until: float, seed: int, think: float
) -> None:  # type: ignore[no-untyped-def]  # noqa: E501
    """One simulated user's loop: a page, a pause to read it, the next page."""
    import httpx

    rng = random.Random(seed)
    mix = build_mix(ids, login)
    weights = [p.weight for p in mix]
    while time.monotonic() < until:
        if think:
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think)
            if time.monotonic() >= until:
                break
        page = rng.choices(mix, weights)[0]
        started = time.perf_counter()
        response = None
        try:
            response = await client.get(page.url(rng, login))
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        elapsed = (time.perf_counter() - started) * 1000
        if ok:
            stats.latencies[page.name].append(elapsed)
        else:
            stats.errors[page.name] += 1
            if not stats.first_error:
                where = response.headers.get("location", "") if response is not None else ""
                stats.first_error = f"{page.name}: {getattr(response, 'status_code', 'no response')} {where}"


def cpu_seconds(pids: list[int], parent: int | None = None) -> float:
    """User + system CPU time of the live processes, plus what `parent` has collected from its ended children
    (so a worker or database backend that ends during a run still counts)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
        if pid == parent:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime: its waited-for children
    return total / ticks


def worker_pids(master_pid: int) -> list[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def postgres_pids() -> tuple[int | None, list[int]]:
    """This benchmark's PostgreSQL: its postmaster (from postmaster.pid) and the postmaster's children."""
    data = os.environ.get("LANTERN_PG_DATA")
    if not data or not Path(data, "postmaster.pid").exists():
        return None, []
    postmaster = int(Path(data, "postmaster.pid").read_text().split()[0])
    return postmaster, [postmaster, *worker_pids(postmaster)]


def worker_rss_mb(master_pid: int) -> list[float]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    pids = children.read_text().split() if children.exists() else []
    sizes = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        if match:
            sizes.append(int(match.group(1)) / 1024)
    return sizes


RESULTS: dict[str, float] = {}


def report(stats: Stats, seconds: float, title: str) -> None:
    total = sum(len(v) for v in stats.latencies.values())
    errors = sum(stats.errors.values())
    print(f"\n{title}: {total} requests in {seconds:.0f} s = {total / seconds:.1f} req/s; errors: {errors}")
    if stats.first_error:
        print(f"  first error: {stats.first_error}")
    print(f"  {'page':<22}{'n':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'errors':>8}")
    if total:
        print(
            f"  CPU per request: gunicorn workers {stats.app_cpu / total * 1000:.1f} ms, "
            f"PostgreSQL {stats.db_cpu / total * 1000:.1f} ms"
        )
    RESULTS.setdefault("case_list_p50", percentile(stats.latencies.get("case_list", []), 50))
    for name in sorted(set(stats.latencies) | set(stats.errors)):
        values = stats.latencies.get(name, [])
        print(
            f"  {name:<22}{len(values):>8}{percentile(values, 50):>10.1f}{percentile(values, 95):>10.1f}"
            f"{percentile(values, 99):>10.1f}{stats.errors.get(name, 0):>8}"
        )


async def drive(args: argparse.Namespace, base: str, logins: list[dict], ids: dict, server_pid: int) -> None:  # type: ignore[type-arg]  # noqa: E501
    """Sign each client in as its own user, warm up, measure, then saturate and soak if asked."""
    import httpx

    clients = [
        httpx.AsyncClient(base_url=base, timeout=30, limits=httpx.Limits(max_connections=1))
        for _ in range(args.clients)
    ]
    try:
        for client, login in zip(clients, logins, strict=True):
            await sign_in(client, login["username"], login["password"], login.get("secret"))

        async def run(seconds: float, think: float) -> Stats:
            stats = Stats()
            until = time.monotonic() + seconds

            def app_total() -> float:
                return cpu_seconds([server_pid, *worker_pids(server_pid)], parent=server_pid)

            def db_total() -> float:
                postmaster, pids = postgres_pids()
                return cpu_seconds(pids, parent=postmaster)

            app_cpu, db_cpu = app_total(), db_total()
            await asyncio.gather(
                *(
                    client_loop(c, login, ids, stats, until, i, think)
                    for i, (c, login) in enumerate(zip(clients, logins, strict=True))
                )
            )
            stats.app_cpu = app_total() - app_cpu
            stats.db_cpu = db_total() - db_cpu
            return stats

        await run(5, args.think)  # warm-up
        stats = await run(args.duration, args.think)
        report(
            stats,
            args.duration,
            f"{args.clients} clients (think {args.think:g} s), {args.workers} workers, {args.cases} cases",
        )
        if args.saturation and args.think:
            saturated = await run(args.duration, 0)
            report(saturated, args.duration, f"saturation: {args.clients} clients without pauses")
        if not args.soak:
            return
        print(f"\nsoak: {args.soak} min; per minute: error rate, p95 of all pages, worker RSS (MB)")
        first_rss = worker_rss_mb(server_pid)
        p95s = []
        for minute in range(args.soak):
            s = await run(60, args.think)
            values = [v for vs in s.latencies.values() for v in vs]
            errors = sum(s.errors.values())
            p95s.append(percentile(values, 95))
            rss = worker_rss_mb(server_pid)
            print(
                f"  min {minute + 1:>3}: errors {errors / max(1, len(values) + errors):.4%}  "
                f"p95 {p95s[-1]:.1f} ms  rss {', '.join(f'{r:.0f}' for r in rss)}"
            )
        last_rss = worker_rss_mb(server_pid)
        print(
            f"soak p95 drift: {p95s[-1] - p95s[0]:+.1f} ms; mean worker RSS "
            f"{statistics.mean(first_rss):.0f} -> {statistics.mean(last_rss):.0f} MB "
            "(gunicorn recycles a worker every ~5000 requests)"
        )
    finally:
        for client in clients:
            await client.aclose()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=int, default=60, help="seconds of measured load")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between pages, seconds")
    parser.add_argument("--saturation", action="store_true", help="then measure again without pauses")
    parser.add_argument(
        "--roles",
        default="case_worker:6,nrm_decision_maker:1,service_provider:1",
        help="the clients' roles, a repeated pattern (lantern bench_users --roles)",
    )
    parser.add_argument("--soak", type=int, default=0, help="minutes of soak after the measured run")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database of DATABASE_URL as it is (seeded before, with the keyring of "
        "LANTERN_KEYRING_FILE and the files of LANTERN_VAR_DIR): migrate, but do not seed again",
    )
    args = parser.parse_args()

    if "DATABASE_URL" not in os.environ:
        wrapper = str(REPO / "scripts" / "with-postgres")
        os.environ.setdefault("LANTERN_PG_DURABLE", "1")  # measure with durable commits, as in production
        os.execv(  # noqa: S606  (re-run this script under a throwaway PostgreSQL)
            wrapper,
            [wrapper, sys.executable, *sys.argv],
        )  # noqa: S606

    var = (
        Path(os.environ["LANTERN_VAR_DIR"]) if args.reuse else Path(tempfile.mkdtemp(prefix="lantern-bench-"))
    )
    env = bench_env(var)
    if not args.reuse:
        create_keyring(env)
    lantern(env, "migrate", "--no-input", "-v", "0")
    lantern(env, "collectstatic", "--no-input", "-v", "0")
    if not args.reuse:
        lantern(env, "demo", capture=True)
    ids: dict[str, list[int]] = {}
    commands = lantern(env, "help", "--commands", capture=True).split()
    if "seed" in commands and not args.reuse:
        started = time.perf_counter()
        lantern(env, "seed", "--cases", str(args.cases))
        print(f"seeded {args.cases} cases in {time.perf_counter() - started:.0f} s")
    if "bench_ids" in commands:
        ids = json.loads(lantern(env, "bench_ids", capture=True))
    if "bench_users" in commands:
        logins = json.loads(
            lantern(env, "bench_users", str(args.clients), "--roles", args.roles, capture=True)
        )
    else:  # no cases app: every client signs in as the statistics viewer, who needs no TOTP code
        logins = [{"username": "statistics", "password": "lantern-demo-2026"}] * args.clients
    server, base = start_gunicorn(env, args.workers)
    try:
        roles = ", ".join(
            f"{n} {role}" for role, n in Counter(login.get("role", "?") for login in logins).items()
        )
        print(f"clients: {roles}")
        asyncio.run(drive(args, base, logins, ids, server.pid))
        if ids.get("cases"):
            sql = json.loads(lantern(env, "bench_sql", capture=True))["case_list_sql_ms"]
            print(f"\ncase list: raw SQL alone (page + count) median {sql:.1f} ms")
            RESULTS["sql_ms"] = sql
            if RESULTS.get("case_list_p50"):
                print(f"case list page p50 / raw SQL = {RESULTS['case_list_p50'] / sql:.1f}x")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())

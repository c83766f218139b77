"""No lost work across a database restart: a burst of real form posts while PostgreSQL stops and starts again.

    .venv/bin/python bench/faults.py [--clients 8] [--outage-at 3] [--outage 5] [--after 5]
                                     [--retries 5]

Without DATABASE_URL it re-runs itself under scripts/with-postgres (a throwaway PostgreSQL 15 cluster).
It seeds a few cases, starts gunicorn (4 workers) and signs in N case workers. Each sends a burst of form
posts as a browser would (GET the form, POST it with the form's own idempotency key and CSRF token): a
screening start, a case edit and a referral, in turn, each carrying a unique marker. --outage-at seconds
into the burst it stops PostgreSQL (``pg_ctl stop -m fast``) and starts it again --outage seconds later.
A client that gets the "Not saved" page (503) sends the page's own form again (same key, same values) up
to --retries times.

At the end every submission is checked against the database:
- committed: the marker is there exactly once, with its audit record (nothing half-written);
- refused: the last answer was the 503 "Not saved" page and the marker is absent (the user was told);
- lost: the server answered 2xx/3xx but the marker is absent, or appears twice, or without its audit record;
  or no clear answer at all and the marker absent.
Prints submitted / committed / refused / lost and exits 1 when lost > 0. Traffic goes to 127.0.0.1 only and
every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web_load import BIN, REPO, bench_env, create_keyring, lantern, sign_in, start_gunicorn  # noqa: E402

NOT_SAVED = "data-kept-input"  # the marker attribute of the "Not saved" page's list of kept input


class FormReader(HTMLParser):
    """The values a browser would send for each POST form of a page (defaults, checked boxes, selections)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []  # {"action": str, "fields": [(name, value)], "choices": {name: [values]}}
        self._form: dict | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = {"action": a.get("action", ""), "fields": [], "choices": {}}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                self._form["choices"].setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    self._form["fields"].append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                self._form["fields"].append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if value:
                self._form["choices"].setdefault(self._select, []).append(value)
            if self._select_first is None and value:
                self._select_first = value
            if "selected" in a and value:
                self._form["fields"].append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None and self._form is not None:
                self._form["fields"].append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea and self._form is not None:
            self._form["fields"].append((self._textarea, self._text.strip("\n")))
            self._textarea = None


def post_form(page: str, must_have: str) -> dict | None:
    """The POST form of `page` that has a field named `must_have`."""
    reader = FormReader()
    reader.feed(page)
    for form in reader.forms:
        names = {name for name, _ in form["fields"]} | set(form["choices"])
        if must_have in names:
            return form
    return None


def as_form_data(values: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in values:
        data.setdefault(name, []).append(value)
    return data


@dataclass
class Submission:
    kind: str  # screening_start | case_edit | referral
    marker: str
    target: int | None = None  # the case edited or referred
    answers: list[str] = field(default_factory=list)  # e.g. "302", "503", "error"
    sent: bool = False  # a POST left the client at least once
    problem: str = ""  # the error summary when the form came back with errors

    @property
    def last(self) -> str:
        return self.answers[-1] if self.answers else "none"


@dataclass
class Tally:
    submissions: list[Submission] = field(default_factory=list)
    page_failures: int = 0  # GETs of a form that failed during the outage (retried; not submissions)
    never_loaded: list[str] = field(default_factory=list)  # forms that did not load in 20 s (not submitted)


def form_url(sub: Submission) -> tuple[str, str]:
    """(the form page, the field that carries the marker)."""
    if sub.kind == "screening_start":
        return "/screening/start/", "person_reference"
    if sub.kind == "case_edit":
        return f"/cases/{sub.target}/record/background/", "interpreter_notes"
    return f"/referrals/case/{sub.target}/new/", "message"


async def fetch_form(client, sub: Submission, marker_field: str, url: str, tally: Tally, rng):  # type: ignore[no-untyped-def]  # noqa: E501
    """GET the form page until it comes (the database may be down), then fill in the marker."""
    import httpx

    last = ""
    for _attempt in range(40):
        try:
            page = await client.get(url)
        except httpx.HTTPError:
            page = None
        if page is not None and page.status_code in (403, 404):
            return None  # not this user's to change (e.g. a closed case): the client picks another
        if page is not None and page.status_code == 200:
            form = post_form(page.text, marker_field)
            if form is None:
                raise RuntimeError(f"{url}: no form with {marker_field}")
            values = [(n, v) for n, v in form["fields"] if n != marker_field]
            values.append((marker_field, sub.marker))
            if sub.kind == "referral":
                offers = form["choices"].get("offer") or []
                values = [(n, v) for n, v in values if n != "offer"] + [("offer", rng.choice(offers))]
                if not any(n == "field_groups" for n, _ in values):
                    values.append(("field_groups", "identity"))
            return values
        tally.page_failures += 1
        last = f"{page.status_code} {page.headers.get('location', '')}" if page is not None else "no answer"
        await asyncio.sleep(0.5)
    tally.never_loaded.append(f"{url}: {last}")
    return None  # never shown to the user: nothing was submitted


async def submit(client, sub: Submission, tally: Tally, retries: int, rng) -> bool:  # type: ignore[no-untyped-def]  # noqa: E501
    """One submission: the form, the POST, and on "Not saved" the page's own form again (same key)."""
    import httpx

    url, marker_field = form_url(sub)
    values = await fetch_form(client, sub, marker_field, url, tally, rng)
    if values is None:
        return False
    tally.submissions.append(sub)
    await asyncio.sleep(rng.uniform(0.3, 1.5))  # filling the form in: the database may go away meanwhile
    for attempt in range(retries + 1):
        try:
            response = await client.post(url, data=as_form_data(values))
            sub.sent = True
            answer = str(response.status_code)
        except httpx.HTTPError as exc:
            sub.sent = True  # it may have reached the server: send again with the same key
            response, answer = None, f"error:{type(exc).__name__}"
        sub.answers.append(answer)
        if response is not None and response.status_code < 400 and response.status_code != 200:
            return True  # a redirect: where a saved form goes next
        if response is not None and response.status_code != 503:
            if "error-summary" in response.text:  # the form again, with what to correct: not retried
                sub.answers[-1] = "invalid"
                sub.problem = re.sub(
                    r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text.split("error-summary", 1)[1])
                )[:160]
            return True  # a validation error or a server error: checked at the end
        if attempt == retries:
            return True
        await asyncio.sleep(rng.uniform(0.8, 1.6))
        if response is not None and NOT_SAVED in response.text:
            again = post_form(response.text, "idempotency_key") or post_form(response.text, marker_field)
            if again is not None:  # "Send again": the page's own form, a fresh CSRF token, the same key
                values = again["fields"]
                continue
        # No form to send again (the failure came before the session was read): reload it for a fresh
        # CSRF token and send the same values and key.
        fresh = await fetch_form(client, sub, marker_field, url, tally, rng) or []
        token = [v for n, v in fresh if n == "csrfmiddlewaretoken"]
        values = [(n, v) for n, v in values if n != "csrfmiddlewaretoken"] + [
            ("csrfmiddlewaretoken", t) for t in token
        ]


async def client_burst(
    client,
    client_no: int,
    cases: tuple[list[int], list[int]],
    tally: Tally,
    args: argparse.Namespace,
    until: float,
) -> None:  # type: ignore[no-untyped-def]
    """One user sending forms one after another, with a short pause, until `until` (or --per-client posts)."""
    rng = random.Random(client_no)
    for n in range(args.per_client):
        if time.monotonic() >= until:
            return
        sub = next_submission(client_no, n, *cases)
        await submit(client, sub, tally, args.retries, rng)
        await asyncio.sleep(rng.uniform(0.1, 0.4))


def pg_ctl(*args: str) -> None:
    """Run pg_ctl on this benchmark's cluster, as the user that owns it."""
    data = os.environ["LANTERN_PG_DATA"]
    runas = ["runuser", "-u", "nobody", "--"] if os.getuid() == 0 else []
    subprocess.run(  # noqa: S603
        [*runas, str(Path(os.environ["LANTERN_PG_BINDIR"]) / "pg_ctl"), "-D", data, *args],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def server_options() -> str:
    """The options the cluster was started with (postmaster.opts), without the data directory."""
    words = shlex.split(Path(os.environ["LANTERN_PG_DATA"], "postmaster.opts").read_text())[1:]
    kept, skip = [], False
    for word in words:
        if skip:
            skip = False
        elif word == "-D":
            skip = True
        else:
            kept.append(word)
    return shlex.join(kept)


async def outage(at: float, seconds: float, log: list[str]) -> None:
    """Stop PostgreSQL `at` seconds into the burst and start it again `seconds` later."""
    options = server_options()
    logfile = str(Path(os.environ["LANTERN_PG_DATA"]).parent / "server.log")
    await asyncio.sleep(at)
    started = time.monotonic()
    await asyncio.to_thread(pg_ctl, "stop", "-m", "fast", "-w")
    log.append(f"PostgreSQL stopped (pg_ctl stop -m fast) at {at:.1f} s")
    await asyncio.sleep(seconds)
    await asyncio.to_thread(pg_ctl, "start", "-w", "-t", "60", "-l", logfile, "-o", options)
    log.append(f"PostgreSQL started again after {time.monotonic() - started:.1f} s down")


VERIFY = r"""
import json, sys
import django
django.setup()
from lantern.audit.models import AuditRecord
from lantern.cases.models import Case
from lantern.referrals.models import Referral
from lantern.screening.models import Screening

wanted = json.load(open(sys.argv[1]))
users = wanted["users"]

def audited(obj, action):
    label = obj._meta.label_lower
    return AuditRecord.objects.filter(object_type=label, object_id=str(obj.pk), action=action).exists()

found = {}
for s in Screening.objects.filter(created_by__username__in=users):
    found.setdefault(s.person_reference, []).append(audited(s, "create"))
for r in Referral.objects.filter(created_by__username__in=users):
    found.setdefault(r.message, []).append(audited(r, "create"))
for c in Case.objects.filter(pk__in=wanted["cases"]):
    if c.interpreter_notes:
        found.setdefault(c.interpreter_notes, []).append(audited(c, "update"))
print(json.dumps({m: found.get(m, []) for m in wanted["markers"]}))
"""


OPEN_CASES = r"""
import json, sys
import django
django.setup()
from lantern.cases.models import Case
ids = json.loads(sys.argv[1])
print(json.dumps(list(Case.objects.filter(pk__in=ids).exclude(stage="closed").values_list("pk", flat=True))))
"""


def open_cases(env: dict[str, str], ids: list[int]) -> list[int]:
    result = subprocess.run(  # noqa: S603
        [str(BIN / "python"), "-c", OPEN_CASES, json.dumps(ids)],
        env=env,
        check=True,
        text=True,
        capture_output=True,
    )
    return json.loads(result.stdout)


def check(env: dict[str, str], tally: Tally, users: list[str], var: Path) -> dict[str, list[bool]]:
    """For each marker: one entry per row carrying it, True when the row has its audit record."""
    wanted = {
        "users": users,
        "markers": [s.marker for s in tally.submissions],
        "cases": sorted({s.target for s in tally.submissions if s.kind == "case_edit"}),
    }
    path = var / "markers.json"
    path.write_text(json.dumps(wanted))
    result = subprocess.run(  # noqa: S603
        [str(BIN / "python"), "-c", VERIFY, str(path)], env=env, check=True, text=True, capture_output=True
    )
    return json.loads(result.stdout)


def classify(sub: Submission, rows: list[bool]) -> str:
    if len(rows) == 1 and rows[0]:
        return "committed"
    if rows:
        return "lost"  # twice, or without its audit record: half-written
    if sub.last == "503":
        return "refused"
    if sub.last == "invalid":
        return "invalid"  # the form came back with an error to correct (e.g. the service is full)
    return "lost"  # the server said yes (2xx/3xx), or never answered clearly, and nothing is there


def next_submission(client_no: int, n: int, free_cases: list[int], case_ids: list[int]) -> Submission:
    """The client's n-th form post: screening start, case edit and referral in turn, with a unique marker."""
    kind = ("screening_start", "case_edit", "referral")[(n + client_no) % 3]
    marker = f"fault-{client_no:02d}-{n:03d}-{uuid.uuid4().hex[:8]}"
    if kind == "case_edit" and not free_cases:
        kind = "referral"
    if kind == "case_edit":  # each edit has a case of its own: a later edit would overwrite the marker
        return Submission(kind, marker, free_cases.pop())
    return Submission(kind, marker, random.choice(case_ids) if kind == "referral" else None)  # noqa: S311


async def drive(
    args: argparse.Namespace, base: str, logins: list[dict], case_ids: list[int]
) -> tuple[Tally, list[str]]:  # noqa: E501
    import httpx

    tally, log = Tally(), []
    clients = [
        httpx.AsyncClient(base_url=base, timeout=30, limits=httpx.Limits(max_connections=1))
        for _ in range(args.clients)
    ]
    try:
        for client, login in zip(clients, logins, strict=True):
            await sign_in(client, login["username"], login["password"], login.get("secret"))
        free_cases = list(case_ids)
        started = time.monotonic()
        until = started + args.outage_at + args.outage + args.after
        await asyncio.gather(
            outage(args.outage_at, args.outage, log),
            *(client_burst(c, i, (free_cases, case_ids), tally, args, until) for i, c in enumerate(clients)),
        )
        log.append(f"burst over after {time.monotonic() - started:.1f} s")
    finally:
        for client in clients:
            await client.aclose()
    return tally, log


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--per-client", type=int, default=200, help="at most this many posts per client")
    parser.add_argument("--after", type=float, default=5.0, help="seconds of burst after the restart")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--cases", type=int, default=300, help="cases to seed")
    parser.add_argument("--outage-at", type=float, default=3.0, help="seconds into the burst")
    parser.add_argument("--outage", type=float, default=5.0, help="seconds PostgreSQL stays down")
    parser.add_argument("--retries", type=int, default=5, help="sends again after a 'Not saved' page")
    args = parser.parse_args()

    if "DATABASE_URL" not in os.environ:
        wrapper = str(REPO / "scripts" / "with-postgres")
        os.execv(wrapper, [wrapper, sys.executable, *sys.argv])  # noqa: S606  (re-run under a throwaway cluster)

    var = Path(tempfile.mkdtemp(prefix="lantern-faults-"))
    env = bench_env(var)
    create_keyring(env)
    lantern(env, "migrate", "--no-input", "-v", "0")
    lantern(env, "collectstatic", "--no-input", "-v", "0")
    lantern(env, "demo", capture=True)
    lantern(env, "seed", "--cases", str(args.cases))
    visible = json.loads(lantern(env, "bench_ids", capture=True))["cases"]
    case_ids = open_cases(env, visible)  # a closed case cannot be edited or referred
    logins = json.loads(lantern(env, "bench_users", str(args.clients), capture=True))
    server, base = start_gunicorn(env, args.workers, stdout=open(var / "access.log", "w"))  # noqa: SIM115
    try:
        tally, log = asyncio.run(drive(args, base, logins, case_ids))
    finally:
        server.terminate()
        server.wait(timeout=30)
    for line in log:
        print(line)
    found = check(env, tally, [login["username"] for login in logins], var)
    outcome: dict[str, int] = {"committed": 0, "refused": 0, "invalid": 0, "lost": 0}
    by_kind: dict[str, dict[str, int]] = {}
    answers: dict[str, int] = {}
    for sub in tally.submissions:
        verdict = classify(sub, found.get(sub.marker, []))
        outcome[verdict] += 1
        by_kind.setdefault(sub.kind, dict.fromkeys(outcome, 0))[verdict] += 1
        for answer in sub.answers:
            answers[answer] = answers.get(answer, 0) + 1
        if verdict in ("lost", "invalid"):
            print(
                f"  {verdict.upper()} {sub.kind} {sub.marker} target={sub.target} answers={sub.answers} "
                f"rows={found.get(sub.marker)} {sub.problem}"
            )
    retried = sum(1 for s in tally.submissions if len(s.answers) > 1)
    print(
        f"\n{args.clients} clients, {args.workers} workers, "
        f"PostgreSQL down {args.outage:g} s from {args.outage_at:g} s, up to {args.retries} retries"
    )
    print(
        f"submitted {len(tally.submissions)} / committed {outcome['committed']} / "
        f"refused-with-message {outcome['refused']} / lost {outcome['lost']}"
        f" (and {outcome['invalid']} shown again with a validation error to correct)"
    )
    for kind, counts in sorted(by_kind.items()):
        print(
            f"  {kind:<16} committed {counts['committed']:>4}  refused {counts['refused']:>4}  "
            f"invalid {counts['invalid']:>4}  lost {counts['lost']:>4}"
        )
    print(f"  answers to POSTs: {dict(sorted(answers.items()))}; submissions sent more than once: {retried}")
    print(f"  form pages that failed to load during the outage (reloaded): {tally.page_failures}")
    if tally.never_loaded:
        print(f"  form pages that never loaded (not submitted): {tally.never_loaded}")
    return 1 if outcome["lost"] else 0


if __name__ == "__main__":
    sys.exit(main())

"""Turning a case into what a page shows: summary rows per field group, timeline rows, deadline wording.

Only the field groups the gate grants are ever passed in; labels from data files go through gettext at
run time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .fields import (
    EXPLOITATION_LABELS,
    FIELD_GROUPS,
    FIELDS_BY_NAME,
    GROUP_TITLES,
    SECTION_GROUPS,
    SECTIONS,
)
from .models import Case, CaseEvent, Purpose
from .procedure import deadlines
from .procedure.profiles import Profile


def stage_label(profile: Profile, stage_id: str) -> str:
    if not stage_id or not profile.has_stage(stage_id):
        return stage_id
    return _(profile.stage(stage_id).label)


def _display(case: Case, name: str) -> str:
    value = getattr(case, name)
    if name == "date_of_birth":
        value = case.birth_date
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.date):
        return date_format(value, "DATE_FORMAT")
    if name == "exploitation_forms":
        return ", ".join(str(EXPLOITATION_LABELS.get(v, v)) for v in value)
    if name in ("citizenships", "recruitment_countries", "exploitation_countries"):
        return ", ".join(c.name for c in value)
    if name == "languages":
        return ", ".join(value)
    display = getattr(case, f"get_{name}_display", None)
    if display is not None:
        return str(display())
    return "" if value is None else str(value)


@dataclass(frozen=True)
class SummaryGroup:
    id: str
    title: Any
    rows: list[tuple[Any, str]]


def summary(case: Case, groups: frozenset[str]) -> list[SummaryGroup]:
    """The record's fields, grouped, for the groups the actor may see."""
    found = []
    for group, names in FIELD_GROUPS.items():
        if group not in groups or not names:
            continue
        rows = [(Case._meta.get_field(name).verbose_name, _display(case, name)) for name in names]
        found.append(SummaryGroup(group, GROUP_TITLES[group], rows))
    return found


@dataclass(frozen=True)
class Task:
    id: str
    title: Any
    completed: bool
    started: bool = False  # some of its fields are filled in, the section not marked completed


def _filled(case: Case, name: str) -> bool:
    """Entered by someone: not empty and not the value a new case starts with (a risk "unknown")."""
    value = getattr(case, name, None)
    return value not in (None, "", [], (), False) and value != getattr(
        FIELDS_BY_NAME.get(name), "initial", None
    )


def task_list(case: Case, groups: frozenset[str]) -> list[Task]:
    return [
        Task(s.id, s.title, s.id in case.sections_completed, any(_filled(case, n) for n in s.fields))
        for s in SECTIONS
        if SECTION_GROUPS[s.id] <= groups
    ]


@dataclass(frozen=True)
class TimelineRow:
    on: dt.date
    at: dt.datetime
    title: str
    detail: str
    actor: str
    note: str


def timeline_rows(case: Case, events: list[CaseEvent], *, with_notes: bool) -> list[TimelineRow]:
    profile = case.nrm_profile
    rows = []
    for event in events:
        detail = ""
        if event.to_stage and event.kind != CaseEvent.Kind.CREATED:
            detail = _("%(source)s → %(target)s") % {
                "source": stage_label(profile, event.from_stage),
                "target": stage_label(profile, event.to_stage),
            }
        elif event.kind == CaseEvent.Kind.UPDATED and event.detail.get("fields"):
            detail = _("%(count)s fields changed") % {"count": len(event.detail["fields"])}
        if event.kind == CaseEvent.Kind.DECISION:
            outcome = _("positive") if event.detail.get("outcome") == "positive" else _("negative")
            detail = _("%(outcome)s: %(move)s") % {"outcome": outcome, "move": detail}
        if event.kind in (CaseEvent.Kind.CONSENT_GIVEN, CaseEvent.Kind.CONSENT_REVOKED):
            detail = str(Purpose(event.detail["purpose"]).label) if event.detail.get("purpose") else ""
        rows.append(
            TimelineRow(
                on=event.on,
                at=event.at,
                title=event.get_kind_display(),
                detail=detail,
                actor=(event.actor.get_full_name() or event.actor.username) if event.actor else "",
                note=event.note if with_notes else "",
            )
        )
    return rows


def due_wording(profile: Profile, item: deadlines.DueItem) -> str:
    label = stage_label(profile, item.stage)
    when = date_format(item.due_on, "DATE_FORMAT")
    if item.kind == deadlines.DECISION_TARGET:
        if item.overdue:
            return _("Overdue: the target for “%(stage)s” was %(date)s.") % {"stage": label, "date": when}
        return _("Target for “%(stage)s”: %(date)s.") % {"stage": label, "date": when}
    if item.status == deadlines.DUE:
        return _("“%(stage)s” ended on %(date)s: the next step can be taken.") % {
            "stage": label,
            "date": when,
        }
    return _("“%(stage)s” lasts until %(date)s.") % {"stage": label, "date": when}

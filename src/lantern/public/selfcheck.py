"""The anonymous self-check ("Could I be in a situation of exploitation?"): a pure function of the answers.

Nothing here stores, sends or logs anything. The questions are plain-language versions of the first signs of
the screening checklist (screening/data/first-signs.yaml); the result is never a verdict, only one of three
gentle messages, always followed by contacts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# Question ids, in the order they are asked, with the first signs (screening/data/first-signs.yaml) and
# catalogue indicators (indicators-ilo-delphi.yaml) each one is based on, for maintainers.
QUESTIONS: dict[str, tuple[str, ...]] = {
    "documents": ("fs.documents_held_by_other", "cr.documents_confiscated"),
    "movement": ("fs.cannot_move_freely", "cr.isolation"),
    "debt": ("fs.travel_paid_by_other_or_debt", "cr.debt_bondage"),
    "pay": ("fs.no_control_of_money", "ex.low_no_pay", "cr.money_withheld"),
    "promises": ("dr.nature_of_job", "dr.conditions_of_work", "dr.wages"),
    "threats": ("fs.injuries", "cr.violence", "cr.threats_violence", "cr.violence_family"),
    "authorities": ("fs.afraid_of_authorities", "cr.threat_denunciation"),
    "housing": ("fs.lives_at_workplace", "ex.bad_living"),
    "forced": ("cd.forced_tasks_clients", "cd.forced_illicit"),
    "contact": (
        "fs.several_phones_or_constant_contact",
        "fs.companion_speaks_for_person",
        "cd.strong_influence",
    ),
}
ANSWERS = ("yes", "no", "unsure")
SIGNS, UNSURE, NONE = "signs", "unsure", "none"


@dataclass(frozen=True)
class SelfCheckResult:
    kind: str  # SIGNS: at least one "yes"; UNSURE: no "yes" but some "not sure"; NONE: otherwise
    danger: bool  # someone hurt or threatened them: the page shows the emergency number first


def clean_answers(raw: Mapping[str, str]) -> dict[str, str]:
    """Only known questions with known answers; anything else is ignored (nothing is an error here)."""
    return {qid: raw[qid] for qid in QUESTIONS if raw.get(qid) in ANSWERS}


def assess(answers: Mapping[str, str]) -> SelfCheckResult:
    """The message to show for these answers (question id → "yes" / "no" / "unsure")."""
    answers = clean_answers(answers)
    values = set(answers.values())
    kind = SIGNS if "yes" in values else UNSURE if "unsure" in values else NONE
    return SelfCheckResult(kind=kind, danger=answers.get("threats") == "yes")

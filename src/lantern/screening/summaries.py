"""The screening result in words: each dimension's observed indicators and what more would be needed."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

STRENGTHS = {"strong": gettext_lazy("strong"), "medium": gettext_lazy("medium"), "weak": gettext_lazy("weak")}


def _explained(entry: dict[str, Any], texts: Any) -> dict[str, Any]:
    """One instrument's stored result in the screener's words: per dimension the indicators that made it
    positive, or what it still needs; then which requirements of the verdict rule are met."""
    explanation = entry.get("explanation", {})
    dimensions = []
    for name, detail in explanation.get("dimensions", {}).items():
        observed = [
            {"label": texts.get("indicators", indicator), "strength": STRENGTHS.get(strength, strength)}
            for strength, ids in detail.get("observed", {}).items()
            for indicator in ids
        ]
        dimensions.append(
            {
                "id": name,
                "label": texts.get("dimensions", name),
                "positive": detail.get("positive", False),
                "observed": observed,
                "missing": None if detail.get("positive") else _needs_in_words(detail.get("missing_counts")),
            }
        )
    verdict = explanation.get("verdict", {})
    requirements = [
        {"labels": [texts.get("dimensions", d) for d in group.get("any_of", [])], "met": group.get("met")}
        for group in verdict.get("requirements", [])
    ]
    return {
        "id": entry.get("instrument"),
        "exploitation": entry.get("exploitation"),
        "population": entry.get("population"),
        "outcome": entry.get("outcome"),
        "outcome_title": texts.get("outcomes", entry.get("outcome", ""), "title"),
        "dimensions": dimensions,
        "requirements": requirements,
        "unverified": [texts.get("indicators", i) for i in explanation.get("unverified_strengths", [])],
    }


def _needs_in_words(missing_counts: dict[str, int] | None) -> str:
    """{"medium_or_weak": 1} -> "It needs 1 more medium or weak indicator." (in the UI language)."""
    if not missing_counts:
        return _("It cannot be shown with this instrument's indicators.")
    parts = []
    word_or, word_and = _("or"), _("and")  # outside f-strings, so that makemessages finds them
    for key, count in missing_counts.items():
        kind = f" {word_or} ".join(str(STRENGTHS.get(s, s)) for s in key.split("_or_"))
        parts.append(
            ngettext("%(count)s more %(kind)s indicator", "%(count)s more %(kind)s indicators", count)
            % {"count": count, "kind": kind}
        )
    return _("It needs %(what)s.") % {"what": f" {word_and} ".join(parts)}

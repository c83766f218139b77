"""One schema mechanism for Lantern's data files: pydantic models, and their errors as readable sentences.

Pure Python (no Django). Each data file (NRM profiles, public texts and helplines, training content) declares
its shape as pydantic models next to the code that reads it; `problems` validates a parsed document against a
model and returns one sentence per problem, naming the file, the key path and what is expected, e.g.

    nrm-profiles.yaml: profiles.uk-style.stages.2.min_days: Input should be greater than or equal to 1

`LegalSource` is the type of every `source`/`sources` entry: a legal statement in a data file carries the
instrument and article (or section, schedule, judgment) it rests on, or a dated official page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError


class Strict(BaseModel):
    """A data-file model: unknown keys are refused (a typo must not pass silently), values are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# A citation names a provision ("art. 13(3)", "Article 4", "s.45", "Schedule 4", "arts 135-142", "para 12"), a
# judgment ("Rantsev v Cyprus and Russia, no. 25965/04"), or is a dated page ("checked 2026-11").
_CITATION = re.compile(
    r"\b(arts?\.?\s*\d|articles?\s+\d|s\.\s*\d|ss\.\s*\d|section\s+\d|schedule\s+\d|para\.?\s*\d|recital\s+\d|"
    r"nos?\.\s*\d+/\d+|\d{4}-\d{2})",
    re.IGNORECASE,
)


def _citation(text: str) -> str:
    if not text.strip() or not _CITATION.search(text):
        raise ValueError(
            "a source names the instrument and the article, section or judgment "
            "(e.g. 'CETS 197 art. 13(3)'), or a dated official page (e.g. '... checked 2026-11')"
        )
    return text


LegalSource = Annotated[str, AfterValidator(_citation)]


def _where(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location) or "(top level)"


def describe(error: ValidationError, source: str) -> list[str]:
    """One sentence per error: "<source>: <key path>: <what is expected>"."""
    return [
        f"{source}: {_where(e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
        for e in error.errors(include_url=False)
    ]


def problems(
    model: type[BaseModel], data: Any, source: str, context: Mapping[str, Any] | None = None
) -> list[str]:
    """What is wrong with `data` read from `source` against `model` (empty when all is well)."""
    try:
        model.model_validate(data, context=dict(context or {}))
    except ValidationError as error:
        return describe(error, source)
    return []

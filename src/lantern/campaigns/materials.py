"""Campaign materials: leaflets and posters as PDF, one per language, each with a QR code to the public pages.

The texts are data (`content/materials.yaml`, one block per language); the layouts are templates in
`templates/campaigns/materials/`. The QR code points to `<public base URL>/r/<code>/<lang>/`, which counts a
scan and opens the public pages in that language (`views.qr_redirect`). The base URL is the setting
`LANTERN_PUBLIC_BASE_URL` (the address people reach the public pages at), or else the address of the request.
Rendering reuses `records.pdf.render_pdf` (system fonts only, no network access); the QR code is inline SVG.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import segno
import yaml
from django.conf import settings
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from pydantic import Field, field_validator

from lantern.datafiles import Strict
from lantern.datafiles import problems as check_schema
from lantern.records.pdf import render_pdf

from .models import LANGUAGES, Campaign

CONTENT_PATH = Path(__file__).resolve().parent / "content" / "materials.yaml"
REVIEWED = "reviewed"


@dataclass(frozen=True)
class Format:
    key: str
    label: Any
    template: str
    page_size: str


FORMATS: dict[str, Format] = {
    f.key: f
    for f in (
        Format("leaflet-a5", _("Leaflet, A5"), "campaigns/materials/leaflet.html", "A5"),
        Format(
            "leaflet-a4",
            _("Leaflet, A4 folded in two"),
            "campaigns/materials/leaflet_folded.html",
            "A4 landscape",
        ),
        Format("poster-a4", _("Poster, A4"), "campaigns/materials/poster.html", "A4"),
        Format("poster-a3", _("Poster, A3"), "campaigns/materials/poster.html", "A3"),
    )
}


@cache
def load_texts(path: Path = CONTENT_PATH) -> Mapping[str, Mapping[str, Any]]:
    """The materials' texts per language code (read-only; cached)."""
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["languages"]


def texts_for(language: str) -> Mapping[str, Any]:
    return load_texts()[language]


def language_name(code: str) -> str:
    """The language's name in itself (as people look for it on a leaflet stand)."""
    return str(load_texts().get(code, {}).get("name", code))


def is_draft(language: str) -> bool:
    return texts_for(language)["status"] != REVIEWED


Text = Annotated[str, Field(min_length=1, pattern=r"\S")]


class MaterialTexts(Strict):
    """One language's block: every key is required and non-empty; three or four lines."""

    name: Text
    direction: Literal["ltr", "rtl"]
    font: Text
    status: Literal["reviewed", "machine-or-draft"]
    headline: Text
    lines: list[Text] = Field(min_length=3, max_length=4)
    scan: Text
    draft: Text


class MaterialsFile(Strict):
    version: int
    languages: dict[str, MaterialTexts]

    @field_validator("languages")
    @classmethod
    def _every_language_in_its_direction(
        cls, languages: dict[str, MaterialTexts]
    ) -> dict[str, MaterialTexts]:
        missing = [code for code in LANGUAGES if code not in languages]
        wrong = [c for c, b in languages.items() if b.direction != ("rtl" if c in ("ar", "fa") else "ltr")]
        if missing or wrong:
            raise ValueError(f"missing languages {missing}; wrong direction for {wrong}")
        return languages


def text_problems(path: Path = CONTENT_PATH) -> list[str]:
    """What is wrong with the materials' texts (missing languages or keys, wrong direction), for tests."""
    with path.open(encoding="utf-8") as handle:
        return check_schema(MaterialsFile, yaml.safe_load(handle), path.name)


def public_base_url(request: HttpRequest | None = None) -> str:
    configured = getattr(settings, "LANTERN_PUBLIC_BASE_URL", "")
    if configured:
        return configured.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return ""


def qr_target(campaign: Campaign, language: str, request: HttpRequest | None = None) -> str:
    """The address a campaign's QR code for `language` encodes (counted by the `/r/` redirect)."""
    return f"{public_base_url(request)}/r/{campaign.code}/{language}/"


def qr_svg(url: str) -> SafeString:
    """The QR code as inline SVG (no data: URL, so the PDF renderer fetches nothing)."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, title=url, omitsize=True)
    return mark_safe(svg)  # noqa: S308 (segno escapes the URL)  # nosec B308 B703


def material_context(campaign: Campaign, language: str, fmt: Format, request: HttpRequest | None) -> dict:
    url = qr_target(campaign, language, request)
    return {
        "campaign": campaign,
        "language": language,
        "texts": texts_for(language),
        "draft": is_draft(language),
        "format": fmt,
        "qr_url": url,
        "qr_svg": qr_svg(url),
    }


def render_material(
    campaign: Campaign, language: str, fmt: Format, request: HttpRequest | None = None
) -> bytes:
    """The PDF of one material in one language (the caller has checked `campaign.view`)."""
    return render_pdf(fmt.template, material_context(campaign, language, fmt, request))

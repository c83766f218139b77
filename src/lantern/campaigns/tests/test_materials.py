"""Leaflets and posters: texts as data in every language, PDFs for left-to-right and right-to-left scripts,
each with the QR code of its language's `/r/` address."""

from __future__ import annotations

import re
from typing import Any

import pytest
import segno
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.audit.models import AuditRecord
from lantern.campaigns import materials
from lantern.campaigns.models import LANGUAGES
from lantern.records.tests.pdf_streams import decompressed_streams

from .factories import CampaignFactory

pytestmark = pytest.mark.django_db
BASE = "https://help.example.org"


def rendered(campaign: Any, language: str, fmt: str = "leaflet-a5") -> str:
    format_ = materials.FORMATS[fmt]
    return render_to_string(format_.template, materials.material_context(campaign, language, format_, None))


def test_every_language_has_complete_texts_in_the_right_direction() -> None:
    assert materials.text_problems() == []
    assert set(materials.load_texts()) == set(LANGUAGES)


def test_the_text_check_finds_a_missing_text_and_a_wrong_direction(tmp_path: Any) -> None:
    broken = tmp_path / "materials.yaml"
    source = materials.CONTENT_PATH.read_text(encoding="utf-8")
    broken.write_text(
        source.replace("    direction: rtl", "    direction: ltr", 1).replace('    draft: "ΠΡΟΣΧΕΔΙΟ"\n', ""),
        encoding="utf-8",
    )
    problems = materials.text_problems(broken)
    # A key missing inside a block is reported first; the file-level direction check follows once it is fixed.
    assert problems == ["materials.yaml: languages.el.draft: Field required"]
    broken.write_text(source.replace("    direction: rtl", "    direction: ltr", 1), encoding="utf-8")
    assert materials.text_problems(broken) == [
        "materials.yaml: languages: missing languages []; wrong direction for ['ar']"
    ]


def test_the_leaflets_promise_no_unconditional_free_legal_advice() -> None:
    # Issue #14, High item 4: legal aid is free only under conditions; the leaflets no longer promise it.
    for code, block in materials.load_texts().items():
        assert not any("free of charge" in line or "gratuit" in line for line in block["lines"]), code
    assert "help to find legal advice" in " ".join(materials.texts_for("en")["lines"])


@override_settings(LANTERN_PUBLIC_BASE_URL=BASE + "/")
def test_the_qr_code_encodes_the_counting_address_of_the_campaign_and_language() -> None:
    campaign = CampaignFactory()
    html = rendered(campaign, "en")
    url = f"{BASE}/r/{campaign.code}/en/"
    expected = segno.make(url, error="m").svg_inline(scale=4, border=2, title=url, omitsize=True)
    assert expected in html
    assert f"<title>{url}</title>" in html
    other = segno.make(f"{BASE}/r/{campaign.code}/ar/", error="m").svg_inline(
        scale=4, border=2, omitsize=True
    )
    assert re.sub(r"<title>.*?</title>", "", other) not in html


def test_without_a_configured_address_the_qr_uses_the_request_host(login_client: Any, personas: Any) -> None:
    campaign = CampaignFactory(organisation=personas.own_org)
    response = login_client(personas.own[Role.CASE_WORKER]).get(
        reverse("campaigns:detail", args=[campaign.pk])
    )
    assert f"http://testserver/r/{campaign.code}/ar/" in response.content.decode()


def test_arabic_materials_are_right_to_left_in_an_arabic_font() -> None:
    html = rendered(CampaignFactory(), "ar", "poster-a3")
    assert '<html lang="ar" dir="rtl">' in html
    assert 'font-family: "Noto Sans Arabic"' in html and "size: A3;" in html
    assert "لديك حقوق" in html


def test_tigrinya_materials_use_an_ethiopic_font_and_are_marked_as_a_draft() -> None:
    html = rendered(CampaignFactory(languages=["ti"]), "ti")
    assert '<html lang="ti" dir="ltr">' in html and 'font-family: "Noto Sans Ethiopic"' in html
    assert '<p class="draft">ንድፊ</p>' in html


def test_reviewed_english_materials_carry_no_draft_mark() -> None:
    assert 'class="draft"' not in rendered(CampaignFactory(), "en")


@pytest.mark.parametrize(("language", "fmt"), [("en", "leaflet-a5"), ("ar", "poster-a4")])
def test_a_pdf_is_made_for_a_left_to_right_and_a_right_to_left_language(
    login_client: Any, personas: Any, language: str, fmt: str
) -> None:
    campaign = CampaignFactory(organisation=personas.own_org)
    client = login_client(personas.own[Role.STATISTICS_VIEWER])
    response = client.get(reverse("campaigns:material", args=[campaign.pk, language, fmt]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF") and len(response.content) > 5000
    # Downloading public material is not audited.
    assert not AuditRecord.objects.filter(action=AuditRecord.Action.EXPORT).exists()


def test_every_format_renders(personas: Any) -> None:
    campaign = CampaignFactory(organisation=personas.own_org, languages=["ti"])
    for fmt in materials.FORMATS.values():
        assert materials.render_material(campaign, "ti", fmt).startswith(b"%PDF")


def test_a_language_the_campaign_does_not_use_or_an_unknown_format_is_not_found(
    login_client: Any, personas: Any
) -> None:
    campaign = CampaignFactory(organisation=personas.own_org)
    client = login_client(personas.own[Role.CASE_WORKER])
    assert (
        client.get(reverse("campaigns:material", args=[campaign.pk, "fr", "leaflet-a5"])).status_code == 404
    )
    assert client.get(reverse("campaigns:material", args=[campaign.pk, "en", "banner"])).status_code == 404


def test_the_library_lists_each_campaigns_materials_per_language_and_marks_drafts(
    login_client: Any, personas: Any
) -> None:
    campaign = CampaignFactory(organisation=personas.own_org, name="Safe harvest", languages=["en", "ar"])
    page = login_client(personas.own[Role.CASE_WORKER]).get(reverse("campaigns:library")).content.decode()
    assert "Safe harvest" in page
    for fmt in materials.FORMATS:
        for language in ("en", "ar"):
            assert reverse("campaigns:material", args=[campaign.pk, language, fmt]) in page
    assert page.count("Draft translation") == 1  # Arabic; English is reviewed


def embedded_fonts(pdf: bytes) -> set[str]:
    """The font names a PDF embeds (WeasyPrint keeps them in compressed object streams)."""
    chunks = [pdf, *decompressed_streams(pdf)]
    return {name.decode() for chunk in chunks for name in re.findall(rb"/FontName\s*/\w+\+([\w-]+)", chunk)}


@pytest.mark.parametrize(
    ("language", "font"),
    [("ar", "Noto-Sans-Arabic"), ("fa", "Noto-Sans-Arabic"), ("ti", "Noto-Sans-Ethiopic")],
)
def test_the_pdf_embeds_a_font_that_covers_the_script(personas: Any, language: str, font: str) -> None:
    campaign = CampaignFactory(organisation=personas.own_org, languages=[language])
    pdf = materials.render_material(campaign, language, materials.FORMATS["leaflet-a5"])
    assert font in embedded_fonts(pdf)


@pytest.mark.parametrize("language", ["fr", "fa"])
def test_every_format_fits_on_one_page_of_its_size(language: str) -> None:
    from weasyprint import HTML

    campaign = CampaignFactory(
        languages=[language], other_partners="Farm Workers' Union, Harbour Legal Clinic"
    )
    sizes = {}
    for fmt in materials.FORMATS.values():
        html = render_to_string(fmt.template, materials.material_context(campaign, language, fmt, None))
        pages = HTML(string=html).render().pages
        assert len(pages) == 1, fmt.key
        sizes[fmt.key] = (round(pages[0].width * 0.2646), round(pages[0].height * 0.2646))  # px → mm
    assert sizes == {
        "leaflet-a5": (148, 210),
        "leaflet-a4": (297, 210),
        "poster-a4": (210, 297),
        "poster-a3": (297, 420),
    }

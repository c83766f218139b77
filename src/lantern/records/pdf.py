"""Rendering PDFs with WeasyPrint from the templates in ``records/pdf/``.

System fonts only ("Noto Sans", "Noto Sans Arabic", "DejaVu Sans": Latin, Greek, Cyrillic and Arabic); no
network or file access while rendering (no URL scheme is allowed), so nothing a template shows can make the
renderer fetch anything.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported on use: loading pango takes a moment
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, context)
    fetcher = URLFetcher(allowed_protocols=frozenset(), allow_redirects=False)
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()

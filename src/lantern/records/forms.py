"""The upload form: it only parses; `services.add_document` checks the file and keeps it. It carries an
idempotency key (`lantern.web.idempotency`): a double-clicked upload keeps one file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.web.idempotency import IdempotentFormMixin

from .models import DocumentKind


class UploadForm(IdempotentFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, a JPEG or PNG image, or a plain text (.txt) file."),
        allow_empty_file=True,  # the service says "the file is empty" in its own words
    )
    kind = forms.ChoiceField(
        label=_("What kind of document is it?"), choices=DocumentKind.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: “Medical report from the health centre”."),
    )

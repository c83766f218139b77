"""The audit trail page: searchable, for system admins (all) and organisation admins (their organisation)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from lantern.authz.gate import visible
from lantern.authz.views import allowed
from lantern.web import spreadsheets
from lantern.web.pagination import paginate

from .models import AuditRecord
from .services import record


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label=_("Username"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any"))] + AuditRecord.Action.choices
    )
    object_type = forms.CharField(
        label=_("Object type"), required=False, help_text=_("For example: accounts.user")
    )
    object_id = forms.CharField(label=_("Object id"), required=False)
    request_id = forms.CharField(label=_("Request id"), required=False)
    since = forms.DateField(label=_("From (YYYY-MM-DD)"), required=False)
    until = forms.DateField(label=_("Until (YYYY-MM-DD)"), required=False)

    def filter(self, qs):  # type: ignore[no-untyped-def]
        data = self.cleaned_data
        if data.get("actor"):
            qs = qs.filter(actor_label__iexact=data["actor"])
        for name in ("action", "object_type", "object_id", "request_id"):
            if data.get(name):
                qs = qs.filter(**{name: data[name]})
        if data.get("since"):
            qs = qs.filter(at__date__gte=data["since"])
        if data.get("until"):
            qs = qs.filter(at__date__lte=data["until"])
        return qs


def _search(request: HttpRequest, action: str):  # type: ignore[no-untyped-def]
    form = AuditSearchForm(request.GET or None)
    records = visible(request.user, action, AuditRecord)
    if form.is_bound and form.is_valid():
        records = form.filter(records)
    return form, records


@allowed("audit.view")
def search(request: HttpRequest) -> HttpResponse:
    form, records = _search(request, "audit.view")
    page = paginate(records, 100, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/search.html", {"form": form, "page": page, "query": query.urlencode()})


class _Echo:
    def write(self, value: str) -> str:
        return value


@allowed("audit.export")
def export_csv(request: HttpRequest) -> HttpResponse:
    form, records = _search(request, "audit.export")
    record(
        AuditRecord.Action.EXPORT,
        actor=request.user,
        object_type="audit.auditrecord",
        object_id="csv",
        detail={"filters": {k: v for k, v in request.GET.items()}},
    )
    writer = spreadsheets.csv_writer(_Echo())  # formulas neutralised: names come from anyone signing in
    header = [
        "seq",
        "at",
        "actor",
        "organisation",
        "action",
        "object_type",
        "object_id",
        "fields",
        "request_id",
        "ip",
        "hash",
    ]

    def rows():  # type: ignore[no-untyped-def]
        yield writer.writerow(header)
        for r in records.order_by("seq").iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    r.seq,
                    r.at.isoformat(),
                    r.actor_label,
                    r.organisation_id or "",
                    r.action,
                    r.object_type,
                    r.object_id,
                    " ".join(r.fields),
                    r.request_id,
                    r.ip or "",
                    r.hash,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lantern-audit.csv"'
    return response

"""Release pages: the list, making a release, its report (the reviewer's preview), approving, publishing and
downloading. Thin: parse input → call a service or selector → render. Buttons post once per idempotency key.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lantern.audit.services import record
from lantern.authz.gate import NotVisible, can
from lantern.authz.views import allowed
from lantern.web import idempotency
from lantern.web.pagination import paginate

from . import presenters, selectors, services
from .forms import ConfirmForm, MicrodataReleaseForm, TablesReleaseForm
from .models import ReleaseKind, ReleaseStatus

PAGE_SIZE = 25
FORMS = {ReleaseKind.MICRODATA: MicrodataReleaseForm, ReleaseKind.TABLES: TablesReleaseForm}


@allowed("release.view")
def release_list(request: HttpRequest) -> HttpResponse:
    page = paginate(selectors.release_list(request.user), PAGE_SIZE, request.GET.get("page"))
    return render(
        request,
        "releases/release_list.html",
        {"page": page, "can_create": can(request.user, "release.create"), "kinds": ReleaseKind},
    )


def _create(user: Any, kind: str, data: dict[str, Any]) -> Any:
    if kind == ReleaseKind.MICRODATA:
        return services.create_microdata_release(
            actor=user, title=data["title"], k=data["k"], max_suppression=data["max_suppression"] / 100
        )
    return services.create_tables_release(
        actor=user,
        title=data["title"],
        epsilon=data["epsilon"],
        year_from=data["year_from"],
        year_to=data["year_to"],
        seed=data.get("seed"),
    )


@allowed("release.create")
def release_create(request: HttpRequest, kind: str) -> HttpResponse:
    form_class = FORMS.get(kind)  # type: ignore[call-overload]
    if form_class is None:
        raise NotVisible
    user = request.user

    def act(form: Any) -> str:
        release = _create(user, kind, form.cleaned_data)
        messages.success(request, _("The release was made. Another NRM decision-maker must now review it."))
        return reverse("releases:detail", args=[release.pk])

    form, response = idempotency.submit_once(request, form_class, act)
    if response is not None:
        return response
    return render(
        request,
        "releases/release_create.html",
        {"form": form, "kind": kind, "kind_label": ReleaseKind(kind).label},
    )


def _detail(request: HttpRequest, release: Any, form: Any = None) -> HttpResponse:
    user = request.user
    record("view", release, actor=user, fields=["report"])
    report = release.report
    context: dict[str, Any] = {
        "release": release,
        "report": report,
        "form": form,
        "confirm": ConfirmForm(),
        "can_download": can(user, "release.download", release),
        "can_approve": release.status == ReleaseStatus.DRAFT and can(user, "release.review", release),
        "is_author": release.created_by_id == user.pk,
        "can_publish": release.status == ReleaseStatus.REVIEWED
        and release.publishable
        and can(user, "release.publish", release),
    }
    if release.kind == ReleaseKind.MICRODATA:
        context["generalisation"] = presenters.generalisation_rows(report)
        context["suppressed_percent"] = (
            100 * report.get("suppressed", 0) / max(report.get("records_in", 1), 1)
        )
        context["preview_header"], context["preview_rows"] = presenters.microdata_preview(release.content)
    else:
        context["tables"] = presenters.dp_tables_view(report)
    return render(request, "releases/release_detail.html", context)


@allowed("release.view")
def release_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.access_release(request.user, pk))


@allowed("release.review")
def release_approve(request: HttpRequest, pk: int) -> HttpResponse:
    release = selectors.access_release(request.user, pk, "release.view")
    if request.method != "POST":
        return redirect("releases:detail", pk=release.pk)

    def act(form: ConfirmForm) -> str:
        services.approve_release(actor=request.user, release=release)
        messages.success(request, _("You approved the release. It can now be published."))
        return reverse("releases:detail", args=[release.pk])

    form, response = idempotency.submit_once(request, ConfirmForm, act)
    if response is not None:
        return response
    release.refresh_from_db()  # refused: the page again, with the error
    return _detail(request, release, form)


@allowed("release.publish")
def release_publish(request: HttpRequest, pk: int) -> HttpResponse:
    release = selectors.access_release(request.user, pk, "release.publish")
    if request.method != "POST":
        return redirect("releases:detail", pk=release.pk)

    def act(form: ConfirmForm) -> str:
        services.publish_release(actor=request.user, release=release)
        messages.success(request, _("The release was published. Statistics viewers can now download it."))
        return reverse("releases:detail", args=[release.pk])

    form, response = idempotency.submit_once(request, ConfirmForm, act)
    if response is not None:
        return response
    release.refresh_from_db()  # refused: the page again, with the error
    return _detail(request, release, form)


def _download(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    name, content_type, content = selectors.release_file(request.user, pk, part)
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@allowed("release.download")
def release_download(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "file")


@allowed("release.download")
def release_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "report")

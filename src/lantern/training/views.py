"""Training pages: modules, quizzes, practice cases, certificates, the coverage report, and the public
certificate check. Thin: parse input, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantern.audit.services import record
from lantern.authz.gate import can
from lantern.authz.views import allowed, public
from lantern.records.pdf import render_pdf
from lantern.records.views import attachment
from lantern.screening import selectors as screening_selectors
from lantern.web.context_processors import sessionless

from . import codes, content, practice, selectors, services
from .forms import OUTCOME_LABELS, PracticeForm, QuizForm


def _language() -> str:
    return (get_language() or content.SOURCE_LANGUAGE).split("-")[0]


def _module_or_404(module_id: str) -> tuple[content.Module, bool]:
    try:
        return content.module(module_id, _language())
    except KeyError:
        raise Http404(_("There is no training module with this name.")) from None


@allowed("training.take")
def index(request: HttpRequest) -> HttpResponse:
    certificates = selectors.my_latest_certificates(request.user)
    now = timezone.now()
    rows = []
    for module_id in content.module_ids():
        module, translated = content.module(module_id, _language())
        rows.append({"module": module, "translated": translated, "certificate": certificates.get(module_id)})
    return render(
        request,
        "training/index.html",
        {"rows": rows, "now": now, "may_see_coverage": can(request.user, "training.coverage")},
    )


@allowed("training.take")
def module_detail(request: HttpRequest, module_id: str) -> HttpResponse:
    module, translated = _module_or_404(module_id)
    bank = content.questions(module_id, _language())
    return render(
        request,
        "training/module.html",
        {"module": module, "translated": translated, "body": module.html(), "question_count": len(bank)},
    )


@require_POST
@allowed("training.take")
def start_quiz(request: HttpRequest, module_id: str) -> HttpResponse:
    _module_or_404(module_id)
    attempt = services.start_attempt(actor=request.user, module_id=module_id, language=_language())
    return redirect("training:attempt", attempt.pk)


@allowed("training.take")
def attempt_page(request: HttpRequest, attempt_id: str) -> HttpResponse:
    attempt = selectors.access_attempt(request.user, attempt_id)
    module, _translated = content.module(attempt.module_id, attempt.language)
    bank = content.questions(attempt.module_id, attempt.language)
    if attempt.submitted_at is not None and request.method != "POST":
        return redirect("training:result", attempt.pk)
    form = QuizForm(
        request.POST if request.method == "POST" else None,
        bank=bank,
        layout=attempt.questions,
        initial={"module": attempt.module_id},
    )
    if request.method == "POST":
        refusal = None
        if form.extra_question_keys():
            refusal = services.mismatch_message()
        elif form.is_valid():
            try:
                services.submit_attempt(
                    actor=request.user,
                    attempt_id=attempt.pk,
                    module_id=form.cleaned_data["module"],
                    answers=form.answers(),
                )
            except services.SubmissionRefused as refused:
                refusal = refused.message
            else:
                return redirect("training:result", attempt.pk)
        if refusal:
            messages.error(request, refusal)
            return redirect("training:module", attempt.module_id)
    return render(request, "training/quiz.html", {"form": form, "attempt": attempt, "module": module})


@allowed("training.take")
def attempt_result(request: HttpRequest, attempt_id: str) -> HttpResponse:
    attempt = selectors.access_attempt(request.user, attempt_id)
    if attempt.submitted_at is None:
        return redirect("training:attempt", attempt.pk)
    module, _translated = content.module(attempt.module_id, attempt.language)
    bank = content.questions(attempt.module_id, attempt.language)
    marked = []
    for entry in attempt.questions:
        question = bank.get(entry["id"])
        if question is None:  # removed from the bank since: nothing to explain
            continue
        chosen = set(attempt.answers.get(question.id, []))
        known = {option.id for option in question.options}
        options = [
            {"option": question.option(o), "chosen": o in chosen} for o in entry["options"] if o in known
        ]
        marked.append({"question": question, "options": options, "right": chosen == question.correct_ids})
    certificate = getattr(attempt, "certificate", None) if attempt.passed else None
    return render(
        request,
        "training/result.html",
        {"attempt": attempt, "module": module, "marked": marked, "certificate": certificate},
    )


@allowed("training.certificate")
def certificate_pdf(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = selectors.access_certificate(request.user, certificate_id)
    module, _translated = content.module(certificate.module_id, _language())
    pdf = render_pdf(
        "training/pdf/certificate.html",
        {
            "certificate": certificate,
            "module": module,
            "code": codes.display(certificate.code),
            "verify_url": request.build_absolute_uri(reverse("training_verify", args=[certificate.code])),
        },
    )
    return attachment(pdf, "application/pdf", f"lantern-certificate-{certificate.module_id}.pdf")


# Practice cases ---------------------------------------------------------------------------------------------


@allowed("training.take")
def practice_list(request: HttpRequest) -> HttpResponse:
    cases = [content.practice_case(case_id, _language())[0] for case_id in sorted(content.practice_cases())]
    return render(request, "training/practice_list.html", {"cases": cases})


def _indicator_groups(case: content.PracticeCase) -> Groups:
    texts = screening_selectors.InterviewTexts(_language())
    catalogue = screening_selectors.catalogue()
    groups = []
    for dimension in catalogue.dimensions:
        ids: dict[str, None] = {}
        for instrument in catalogue.instruments.values():
            if instrument.population == case.population:
                ids.update(dict.fromkeys(instrument.dimensions.get(dimension, {})))
        choices = [(i, str(texts.get("indicators", i))) for i in ids]
        groups.append((dimension, str(texts.get("dimensions", dimension)), choices))
    return groups


Groups = list[tuple[str, str, list[tuple[str, str]]]]


def _feedback(grade: practice.Grade, groups: Groups) -> list[dict[str, Any]]:
    """The grade per dimension with labels in the page's language."""
    dimension_labels = {dimension: label for dimension, label, _choices in groups}
    indicator_labels = {i: label for _d, _l, choices in groups for i, label in choices}
    return [
        {
            "label": dimension_labels[d.dimension],
            "feedback": d,
            "hits": [indicator_labels.get(i, i) for i in d.hits],
            "misses": [indicator_labels.get(i, i) for i in d.misses],
            "false_alarms": [indicator_labels.get(i, i) for i in d.false_alarms],
        }
        for d in grade.dimensions
    ]


@allowed("training.take")
def practice_case(request: HttpRequest, case_id: str) -> HttpResponse:
    try:
        case, translated = content.practice_case(case_id, _language())
    except KeyError:
        raise Http404(_("There is no practice case with this name.")) from None
    groups = _indicator_groups(case)
    form = PracticeForm(request.POST if request.method == "POST" else None, groups=groups)
    grade = None
    if request.method == "POST" and form.is_valid():
        grade = practice.grade(case, form.observed(), form.cleaned_data["outcome"])
    feedback = _feedback(grade, groups) if grade else None
    return render(
        request,
        "training/practice_case.html",
        {
            "case": case,
            "translated": translated,
            "form": form,
            "grade": grade,
            "feedback": feedback,
            "outcome_labels": OUTCOME_LABELS,
        },
    )


# Coverage (organisation administrators) --------------------------------------------------------------------


@allowed("training.coverage")
def coverage(request: HttpRequest) -> HttpResponse:
    expiring_only = request.GET.get("expiring") == "1"
    rows = selectors.coverage(request.user, expiring_only=expiring_only, language=_language())
    record(
        "view",
        actor=request.user,
        object_type="training.coverage",
        object_id=str(request.user.organisation_id),
        organisation_id=request.user.organisation_id,
        fields=["name", "certificates"],
    )
    return render(
        request,
        "training/coverage.html",
        {"rows": rows, "expiring_only": expiring_only, "days": selectors.EXPIRING_DAYS},
    )


@allowed("training.coverage")
def coverage_csv(request: HttpRequest) -> HttpResponse:
    text = services.export_coverage(
        actor=request.user, expiring_only=request.GET.get("expiring") == "1", language=_language()
    )
    return attachment(text.encode("utf-8"), "text/csv; charset=utf-8", "training-coverage.csv")


# The public certificate check ------------------------------------------------------------------------------


@public
@sessionless
def verify(request: HttpRequest, code: str) -> HttpResponse:
    certificate = selectors.certificate_for_code(code)
    module = None
    if certificate is not None and certificate.module_id in content.modules():
        module = content.module(certificate.module_id, _language())[0]
    return render(
        request,
        "training/verify.html",
        {
            "certificate": certificate,
            "module_title": module.title if module else (certificate.module_title if certificate else ""),
            "valid": certificate.is_valid() if certificate else False,
            "code": codes.display(codes.normalise(code)[:40]),
        },
        status=200 if certificate else 404,
    )

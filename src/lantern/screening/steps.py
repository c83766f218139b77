"""The interview's steps: their order, and one generic page runner that shows a step's form and saves it
through a service (once per idempotency key), keeping the user's input on a stale form, a colleague's lock or
bad input. The views in views.py pick the step; the texts of the check page come from summaries.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lantern.audit.services import record_read
from lantern.web import idempotency

from . import selectors, services
from .content import sexual_exploitation_prompts
from .forms import (
    AgeForm,
    CompleteForm,
    ConsentForm,
    FirstSignsForm,
    SettingForm,
    ThemeForm,
    field_name,
)
from .models import PERSONAL_FIELDS, Answer, Consent, Screening, Status


def _url(name: str, screening: Screening, *args: Any) -> str:
    return reverse(f"screening:{name}", args=[screening.pk, *args])


def flow(screening: Screening) -> list[tuple[str, str]]:
    """(step key, url) in interview order. Without consent there are no questions: only the first signs."""
    steps = [
        ("setting", _url("setting", screening)),
        ("consent", _url("consent", screening)),
        ("first_signs", _url("first_signs", screening)),
    ]
    if screening.consent == Consent.GIVEN:
        steps.append(("age", _url("age", screening)))
        for theme_id, _ids in selectors.themes_for(services.population_of(screening)):
            steps.append((f"theme:{theme_id}", _url("theme", screening, theme_id)))
        steps.append(("check", _url("check", screening)))
    return steps


def _neighbour(screening: Screening, key: str, offset: int) -> str:
    keys = [k for k, _u in flow(screening)]
    if key in keys and 0 <= keys.index(key) + offset < len(keys):
        return flow(screening)[keys.index(key) + offset][1]
    return _url("overview", screening)


def next_url(screening: Screening, key: str) -> str:
    return _neighbour(screening, key, +1)


def back_url(screening: Screening, key: str) -> str:
    return _neighbour(screening, key, -1)


@dataclass
class Step:
    key: str
    template: str
    build_form: Callable[..., Any]  # (data, initial, partial, screening, texts) -> form
    save: Callable[..., Screening]  # (request, screening, form, partial) -> fresh screening
    initial: Callable[[Screening], dict[str, Any]]
    context: Callable[..., dict[str, Any]] = lambda screening, texts, form: {}  # noqa: E731


def _texts(request: HttpRequest, screening: Screening) -> tuple[Any, Any]:
    return selectors.texts_for(screening, get_language() or "en")


def _audit_shown(request: HttpRequest, screening: Screening) -> None:
    record_read(request.user, [screening], PERSONAL_FIELDS)


def _lock_context(request: HttpRequest, screening: Screening) -> dict[str, Any]:
    holder = screening.lock_holder()
    if holder is None or holder.pk == request.user.pk:
        return {}
    return {"locked_message": services.ScreeningLocked(holder, screening.locked_at)}


def run_step(request: HttpRequest, pk: int, step: Step) -> HttpResponse:
    screening = selectors.access_screening(request.user, pk, "screening.change")
    if request.method == "POST" and (repeat := idempotency.replay(request)):
        return repeat  # e.g. "Finish" clicked twice: the second click goes where the first went
    if screening.status == Status.COMPLETED:
        messages.info(request, _("This screening is completed: its answers can no longer be changed."))
        return redirect(_url("result", screening))
    screener_texts, person_texts = texts = _texts(request, screening)
    pausing = request.method == "POST" and "pause" in request.POST
    problem = ""
    if request.method == "POST":
        form = step.build_form(request.POST, None, pausing, screening, texts)
        if form.is_valid():
            overrides: dict[str, str] = {}
            try:
                return idempotency.run_once(
                    request, lambda: _save_step(request, screening, form, step, pausing)
                )
            except services.VersionConflict as conflict:
                screening = conflict.current
                overrides["version"] = str(screening.version)
                problem = str(conflict)
            except services.ScreeningLocked as locked:
                # The submitted version is kept: after taking over, a colleague's changes still conflict.
                problem = str(locked)
            except services.InvalidInput as invalid:
                problem = str(invalid)
            except idempotency.StaleSubmission:
                problem = _(
                    "This form was already sent once. Your entries are shown again: check them and save."
                )
            except services.StepNotAvailable as refusal:
                messages.error(request, str(refusal))
                return redirect(_url("overview", screening))
            # Show the user's input again, with a new key: nothing typed is lost, nothing is applied twice.
            form = step.build_form(
                idempotency.fresh_key_data(request.POST, **overrides), None, pausing, screening, texts
            )
            form.is_valid()
            form.add_error(None, problem)
    else:
        lock = _lock_context(request, screening)
        if lock:
            messages.warning(request, str(lock["locked_message"]))
            return redirect(_url("overview", screening))
        initial = {"version": screening.version, **step.initial(screening)}
        form = step.build_form(None, initial, False, screening, texts)
    _audit_shown(request, screening)
    context = {
        "screening": screening,
        "form": form,
        "step": step.key,
        "back_url": back_url(screening, step.key),
        "screener_texts": screener_texts,
        "person_texts": person_texts,
        "take_over": bool(_lock_context(request, screening)),
        **step.context(screening, texts, form),
    }
    status = 409 if problem else 200
    return render(request, step.template, context, status=status)


def _save_step(request: HttpRequest, screening: Screening, form: Any, step: Step, pausing: bool) -> str:
    if "take_over" in request.POST:  # "Take over and save", offered when a colleague held the lock
        screening = services.resume(actor=request.user, screening=screening, take_over=True)
    fresh = step.save(request, screening, form, pausing)
    if pausing:
        services.save_and_pause(actor=request.user, screening=fresh)
        messages.success(request, _("Saved and paused. Anyone in your team can continue it from this list."))
        return reverse("screening:list") + "?tab=paused"
    if fresh.status == Status.COMPLETED:
        return _url("result", fresh)
    messages.success(request, _("Saved."))
    return next_url(fresh, step.key)


def step_done(screening: Screening, key: str) -> bool:
    if key.startswith("theme:"):
        return key.removeprefix("theme:") in screening.themes_saved
    return bool(
        {
            "setting": screening.setting_recorded_at,
            "consent": screening.consent,
            "first_signs": screening.first_signs,
            "age": screening.age_group,
        }.get(key)
    )


def _setting_step() -> Step:
    def build(data: Any, initial: Any, partial: bool, screening: Screening, texts: Any) -> SettingForm:
        guidance = texts[0].get("setting_help").value or {}
        return SettingForm(
            data, initial=initial, partial=partial, languages=selectors.language_choices(), guidance=guidance
        )

    def save(request: HttpRequest, screening: Screening, form: SettingForm, partial: bool) -> Screening:
        return services.record_setting(
            actor=request.user,
            screening=screening,
            version=form.cleaned_data["version"],
            changes=form.setting_changes(),
            done=not partial,
        )

    def initial(screening: Screening) -> dict[str, Any]:
        fields = [
            "interview_language",
            "interpreter_gender",
            "interviewer_gender",
            "gender_preference",
            "gender_preference_unmet_reason",
            "child_friendly",
        ]
        values = {name: getattr(screening, name) for name in fields}
        values["screener_language"] = (
            screening.screener_language or selectors.InterviewTexts(get_language() or "en").code
        )
        if screening.setting_recorded_at:
            values["interpreter_used"] = "yes" if screening.interpreter_used else "no"
            values["private_space"] = "yes" if screening.private_space else "no"
        return values

    return Step("setting", "screening/setting.html", build, save, initial)


def _consent_step() -> Step:
    def build(data: Any, initial: Any, partial: bool, screening: Screening, texts: Any) -> ConsentForm:
        return ConsentForm(data, initial=initial, partial=partial)

    def save(request: HttpRequest, screening: Screening, form: ConsentForm, partial: bool) -> Screening:
        choice = form.cleaned_data.get("consent")
        if not choice:  # paused before an answer: nothing to record
            return screening
        return services.record_consent(
            actor=request.user,
            screening=screening,
            version=form.cleaned_data["version"],
            given=choice == Consent.GIVEN,
        )

    def context(screening: Screening, texts: Any, form: Any) -> dict[str, Any]:
        screener, person = texts
        return {
            "script": selectors.bilingual(screener, person, "consent", "script"),
            "given": selectors.bilingual(screener, person, "consent", "given"),
            "refused": selectors.bilingual(screener, person, "consent", "refused"),
        }

    return Step("consent", "screening/consent.html", build, save, lambda s: {"consent": s.consent}, context)


def _first_signs_step() -> Step:
    def build(data: Any, initial: Any, partial: bool, screening: Screening, texts: Any) -> FirstSignsForm:
        labels = [
            (sign_id, str(texts[0].get("first_signs", sign_id))) for sign_id in selectors.first_sign_ids()
        ]
        return FirstSignsForm(data, initial=initial, partial=partial, signs=labels)

    def save(request: HttpRequest, screening: Screening, form: FirstSignsForm, partial: bool) -> Screening:
        return services.record_first_signs(
            actor=request.user,
            screening=screening,
            version=form.cleaned_data["version"],
            signs=form.cleaned_data["signs"],
        )

    def context(screening: Screening, texts: Any, form: Any) -> dict[str, Any]:
        return {"no_consent": screening.consent == Consent.REFUSED}

    return Step(
        "first_signs", "screening/first_signs.html", build, save, lambda s: {"signs": s.first_signs}, context
    )


def _age_step() -> Step:
    def build(data: Any, initial: Any, partial: bool, screening: Screening, texts: Any) -> AgeForm:
        return AgeForm(data, initial=initial, partial=partial)

    def save(request: HttpRequest, screening: Screening, form: AgeForm, partial: bool) -> Screening:
        age_group = form.cleaned_data.get("age_group")
        if not age_group:
            return screening
        fresh = services.record_age(
            actor=request.user, screening=screening, version=form.cleaned_data["version"], age_group=age_group
        )
        if fresh.child_friendly and not screening.child_friendly:
            messages.info(request, _("Child-friendly mode is now on: the person may be under 18."))
        return fresh

    def context(screening: Screening, texts: Any, form: Any) -> dict[str, Any]:
        return {"signs_suggest_minor": selectors.first_signs_suggest_minor(screening.first_signs)}

    return Step("age", "screening/age.html", build, save, lambda s: {"age_group": s.age_group}, context)


def _theme_step(theme_id: str) -> Step:
    def questions(screening: Screening, texts: Any) -> list[tuple[str, Any]]:
        ids = dict(selectors.themes_for(services.population_of(screening))).get(theme_id, [])
        return [(i, selectors.bilingual(texts[0], texts[1], "questions", i)) for i in ids]

    def answer_labels(texts: Any) -> dict[str, Any]:
        return {value: selectors.bilingual(texts[0], texts[1], "answers", value) for value in Answer.values}

    def build(data: Any, initial: Any, partial: bool, screening: Screening, texts: Any) -> ThemeForm:
        indicators = [(i, str(texts[0].get("indicators", i))) for i, _q in questions(screening, texts)]
        return ThemeForm(
            data, initial=initial, partial=partial, indicators=indicators, answer_labels=answer_labels(texts)
        )

    def save(request: HttpRequest, screening: Screening, form: ThemeForm, partial: bool) -> Screening:
        return services.record_answers(
            actor=request.user,
            screening=screening,
            version=form.cleaned_data["version"],
            answers=form.answers(),
            theme=theme_id,
        )

    def initial(screening: Screening) -> dict[str, Any]:
        return {field_name(i): a for i, a in screening.answers.items()}

    def context(screening: Screening, texts: Any, form: Any) -> dict[str, Any]:
        screener, person = texts
        asked = dict(questions(screening, texts))
        labels = answer_labels(texts)
        suggested = selectors.suggested_indicators(screening.first_signs)
        se_prompts = sexual_exploitation_prompts()
        return {
            "theme": {
                key: selectors.Bilingual(screener.theme(theme_id)[key], person.theme(theme_id)[key])
                for key in ("title", "intro")
            },
            "theme_id": theme_id,
            "questions": [
                {
                    "field": form[name],
                    "indicator": indicator,
                    "texts": asked[indicator].split()[0],
                    "follow_ups": asked[indicator].split()[1],
                    "sexual_exploitation": se_prompts.get(indicator, ()),
                    "label": screener.get("indicators", indicator),
                    "suggested": indicator in suggested,
                    "choices": [
                        {"widget": w, "value": w.data["value"], "pair": labels[w.data["value"]]}
                        for w in form[name]
                    ],
                }
                for name, indicator in form.indicator_of.items()
            ],
            "child_intro": selectors.bilingual(screener, person, "child_friendly_intro")
            if screening.child_friendly
            else None,
        }

    return Step(f"theme:{theme_id}", "screening/theme.html", build, save, initial, context)


def _needs_consent(request: HttpRequest, screening: Screening) -> HttpResponse:
    messages.warning(
        request,
        _(
            "Questions can only be asked after the person has given informed consent. "
            "Without consent, only the first-signs checklist is available."
        ),
    )
    return redirect(_url("first_signs" if screening.consent == Consent.REFUSED else "consent", screening))


def _check_step() -> Step:
    def build(data: Any, initial: Any, partial: bool, screening: Screening, texts: Any) -> CompleteForm:
        return CompleteForm(data, initial=initial, partial=partial)

    def save(request: HttpRequest, screening: Screening, form: CompleteForm, partial: bool) -> Screening:
        notes = form.cleaned_data.get("notes", "")
        if partial:
            return services.record_details(
                actor=request.user, screening=screening, version=form.cleaned_data["version"], notes=notes
            )
        return services.complete(
            actor=request.user, screening=screening, version=form.cleaned_data["version"], notes=notes
        )

    def context(screening: Screening, texts: Any, form: Any) -> dict[str, Any]:
        return {
            "summary": answer_summary(screening, texts[0]),
            "first_signs": _first_sign_labels(screening, texts[0]),
        }

    return Step("check", "screening/check.html", build, save, lambda s: {"notes": s.notes}, context)


def _first_unfinished(screening: Screening) -> str:
    """The first step not done yet (first signs are optional: none observed is an answer too)."""
    for key, url in flow(screening):
        if key != "first_signs" and not step_done(screening, key):
            return url
    return _url("overview", screening)


def answer_summary(screening: Screening, texts: Any) -> list[dict[str, Any]]:
    """Per theme: each indicator with its answer in words ("Not asked" when blank).

    The answer says whether the indicator is present, so it is paired with the indicator, never with the
    open question asked to find out ("What were you told you would earn?" — Yes would mean nothing)."""
    labels = {value: texts.get("answers", value) for value in Answer.values}
    summary = []
    for theme_id, ids in selectors.themes_for(services.population_of(screening)):
        rows = []
        for indicator in ids:
            question = texts.get("questions", indicator)
            answer = screening.answers.get(indicator)
            rows.append(
                {
                    "indicator": indicator,
                    "label": texts.get("indicators", indicator),
                    "question": question.value[0]
                    if isinstance(question.value, list) and question.value
                    else question,
                    "answer": labels[answer] if answer else None,
                    "value": answer or "",
                }
            )
        summary.append(
            {
                "id": theme_id,
                "title": texts.theme(theme_id)["title"],
                "url": _url("theme", screening, theme_id),
                "rows": rows,
            }
        )
    return summary


def _first_sign_labels(screening: Screening, texts: Any) -> list[Any]:
    return [texts.get("first_signs", sign) for sign in screening.first_signs]

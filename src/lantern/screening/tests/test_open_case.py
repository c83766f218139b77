"""From a screening's result to a case: "Refer to the NRM" opens a case filled in from the screening, once."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.accounts.tests.factories import UserFactory
from lantern.authz.gate import Denied
from lantern.cases.models import Case, CaseEvent
from lantern.screening import services
from lantern.screening.models import Screening
from lantern.screening.tests.factories import ScreeningFactory, interviewing
from lantern.screening.tests.test_services import PRESUMED_VICTIM

pytestmark = pytest.mark.django_db


def completed(created_by: Any, answers: dict[str, str] = PRESUMED_VICTIM, **fields: Any) -> Screening:
    screening = interviewing(created_by, answers=answers, **fields)
    return services.complete(actor=created_by, screening=screening, version=screening.version)


def url(name: str, screening: Screening) -> str:
    return reverse(f"screening:{name}", args=[screening.pk])


@pytest.fixture
def screener(personas: Any) -> Any:
    return personas.own[Role.SCREENER]


# The service ---------------------------------------------------------------------------------------------


def test_opens_a_case_filled_in_from_the_screening_and_attaches_it(screener: Any) -> None:
    screening = completed(screener, interview_language="ar", interpreter_used=True)
    case = services.open_case_from_screening(actor=screener, screening=screening)
    screening.refresh_from_db()
    assert screening.case_id == case.pk
    assert case.organisation_id == screening.organisation_id and case.created_by == screener
    assert case.identified_on == timezone.localdate(screening.completed_at)
    assert case.identified_by == "reception_centre"  # the organisation's type
    assert case.languages == ["ar"] and case.interpreter_needed
    assert case.appears_minor is False and not case.treated_as_child
    assert case.estimated_age == "" and case.given_names == "" and case.family_name == ""
    assert case.stage == case.nrm_profile.first_stage.id
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds.count(CaseEvent.Kind.CREATED) == 1 and kinds.count(CaseEvent.Kind.SCREENING_ATTACHED) == 1


def test_a_second_press_returns_the_same_case(screener: Any) -> None:
    screening = completed(screener)
    first = services.open_case_from_screening(actor=screener, screening=screening)
    again = services.open_case_from_screening(actor=screener, screening=screening)
    assert again.pk == first.pk
    assert Case.objects.count() == 1
    assert first.events.filter(kind=CaseEvent.Kind.SCREENING_ATTACHED).count() == 1


@pytest.mark.parametrize(
    ("age_group", "first_signs", "minor"),
    [
        ("under_18", [], True),
        ("appears_minor", [], True),
        ("unknown", [], False),
        ("unknown", ["fs.apparent_minor"], True),
        ("adult", ["fs.apparent_minor"], False),
    ],
)
def test_the_age_group_gives_reasons_to_believe_the_person_is_a_child(
    screener: Any, age_group: str, first_signs: list[str], minor: bool
) -> None:
    screening = completed(screener, age_group=age_group, first_signs=first_signs)
    case = services.open_case_from_screening(actor=screener, screening=screening)
    assert case.appears_minor is minor
    assert case.treated_as_child is minor


def test_an_anonymous_screening_opens_a_case_without_a_name(screener: Any) -> None:
    screening = completed(screener, person_reference="")
    case = services.open_case_from_screening(actor=screener, screening=screening)
    assert (case.given_names, case.family_name, case.aliases) == ("", "", "")


def test_a_further_assessment_also_opens_a_case(screener: Any) -> None:
    screening = completed(screener, answers={"dr.wages": "yes"})
    assert screening.outcome == "further-assessment"
    assert services.open_case_from_screening(actor=screener, screening=screening).pk


def test_no_case_without_a_result_that_calls_for_one(screener: Any) -> None:
    nothing = completed(screener, answers={"dr.wages": "no"})
    assert nothing.outcome == "no-indicators"
    with pytest.raises(services.StepNotAvailable):
        services.open_case_from_screening(actor=screener, screening=nothing)
    with pytest.raises(services.StepNotAvailable):
        services.open_case_from_screening(actor=screener, screening=interviewing(screener))
    assert not Case.objects.exists()


def test_a_case_worker_opens_the_case_and_holds_it(personas: Any, screener: Any) -> None:
    case_worker = personas.own[Role.CASE_WORKER]
    case = services.open_case_from_screening(actor=case_worker, screening=completed(screener))
    assert case.case_worker == case_worker


@pytest.mark.parametrize(
    "role", [Role.NRM_DECISION_MAKER, Role.LAWYER, Role.ORG_ADMIN, Role.STATISTICS_VIEWER]
)
def test_roles_that_may_not_open_cases_are_refused(personas: Any, screener: Any, role: Role) -> None:
    with pytest.raises(Denied):
        services.open_case_from_screening(actor=personas.own[role], screening=completed(screener))
    assert not Case.objects.exists()


def test_another_organisations_screener_is_refused(personas: Any, screener: Any) -> None:
    with pytest.raises(Denied):
        services.open_case_from_screening(actor=personas.other[Role.SCREENER], screening=completed(screener))
    assert not Case.objects.exists()


# The view and the button ----------------------------------------------------------------------------------


def test_the_button_opens_the_case_and_lands_on_it(login_client: Any, screener: Any) -> None:
    screening = completed(screener)
    client = login_client(screener)
    body = client.get(url("result", screening)).content.decode()
    assert f'action="{url("open_case", screening)}"' in body and "csrfmiddlewaretoken" in body
    response = client.post(url("open_case", screening), follow=True)
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case.pk])
    assert case.reference in response.content.decode()
    screening.refresh_from_db()
    assert screening.case_id == case.pk
    # Afterwards the result page leads to the case instead of opening another.
    body = client.get(url("result", screening)).content.decode()
    assert 'data-action="refer-nrm"' not in body
    assert reverse("cases:detail", args=[case.pk]) in body


def test_pressing_twice_opens_one_case(login_client: Any, screener: Any) -> None:
    screening = completed(screener)
    client = login_client(screener)
    first = client.post(url("open_case", screening))
    second = client.post(url("open_case", screening), follow=True)
    case = Case.objects.get()
    assert first.url == second.redirect_chain[0][0] == reverse("cases:detail", args=[case.pk])
    assert "already opened" in second.content.decode()
    assert case.events.filter(kind=CaseEvent.Kind.SCREENING_ATTACHED).count() == 1


def test_a_colleague_who_cannot_see_the_case_is_told_and_nothing_is_created(
    login_client: Any, personas: Any, screener: Any
) -> None:
    from lantern.accounts.tests.factories import UserFactory

    screening = completed(screener)
    services.open_case_from_screening(actor=screener, screening=screening)
    colleague = UserFactory(organisation=personas.own_org, roles=[Role.SCREENER], username="own_screener_2")
    client = login_client(colleague)
    response = client.post(url("open_case", screening), follow=True)
    assert response.redirect_chain[-1][0] == url("result", screening)
    assert "by a colleague" in response.content.decode()
    assert Case.objects.count() == 1


def test_the_view_refuses_a_result_that_calls_for_no_case(login_client: Any, screener: Any) -> None:
    screening = completed(screener, answers={})
    client = login_client(screener)
    assert 'data-action="refer-nrm"' not in client.get(url("result", screening)).content.decode()
    response = client.post(url("open_case", screening))
    assert response.status_code == 302 and response.url == url("result", screening)
    assert not Case.objects.exists()


def test_another_organisation_gets_404(login_client: Any, personas: Any, screener: Any) -> None:
    screening = completed(screener)
    client = login_client(personas.other[Role.CASE_WORKER])
    assert client.post(url("open_case", screening)).status_code == 404
    assert not Case.objects.exists()


@pytest.mark.parametrize("role", [Role.NRM_DECISION_MAKER, Role.LAWYER, Role.STATISTICS_VIEWER])
def test_roles_without_case_create_get_403(
    login_client: Any, personas: Any, screener: Any, role: Role
) -> None:
    screening = completed(screener)
    client = login_client(personas.own[role])
    assert client.post(url("open_case", screening)).status_code == 403
    assert not Case.objects.exists()


def test_the_decision_maker_sees_the_result_without_the_button(login_client: Any, personas: Any) -> None:
    # Decision-makers work in the competent authority: a screening of theirs.
    screening = completed(UserFactory(organisation=personas.own_authority, roles=[Role.SCREENER]))
    body = login_client(personas.own[Role.NRM_DECISION_MAKER]).get(url("result", screening)).content.decode()
    assert 'id="nrm-referral"' in body and 'data-action="refer-nrm"' not in body


def test_only_post(login_client: Any, screener: Any) -> None:
    screening = ScreeningFactory(created_by=screener)
    assert login_client(screener).get(url("open_case", screening)).status_code == 405

"""Certificates: codes, the PDF for the holder only, and the public verification page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.training import codes, services
from lantern.training.tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db


def test_codes_are_random_and_carry_a_check() -> None:
    made = {codes.new_code(settings.SECRET_KEY) for _ in range(200)}
    assert len(made) == 200
    code = made.pop()
    assert codes.well_formed(code, settings.SECRET_KEY)
    assert codes.well_formed(codes.normalise(codes.display(code).lower()), settings.SECRET_KEY)
    flipped = code[:3] + ("A" if code[3] != "A" else "B") + code[4:]
    assert not codes.well_formed(flipped, settings.SECRET_KEY)
    assert not codes.well_formed(code, "another-key")


def test_valid_certificate_is_verified_without_signing_in(client: Any, personas: Any) -> None:
    holder = personas.own[Role.SCREENER]
    certificate = CertificateFactory(user=holder, organisation=personas.own_org, holder_name="Nadia Karam")
    response = client.get(f"/verify/{codes.display(certificate.code)}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "This certificate is valid." in text
    assert "Nadia Karam" in text and "Harbour Reception Centre" in text
    assert "What trafficking in human beings is" in text


def test_expired_certificate_says_so(client: Any, personas: Any) -> None:
    past = timezone.now() - timedelta(days=800)
    certificate = CertificateFactory(
        user=personas.own[Role.LAWYER], organisation=personas.own_org, issued_at=past
    )
    text = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "This certificate has expired." in text
    assert "This certificate is valid." not in text


def test_forged_and_unknown_codes_get_the_same_answer(client: Any, personas: Any) -> None:
    real = CertificateFactory(user=personas.own[Role.LAWYER], organisation=personas.own_org)
    forged = real.code[:-1] + ("0" if real.code[-1] != "0" else "1")  # right body, wrong check
    unknown = codes.new_code(settings.SECRET_KEY)  # well formed, never issued
    answers = [client.get(f"/verify/{code}/") for code in (forged, unknown, "1234", "<script>")]
    assert {r.status_code for r in answers} == {404}
    bodies = {r.content.decode().replace(r.wsgi_request.path, "") for r in answers}
    for body in bodies:
        assert "There is no certificate with this code." in body
        assert real.holder_name not in body


def test_holder_downloads_the_certificate_pdf_and_nobody_else_can(personas: Any, login_client: Any) -> None:
    holder = personas.own[Role.CASE_WORKER]
    certificate = CertificateFactory(user=holder, organisation=personas.own_org)
    response = login_client(holder).get(f"/training/certificates/{certificate.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    colleague = login_client(personas.own[Role.ORG_ADMIN])
    assert colleague.get(f"/training/certificates/{certificate.pk}/pdf/").status_code == 404


def test_expiry_follows_the_setting(personas: Any, settings: Any) -> None:
    settings.LANTERN_CERTIFICATE_VALID_DAYS = 30
    from lantern.training import content

    actor = personas.own[Role.SERVICE_PROVIDER]
    attempt = services.start_attempt(actor=actor, module_id="children", language="en")
    bank = content.questions("children")
    answers = {q: sorted(bank[q].correct_ids) for q in attempt.question_ids}
    _attempt, certificate = services.submit_attempt(
        actor=actor, attempt_id=attempt.pk, module_id="children", answers=answers
    )
    assert certificate is not None
    assert (certificate.expires_at - certificate.issued_at) == timedelta(days=30)

"""Factories for training records."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.conf import settings
from django.utils import timezone

from lantern.accounts.tests.factories import OrganisationFactory, UserFactory
from lantern.training import codes, content, quiz
from lantern.training.models import Certificate, QuizAttempt

MODULE = "what-is-trafficking"


class QuizAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuizAttempt

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))
    module_id = MODULE
    module_version = 1
    language = "en"
    questions = factory.LazyAttribute(lambda a: quiz.draw(content.questions(a.module_id)))
    pass_mark = 80


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))
    attempt = factory.SubFactory(
        QuizAttemptFactory,
        user=factory.SelfAttribute("..user"),
        organisation=factory.SelfAttribute("..organisation"),
        score_percent=100,
        passed=True,
        submitted_at=factory.LazyFunction(timezone.now),
    )
    module_id = MODULE
    module_version = 1
    module_title = "What trafficking in human beings is: act, means and purpose"
    holder_name = factory.LazyAttribute(lambda c: c.user.get_full_name() or c.user.username)
    code = factory.LazyFunction(lambda: codes.new_code(settings.SECRET_KEY))
    issued_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda c: c.issued_at + timedelta(days=730))

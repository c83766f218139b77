"""Who may do what in training (gate rules, default deny).

- Taking training (`training.take`: reading modules, quizzes, practice cases): every signed-in user with a
  role — screeners, case workers, lawyers, everyone. An attempt belongs to the person who started it; nobody
  else may submit or see it.
- Certificates (`training.certificate`): the holder downloads their own. Anyone may check a code on the
  public verification page, which shows only the holder's name, the module and the dates.
- Coverage (`training.coverage`): an organisation's administrator sees who in the organisation completed
  what and what expires soon (obj: the organisation, a certificate or a user of it). Nobody else: staff
  training records are the employer's business, not other organisations'.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lantern.accounts.models import Organisation, User
from lantern.accounts.roles import Role
from lantern.authz.gate import rule, scope

from .models import Certificate, QuizAttempt


def _organisation_of(obj: Any) -> Any:
    return obj.pk if isinstance(obj, Organisation) else getattr(obj, "organisation_id", None)


@rule("training.take")
def may_take_training(actor: Any, obj: Any) -> bool:
    """obj: None (may train at all) or a quiz attempt (only one's own)."""
    if not actor.roles:
        return False
    return obj is None or getattr(obj, "user_id", None) == actor.pk


@scope(QuizAttempt, "training.take")
def own_attempts(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(user_id=actor.pk)


@rule("training.certificate")
def may_download_certificate(actor: Any, obj: Any) -> bool:
    if not actor.roles:
        return False
    return obj is None or getattr(obj, "user_id", None) == actor.pk


@scope(Certificate, "training.certificate")
def own_certificates(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(user_id=actor.pk)


@rule("training.coverage")
def may_see_coverage(actor: Any, obj: Any) -> bool:
    if not actor.has_role(Role.ORG_ADMIN):
        return False
    return obj is None or _organisation_of(obj) == actor.organisation_id


def _of_the_organisation(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(organisation_id=actor.organisation_id)


scope(Certificate, "training.coverage")(_of_the_organisation)
scope(User, "training.coverage")(_of_the_organisation)

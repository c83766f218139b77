"""Who may make, review, publish and download anonymised releases (gate rules, default deny).

- NRM decision-makers (the national coordinators) create releases (`release.create`): they are the ones
  allowed the CTDC microdata a release is made from (`insights.microdata`), signed in with two
  factors. A release belongs to their organisation.
- Another NRM decision-maker of the same organisation reviews (approves) it (`release.review`); the author
  never reviews their own release. An NRM decision-maker of the organisation publishes a reviewed release
  (`release.publish`). While a release is a draft or reviewed, only the organisation's NRM decision-makers see
  it and its file (`release.view`, `release.download`) — the reviewer must be able to read what they approve.
- Once published, statistics viewers and NRM decision-makers of any organisation in the same country see and
  download it. Nobody else: organisation administrators count their own organisation's cases in insights
  but do not make national releases; system administrators run the system and see no figures.
- `obj` is a release, or for `release.create` the organisation it would belong to. Which status a release
  must have for each step is the services' business (a clear message rather than a refusal).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lantern.accounts.models import Organisation
from lantern.accounts.roles import Role
from lantern.authz.gate import rule, scope

from .models import Release, ReleaseStatus

MAKERS = (Role.NRM_DECISION_MAKER,)
READERS = (Role.NRM_DECISION_MAKER, Role.STATISTICS_VIEWER)


def _country_of(actor: Any) -> str:
    return actor.organisation.country.code


def _makes_for(actor: Any, release: Release) -> bool:
    return actor.has_role(*MAKERS) and release.organisation_id == actor.organisation_id


def _reads_published(actor: Any, release: Release) -> bool:
    return (
        actor.has_role(*READERS)
        and release.status == ReleaseStatus.PUBLISHED
        and release.organisation.country.code == _country_of(actor)
    )


def readable_q(actor: Any) -> Q:
    """Releases the actor sees: their organisation's (makers), published ones of their country (readers)."""
    condition = Q(pk__in=[])
    if actor.has_role(*MAKERS):
        condition |= Q(organisation_id=actor.organisation_id)
    if actor.has_role(*READERS):
        condition |= Q(status=ReleaseStatus.PUBLISHED, organisation__country=_country_of(actor))
    return condition


@rule("release.create")
def may_create_release(actor: Any, obj: Any) -> bool:
    """obj: None (at all) or the organisation the release would belong to."""
    if not actor.has_role(*MAKERS):
        return False
    return obj is None or (isinstance(obj, Organisation) and obj.pk == actor.organisation_id)


@rule("release.view")
def may_view_release(actor: Any, obj: Any) -> bool:
    if obj is None:
        return actor.has_role(*READERS)
    return _makes_for(actor, obj) or _reads_published(actor, obj)


@rule("release.download")
def may_download_release(actor: Any, obj: Any) -> bool:
    return may_view_release(actor, obj)


@rule("release.review")
def may_review_release(actor: Any, obj: Any) -> bool:
    """A second person: an NRM decision-maker of the organisation who is not the release's author."""
    if obj is None:
        return actor.has_role(*MAKERS)
    return _makes_for(actor, obj) and obj.created_by_id != actor.pk


@rule("release.publish")
def may_publish_release(actor: Any, obj: Any) -> bool:
    if obj is None:
        return actor.has_role(*MAKERS)
    return _makes_for(actor, obj)


def _readable(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(readable_q(actor))


def _made_here(actor: Any, qs: QuerySet) -> QuerySet:
    if not actor.has_role(*MAKERS):
        return qs.none()
    return qs.filter(organisation_id=actor.organisation_id)


scope(Release, "release.view")(_readable)
scope(Release, "release.download")(_readable)
scope(Release, "release.review")(_made_here)
scope(Release, "release.publish")(_made_here)

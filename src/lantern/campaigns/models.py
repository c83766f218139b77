"""Awareness campaigns and their reach counters.

- `Campaign`: what an organisation runs to make people aware of trafficking and of their rights — aim,
  target groups, languages (of the public pages), channels, period and partners — with a short unguessable
  `code` used in QR codes and links (`/r/<code>/<lang>/`, `/p/<lang>/?c=<code>`). Not personal data.
- `ReachCount`: how many public page views and QR scans a campaign had in one language on one day. By design
  it holds nothing else — no IP address, user agent, referrer, cookie or time finer than the day — so the
  figures identify nobody (counting lives in `reach.py`).
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lantern.audit.models import AuditedModel

# The languages of the public pages (lantern.public.texts.LANGUAGES), which campaign materials link to.
LANGUAGES = ("en", "fr", "es", "el", "uk", "ar", "fa", "ti")
RTL_LANGUAGES = frozenset({"ar", "fa"})
CODE_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: codes may be typed from a poster
CODE_LENGTH = 10  # 32**10 ≈ 10**15: not guessable by trying


def new_campaign_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class TargetGroup(models.TextChoices):
    MIGRANT_WORKERS = "migrant_workers", _("Migrant workers")
    ASYLUM_SEEKERS = "asylum_seekers", _("Asylum seekers and refugees")
    YOUNG_PEOPLE = "young_people", _("Young people")
    WOMEN = "women", _("Women and girls")
    SEX_WORKERS = "sex_workers", _("People in sex work")
    DOMESTIC_WORKERS = "domestic_workers", _("Domestic workers")
    PROFESSIONALS = "professionals", _("Frontline professionals")
    EMPLOYERS = "employers", _("Employers and businesses")
    GENERAL_PUBLIC = "general_public", _("General public")


class Channel(models.TextChoices):
    SOCIAL_MEDIA = "social_media", _("Social media")
    RADIO = "radio", _("Radio")
    TELEVISION = "television", _("Television")
    LEAFLETS = "leaflets", _("Leaflets")
    POSTERS = "posters", _("Posters")
    OUTREACH = "outreach", _("Outreach work")
    EVENTS = "events", _("Events and workshops")
    PRESS = "press", _("Press")


class Campaign(AuditedModel):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    aim = models.TextField(_("aim"), max_length=2000)
    target_groups = models.JSONField(_("target groups"), default=list)
    languages = models.JSONField(_("languages"), default=list)
    channels = models.JSONField(_("channels"), default=list)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    partners = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="partner_campaigns",
        verbose_name=_("partner organisations"),
    )
    other_partners = models.CharField(_("other partners"), max_length=500, blank=True)
    code = models.CharField(
        _("public code"), max_length=16, unique=True, default=new_campaign_code, editable=False
    )
    active = models.BooleanField(_("counting reach"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    audit_exclude_fields = frozenset({"updated_at"})

    class Meta:
        ordering = ["-starts_on", "name", "pk"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaigns_campaign_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def target_group_labels(self) -> list[str]:
        return [str(TargetGroup(v).label) for v in self.target_groups if v in TargetGroup.values]

    def channel_labels(self) -> list[str]:
        return [str(Channel(v).label) for v in self.channels if v in Channel.values]


class ReachKind(models.TextChoices):
    PAGE_VIEW = "view", _("Page views")
    QR_SCAN = "scan", _("QR scans")


class ReachCount(models.Model):
    """A campaign's page views or QR scans in one language on one day. Nothing else, on purpose."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reach_counts")
    language = models.CharField(max_length=8)
    day = models.DateField()
    kind = models.CharField(max_length=4, choices=ReachKind.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["campaign", "day", "language", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "language", "day", "kind"], name="campaigns_reach_one_counter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.language} {self.day} {self.kind}: {self.count}"

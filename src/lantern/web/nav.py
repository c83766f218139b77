"""The main navigation: one list, each entry shown only to users the gate allows its action."""

from django.utils.translation import gettext_lazy as _

# (url name, label, gate action or None for every verified user)
NAV_ITEMS = [
    ("web:home", _("Home"), None),
    ("cases:dashboard", _("Dashboard"), None),
    ("screening:list", _("Screenings"), "screening.view"),
    ("cases:list", _("Cases"), "case.view"),
    ("referrals:list", _("Referrals"), "referral.view"),
    ("referrals:directory", _("Service directory"), "directory.view"),
    ("dedup:queue", _("Same person?"), "dedup.review"),
    ("accounts:user_list", _("People"), "user.view"),
    ("accounts:organisation_list", _("Organisations"), "organisation.view"),
    ("insights:dashboard", _("Statistics"), "insights.view"),
    ("releases:list", _("Anonymised releases"), "release.view"),
    ("campaigns:list", _("Campaigns"), "campaign.view"),
    ("training:index", _("Training"), "training.take"),
    ("audit:search", _("Audit trail"), "audit.view"),
    ("public:helplines_review", _("Helplines to check again"), "helplines.review"),
    ("accounts:tokens", _("API tokens"), "api_token.manage"),
    ("accounts:account", _("Your account"), None),
]

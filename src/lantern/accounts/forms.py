"""Forms for signing in, two-factor codes, and managing users and organisations. The forms that make or change
an account or an organisation carry an idempotency key (`lantern.web.idempotency`): a double click is applied
once. The new account's initial password is a secret field: it is left out of the key's digest (which would
otherwise hold a fast hash of it) and out of a form shown again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lantern.web.idempotency import IdempotentFormMixin

from .grantable import roles_allowed
from .models import Organisation, User
from .roles import OrganisationType, Role, Service


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Enter a correct username and password. Both are case-sensitive. "
            "After several wrong attempts the account is locked for a while."
        ),
        "inactive": _("This account is not active. Ask your organisation's administrator."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": False})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class TokenForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Authentication code"),
        help_text=_("The 6-digit code from your authenticator app."),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def clean_otp_token(self) -> str:
        value = "".join(self.cleaned_data["otp_token"].split())
        if not value.isdigit() or len(value) != 6:
            raise ValidationError(_("Enter the 6-digit code from your authenticator app."))
        return value


def _roles_hint(organisation_type: str | None) -> str:
    national = _("The NRM decision-maker role belongs to the NRM competent authority.")
    if not organisation_type:
        return str(national)
    return "{} {}".format(
        _("Only the roles that an organisation of the type “%(type)s” can hold are offered.")
        % {"type": OrganisationType(organisation_type).label},
        national,
    )


class UserForm(IdempotentFormMixin, forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email address"))
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    password = forms.CharField(
        label=_("Initial password"),
        help_text=_(
            "At least 12 characters. The person will set up two-factor sign-in when they first sign in."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    is_active = forms.BooleanField(label=_("Account active"), required=False, initial=True)

    def __init__(
        self, *args: Any, actor: User, organisations: Any, editing: User | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.actor = actor
        self.fields["organisation"].queryset = organisations
        # The organisation whose type decides the roles offered: the person's, or (when a system administrator
        # may choose among organisations) none, and `clean` checks the one chosen.
        organisation_type = editing.organisation.type if editing is not None else None
        if not actor.has_role(Role.SYSTEM_ADMIN):
            self.fields["organisation"].initial = actor.organisation_id
            organisation_type = organisation_type or actor.organisation.type
        offered = roles_allowed(organisation_type) if organisation_type else Role.values
        self.fields["roles"].choices = [
            c
            for c in Role.choices
            if c[0] in offered and (c[0] != Role.SYSTEM_ADMIN or actor.has_role(Role.SYSTEM_ADMIN))
        ]
        self.fields["roles"].help_text = _roles_hint(organisation_type)
        if editing is not None and editing.pk == actor.pk:
            self.fields["roles"].disabled = True
            self.fields["roles"].help_text = _(
                "You cannot change your own roles. Ask another administrator of your organisation."
            )
        if editing is not None:
            del self.fields["password"]
            del self.fields["organisation"]
            self.fields["username"].disabled = True
        else:
            del self.fields["is_active"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if self.editing is None and User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken. Choose another."))
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        organisation = data.get("organisation")
        if organisation is not None and data.get("roles"):
            refused = sorted(set(data["roles"]) - set(roles_allowed(organisation.type)))
            if refused:
                self.add_error(
                    "roles",
                    _("An organisation of the type “%(type)s” cannot hold these roles: %(roles)s.")
                    % {
                        "type": OrganisationType(organisation.type).label,
                        "roles": ", ".join(str(Role(r).label) for r in refused),
                    },
                )
        if self.editing is None and data.get("password"):
            try:
                validate_password(
                    data["password"], User(username=data.get("username", ""), email=data.get("email", ""))
                )
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


class UserEditForm(UserForm):
    """Changing an existing account (no password field): once per idempotency key."""


class OrganisationForm(IdempotentFormMixin, forms.ModelForm):
    services = forms.MultipleChoiceField(
        label=_("Services offered"),
        choices=Service.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.CharField(
        label=_("Languages"),
        help_text=_("Language codes separated by commas, for example: en, fr, ar"),
        required=False,
    )

    reason = forms.CharField(
        label=_("Reason for changing the type or country"),
        help_text=_("Needed when the type or country changes; kept in the audit trail."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Organisation
        fields = ["name", "type", "country", "languages", "services", "active"]

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and isinstance(self.instance.languages, list):
            self.initial["languages"] = ", ".join(self.instance.languages)
        if not self.instance.pk:
            del self.fields["reason"]
        elif not actor.has_role(Role.SYSTEM_ADMIN):
            # Type and country decide who may hold national roles and where cases are counted.
            del self.fields["reason"]
            for name in ("type", "country"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Only a system administrator can change this.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "reason" in self.fields and not (data.get("reason") or "").strip():
            if any(name in self.changed_data for name in ("type", "country")):
                self.add_error("reason", _("Say why the organisation's type or country changes."))
        return data

    def clean_languages(self) -> list[str]:
        raw = self.cleaned_data.get("languages") or ""
        codes = [c.strip().lower() for c in raw.split(",") if c.strip()]
        bad = [c for c in codes if not (2 <= len(c) <= 8 and c.replace("-", "").isalpha())]
        if bad:
            raise ValidationError(_("Not a language code: %(codes)s") % {"codes": ", ".join(bad)})
        return codes


class ResetSecondFactorForm(forms.Form):
    reason = forms.CharField(
        label=_("Why reset the authenticator?"),
        help_text=_("For example: phone lost on 3 May, identity checked in person. Kept in the audit trail."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("What is this token for?"), max_length=100)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)

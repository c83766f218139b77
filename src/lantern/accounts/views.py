"""Sign-in (password, then TOTP), sign-out, and management of users, organisations and API tokens."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.authz.gate import access, can, visible
from lantern.authz.views import allowed, password_only, public, signed_in
from lantern.web import idempotency
from lantern.web.pagination import paginate

from . import services, two_factor
from .forms import (
    ApiTokenForm,
    OrganisationForm,
    ResetSecondFactorForm,
    SignInForm,
    TokenForm,
    UserEditForm,
    UserForm,
)
from .models import ApiToken, Organisation, RoleChange, User

USER_PERSONAL_FIELDS = ["first_name", "last_name", "email"]


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return None


@public
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and (not request.user.needs_two_factor or request.user.is_verified()):
        return redirect("web:home")
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        if _safe_next(request):
            request.session["lantern_next"] = _safe_next(request)
        if form.get_user().needs_two_factor:
            return redirect("accounts:two_factor")
        return redirect(request.session.pop("lantern_next", None) or "web:home")
    return render(request, "accounts/sign_in.html", {"form": form, "next": _safe_next(request) or ""})


@password_only
def two_factor_step(request: HttpRequest) -> HttpResponse:
    """Enter a TOTP code, or enrol an authenticator first if the user has none."""
    user = request.user
    if not user.needs_two_factor or user.is_verified():
        return redirect("web:home")
    if _locked(request, user):
        logout(request)
        return render(request, "accounts/locked_out.html", status=429)
    device = two_factor.confirmed_device(user)
    enrolling = device is None
    if enrolling:
        device = two_factor.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = two_factor.seconds_to_wait(device)
        if wait:
            form.add_error(
                "otp_token",
                ngettext(
                    "After a wrong code, wait %(seconds)d second before you enter the next code.",
                    "After a wrong code, wait %(seconds)d seconds before you enter the next code.",
                    wait,
                )
                % {"seconds": wait},
            )
        elif two_factor.verify(request, user, device, form.cleaned_data["otp_token"]):
            return redirect(request.session.pop("lantern_next", None) or "web:home")
        else:
            message = _(
                "The code is not correct or has expired. Enter the current code from your authenticator app."
            )
            form.add_error("otp_token", message)
        if _locked(request, user):
            logout(request)
            return render(request, "accounts/locked_out.html", status=429)
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context.update(secret=two_factor.secret_base32(device), qr=two_factor.qr_data_uri(device))
    return render(request, "accounts/two_factor.html", context)


def _locked(request: HttpRequest, user: User) -> bool:
    """Locked out by wrong passwords or, counted apart, by wrong codes."""
    return AxesProxyHandler.is_locked(
        request, credentials={"username": user.username}
    ) or AxesProxyHandler.is_locked(request, credentials=two_factor.second_factor_credentials(user))


@password_only
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect("accounts:login")


@password_only
@require_POST
def extend_session(request: HttpRequest) -> JsonResponse:
    # The inactivity middleware has already refreshed the activity time on this request.
    return JsonResponse({"extended": True})


@allowed("user.view")
def user_list(request: HttpRequest) -> HttpResponse:
    users = (
        visible(request.user, "user.view", User)
        .select_related("organisation")
        .prefetch_related("role_grants")
    )
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(username__icontains=query)
    page = paginate(users, 50, request.GET.get("page"))
    record(
        AuditRecord.Action.VIEW,
        actor=request.user,
        object_type="accounts.user",
        object_id="list",
        fields=USER_PERSONAL_FIELDS,
        detail={"ids": [u.pk for u in page]},
    )
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "query": query,
            "page_query": urlencode({"q": query}) if query else "",
            "can_create": can(request.user, "user.create"),
        },
    )


@allowed("user.create")
def user_create(request: HttpRequest) -> HttpResponse:
    organisations = visible(request.user, "organisation.change", Organisation)

    def build(data: Any) -> UserForm:
        return UserForm(data, actor=request.user, organisations=organisations)

    def act(form: UserForm) -> str:
        data = form.cleaned_data
        services.create_user(
            actor=request.user,
            organisation=data["organisation"],
            username=data["username"],
            email=data["email"],
            password=data["password"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            roles=data["roles"],
        )
        messages.success(request, _("The account was created."))
        return reverse("accounts:user_list")

    # Once per key; the password is left out of the key's digest (`idempotency.secret_fields`).
    form, response = idempotency.submit_once(request, build, act)
    if response is not None:
        return response
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@allowed("user.change")
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = access(request.user, "user.change", User, pk)
    initial = {
        "username": target.username,
        "first_name": target.first_name,
        "last_name": target.last_name,
        "email": target.email,
        "roles": sorted(target.roles)
        if target.is_active
        else list(target.role_grants.values_list("role", flat=True)),
        "is_active": target.is_active,
    }

    def build(data: Any) -> UserEditForm:
        return UserEditForm(
            data,
            initial=initial,
            actor=request.user,
            organisations=Organisation.objects.none(),
            editing=target,
        )

    def act(form: UserEditForm) -> str:
        data = form.cleaned_data
        changes = {k: data[k] for k in ("first_name", "last_name", "email", "is_active")}
        services.update_user(actor=request.user, user=target, changes=changes, roles=data["roles"])
        messages.success(request, _("The account was updated."))
        return reverse("accounts:user_list")

    form, response = idempotency.submit_once(request, build, act)
    if response is not None:
        return response
    record(AuditRecord.Action.VIEW, target, actor=request.user, fields=USER_PERSONAL_FIELDS)
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "target": target,
            "role_changes": _role_changes(target),
            "reset_form": ResetSecondFactorForm() if target.pk != request.user.pk else None,
        },
    )


@allowed("user.change")
@require_POST
def reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    """An administrator removes a person's authenticator (audited, with a reason); they enrol again."""
    target = access(request.user, "user.change", User, pk)
    form = ResetSecondFactorForm(request.POST)
    if form.is_valid():
        services.reset_second_factor(actor=request.user, user=target, reason=form.cleaned_data["reason"])
        messages.success(
            request, _("The authenticator was reset: the person sets up a new one at next sign-in.")
        )
    else:
        messages.error(request, _("Say why the authenticator is reset."))
    return redirect("accounts:user_edit", pk=target.pk)


def _role_changes(user: User) -> Any:
    return RoleChange.objects.filter(user=user).select_related("changed_by")[:50]


@signed_in
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own account: their roles and every change of them."""
    return render(request, "accounts/account.html", {"role_changes": _role_changes(request.user)})


@allowed("organisation.view")
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = visible(request.user, "organisation.view", Organisation)
    changeable = set(visible(request.user, "organisation.change", Organisation).values_list("pk", flat=True))
    return render(
        request,
        "accounts/organisation_list.html",
        {
            "organisations": organisations,
            "changeable": changeable,
            "can_create": can(request.user, "organisation.create"),
        },
    )


@allowed("organisation.create")
def organisation_create(request: HttpRequest) -> HttpResponse:

    def act(form: OrganisationForm) -> str:
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        services.create_organisation(actor=request.user, **fields)
        messages.success(request, _("The organisation was created."))
        return reverse("accounts:organisation_list")

    def build(data: Any) -> OrganisationForm:
        return OrganisationForm(data, actor=request.user)

    form, response = idempotency.submit_once(request, build, act)
    if response is not None:
        return response
    return render(request, "accounts/organisation_form.html", {"form": form, "creating": True})


@allowed("organisation.change")
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access(request.user, "organisation.change", Organisation, pk)
    instance = Organisation.objects.get(pk=organisation.pk)

    def build(data: Any) -> OrganisationForm:
        return OrganisationForm(data, instance=instance, actor=request.user)

    def act(form: OrganisationForm) -> str:
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        services.update_organisation(
            actor=request.user,
            organisation=organisation,
            changes=changes,
            reason=form.cleaned_data.get("reason", ""),
        )
        messages.success(request, _("The organisation was updated."))
        return reverse("accounts:organisation_list")

    form, response = idempotency.submit_once(request, build, act)
    if response is not None:
        return response
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": organisation})


@allowed("api_token.manage")
def tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = ApiToken.issue(request.user, form.cleaned_data["name"], form.cleaned_data["days"])
        form = ApiTokenForm()
    own = visible(request.user, "api_token.manage", ApiToken).order_by("-created_at")
    return render(request, "accounts/tokens.html", {"form": form, "tokens": own, "new_token": new_token})


@allowed("api_token.manage")
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = access(request.user, "api_token.manage", ApiToken, pk)
    token.revoked = True
    token.save(update_fields=["revoked"])
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:tokens")

"""Logging in, the second factor (enrolment, verification, recovery codes) and the rights review.

The second factor is *enforced* in schakel.core.access.governed; these views are where a user
goes to satisfy it. They show only the user's own account, so they are `authenticated` views.
"""

from __future__ import annotations

import base64
import csv
import io
from typing import Any, cast
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from schakel.core.access import (
    authenticated,
    governed,
    public,
    requires_second_factor,
    second_factor_enrolled,
    second_factor_redirect,
    second_factor_satisfied,
    second_factor_verified,
)
from schakel.core.context import AccessContext
from schakel.core.export import spreadsheet_cell
from schakel.core.policies import ACTING_MEMBERSHIP_SESSION_KEY, Action, actor_from_request
from schakel.organisations.choices import Role
from schakel.organisations.models import User
from schakel.organisations.selectors import memberships_of

from . import selectors, services
from .forms import EnrolmentCodeForm, LoginForm, VerificationCodeForm
from .policies import rights_review_policy

# New recovery codes wait here between the POST that makes them and the page that shows them once.
RECOVERY_CODES_SESSION_KEY = "schakel_recovery_codes"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _next_url(request: HttpRequest) -> str:
    """Where to go afterwards: a same-site `next`, otherwise the start page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


def _to(name: str, next_url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': next_url})}")


def _qr_data_uri(data: str) -> str:
    """The provisioning URI as an SVG QR code inline in the page (the CSP allows data: images)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _start_verified_session(request: HttpRequest, device: Any) -> None:
    otp_login(request, device)
    # A new session key once the session holds more rights (as Django does at login).
    request.session.cycle_key()


# --- Logging in -------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Django's login, plus: straight on to the code (or enrolment) when the user needs one, and
    the identity-provider button when OpenID Connect is on."""

    redirect_authenticated_user = True
    form_class = LoginForm

    def get_success_url(self) -> str:
        url = super().get_success_url()
        if not second_factor_satisfied(self.request):
            return second_factor_redirect(self.request, url).url
        return url

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = getattr(settings, "SCHAKEL_OIDC_ENABLED", False)
        return context


login = public(LoginView.as_view())


# --- Which membership the user acts for ------------------------------------------------------


@authenticated
@require_http_methods(["GET", "POST"])
def act_as(request: HttpRequest) -> HttpResponse:
    """A user with several memberships says which one they act for: what they may do, the
    organisation their entries name and the role the audit log records follow from it."""
    actor = actor_from_request(request)
    memberships = memberships_of(actor=actor, roles=Role.values)
    if request.method == "POST":
        chosen = next(
            (m for m in memberships if str(m.pk) == request.POST.get("membership", "")), None
        )
        if chosen is None:
            messages.error(request, _("Choose one of your roles."))
        else:
            request.session[ACTING_MEMBERSHIP_SESSION_KEY] = chosen.pk
            messages.success(
                request,
                _("You now act as %(role)s for %(organisation)s.")
                % {"role": chosen.get_role_display(), "organisation": chosen.organisation},
            )
            return HttpResponseRedirect(_next_url(request))
    return render(
        request,
        "accounts/act_as.html",
        {"memberships": memberships, "acting": actor.membership_id, "next": _next_url(request)},
        status=400 if request.method == "POST" else 200,
    )


# --- The account page and the second factor ---------------------------------------------------


@authenticated
def security(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    actor = actor_from_request(request)
    return render(
        request,
        "accounts/security.html",
        {
            "required": requires_second_factor(actor),
            "enrolled": services.totp_device_of(user=user) is not None,
            "verified": second_factor_verified(request),
            "codes_left": services.recovery_codes_left(user=user),
            "memberships": memberships_of(actor=actor, roles=Role.values),
        },
    )


@authenticated
@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    next_url = _next_url(request)
    verified = second_factor_verified(request)
    if services.totp_device_of(user=user) is not None and not verified:
        # Replacing a device needs the old one first: a password alone must not move it.
        return _to("accounts:verify", next_url)
    device = services.second_factor_enrolment_start(user=user, session_verified=verified)
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enrolled = services.second_factor_enrol(
            context=AccessContext.from_request(request),
            user=user,
            code=form.cleaned_data["code"],
            session_verified=verified,
        )
        if enrolled is not None:
            new_device, codes = enrolled
            _start_verified_session(request, new_device)
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            return _to("accounts:recovery_codes", next_url)
        form.add_error(
            "code",
            _(
                "This code is not correct. Check that the time on your phone is right and "
                "enter the code the app shows now."
            ),
        )
    secret = base64.b32encode(device.bin_key).decode("ascii")
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": _qr_data_uri(device.config_url),
            "secret": _grouped(secret),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@authenticated
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    next_url = _next_url(request)
    if second_factor_verified(request):
        return HttpResponseRedirect(next_url)
    if not second_factor_enrolled(user):
        return _to("accounts:enrol", next_url)
    form = VerificationCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = services.second_factor_check(
            context=AccessContext.from_request(request), user=user, code=form.cleaned_data["code"]
        )
        if check.accepted:
            _start_verified_session(request, check.device)
            if check.recovery_code_used:
                messages.warning(
                    request,
                    ngettext(
                        "You logged in with a recovery code. You have %(count)d recovery code "
                        "left; make new ones on your account page.",
                        "You logged in with a recovery code. You have %(count)d recovery codes "
                        "left; make new ones on your account page.",
                        check.recovery_codes_left,
                    )
                    % {"count": check.recovery_codes_left},
                )
            return HttpResponseRedirect(next_url)
        if check.throttled:
            form.add_error("code", _("Too many wrong codes. Wait a minute and try again."))
        else:
            form.add_error("code", _("This code is not correct, or it was used before."))
    return render(
        request,
        "accounts/verify.html",
        {"form": form, "next": next_url},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@authenticated
@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """POST makes new codes; GET shows freshly made codes once, then forgets them."""
    if request.method == "POST":
        codes = services.recovery_codes_renew(
            context=AccessContext.from_request(request),
            user=_user(request),
            session_verified=second_factor_verified(request),
        )
        request.session[RECOVERY_CODES_SESSION_KEY] = codes
        return redirect("accounts:recovery_codes")
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("accounts:security")
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
    )


@authenticated
@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    services.second_factor_turn_off(
        context=AccessContext.from_request(request),
        user=_user(request),
        session_verified=second_factor_verified(request),
    )
    messages.success(request, _("Two-factor authentication is turned off for your account."))
    return redirect("accounts:security")


# --- The yearly rights review -----------------------------------------------------------------

EXPORT_COLUMNS = [
    "username",
    "name",
    "email",
    "organisation",
    "organisation_active",
    "role",
    "member_since",
    "last_login",
    "date_joined",
    "second_factor_enrolled",
    "flag_no_recent_login",
    "flag_second_factor_missing",
    "flag_inactive_organisation",
]


def _when(value: Any) -> str:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else ""


@governed(rights_review_policy, Action.LIST)
def rights_review(request: HttpRequest) -> HttpResponse:
    reviews = selectors.rights_review(AccessContext.from_request(request))
    return render(
        request,
        "accounts/rights_review.html",
        {
            "reviews": reviews,
            "flagged": sum(1 for review in reviews if review.flagged),
            "inactive_days": getattr(settings, "SCHAKEL_REVIEW_INACTIVE_DAYS", 90),
        },
    )


@governed(rights_review_policy, Action.LIST)
def rights_review_export(request: HttpRequest) -> HttpResponse:
    reviews = selectors.rights_review(AccessContext.from_request(request), export=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="schakel-rights-review-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    for review in reviews:
        account = [review.username, review.full_name, review.email]
        account_facts = [
            _when(review.last_login),
            _when(review.date_joined),
            review.second_factor_enrolled,
            review.no_recent_login,
            review.second_factor_missing,
            review.inactive_organisation,
        ]
        rows = [
            [m.organisation, m.organisation_active, m.role, _when(m.since)]
            for m in review.memberships
        ] or [["", "", "", ""]]
        for membership in rows:
            writer.writerow(
                [spreadsheet_cell(value) for value in (*account, *membership, *account_facts)]
            )
    return response

"""The functional administrator's screens: users, organisations and reference data.

Access is decided by the reference-data policy, not by Django's is_staff/permission flags, and no
case content (signals, cases, persons) is ever registered here.
"""

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .access import second_factor_satisfied
from .policies import Action, actor_from_request, policy_for

# Django 5.2's admin has no Dutch yet for these: the screen-reader headers of its model tables,
# the screen-reader prefix of its error notes and the user form's hint. Named here, they are in
# Schakel's own catalogue, which comes before Django's (LOCALE_PATHS), so the admin reads Dutch.
UNTRANSLATED_BY_DJANGO = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Error:"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
)


class SchakelAdminSite(admin.AdminSite):
    site_header = _("Schakel administration")
    site_title = _("Schakel administration")
    index_title = _("Users, organisations and reference data")

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """One login page for the whole application (the admin's own requires is_staff). A user
        who is logged in already but may not administer gets a refusal, not a login loop."""
        if actor_from_request(request).is_authenticated and second_factor_satisfied(request):
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next", reverse("admin:index")))

    def has_permission(self, request: HttpRequest) -> bool:
        # Whoever may change the reference data (the organisations app's policy) administers.
        organisation = apps.get_model("organisations", "Organisation")
        return second_factor_satisfied(request) and policy_for(organisation).can(
            actor_from_request(request), Action.CHANGE
        )


site = SchakelAdminSite(name="admin")

# Who writes an administration change into the tamper-evident log: the audit app registers its
# recorder when it is ready (core imports no domain app). Called with (context, "create" or
# "change", the object, what changed).
ChangeRecorder = Callable[[Any, str, Any, str], None]
change_recorders: list[ChangeRecorder] = []


class PolicyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ModelAdmin whose every permission question goes to the model's registered policy."""

    def _can(self, request: HttpRequest, action: Action, obj: Any = None) -> bool:
        return policy_for(self.model).can(actor_from_request(request), action, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._can(request, Action.LIST)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can(request, Action.VIEW, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._can(request, Action.CREATE)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can(request, Action.CHANGE, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can(request, Action.DELETE, obj)

    # Accounts, roles and reference data are access rights: every change goes into the
    # tamper-evident audit log too, not only into Django's admin history.
    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, "create", obj, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, "change", obj, message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            self._audit(request, "change", obj, "deleted")
        return super().log_deletions(request, queryset)

    def _audit(self, request: HttpRequest, action: str, obj: Any, message: Any) -> None:
        from .context import AccessContext

        if not change_recorders:
            raise ImproperlyConfigured("No recorder for administration changes (the audit app)")
        for record in change_recorders:
            record(AccessContext.from_request(request), action, obj, f"administration: {message}")


class PolicyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0

    def _can(self, request: HttpRequest, action: Action, obj: models.Model | None) -> bool:
        return policy_for(self.model).can(actor_from_request(request), action, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can(request, Action.VIEW, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can(request, Action.CREATE, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can(request, Action.CHANGE, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can(request, Action.DELETE, obj)

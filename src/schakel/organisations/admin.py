from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from schakel.core.admin_site import PolicyAdmin, PolicyInline, site

from .models import (
    BigDecision,
    Covenant,
    CovenantCoverage,
    Membership,
    Municipality,
    Organisation,
    Region,
    User,
)


@admin.register(Region, site=site)
class RegionAdmin(PolicyAdmin):
    search_fields = ["name"]


class BigDecisionInline(PolicyInline):
    model = BigDecision


@admin.register(Municipality, site=site)
class MunicipalityAdmin(PolicyAdmin):
    list_display = ["name", "cbs_code", "region", "reporting_point_email"]
    list_filter = ["region"]
    search_fields = ["name", "cbs_code"]
    inlines = [BigDecisionInline]


@admin.register(Organisation, site=site)
class OrganisationAdmin(PolicyAdmin):
    list_display = ["name", "kind", "municipality", "sub_network", "ring", "is_active"]
    list_filter = ["kind", "sub_network", "ring", "region", "is_active"]
    search_fields = ["name"]
    list_select_related = ["municipality"]


class CovenantCoverageInline(PolicyInline):
    model = CovenantCoverage


@admin.register(Covenant, site=site)
class CovenantAdmin(PolicyAdmin):
    list_display = ["name", "region", "valid_from", "valid_until"]
    filter_horizontal = ["parties"]
    inlines = [CovenantCoverageInline]


class MembershipInline(PolicyInline):
    model = Membership
    fk_name = "user"
    autocomplete_fields = ["organisation"]


@admin.register(User, site=site)
class UserAdmin(PolicyAdmin, DjangoUserAdmin):  # type: ignore[type-arg]
    # Roles come from memberships; Django's staff/superuser/permission flags are not used.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "email", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]
    list_filter = ["is_active", "memberships__role"]
    inlines = [MembershipInline]

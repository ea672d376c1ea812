from django.contrib import admin

from schakel.core.admin_site import PolicyAdmin, site

from .models import ExploitationForm


@admin.register(ExploitationForm, site=site)
class ExploitationFormAdmin(PolicyAdmin):
    list_display = ["code", "position"]

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from schakel.core.admin_site import PolicyAdmin, site
from schakel.core.policies import Action

from .forms import IndicatorForm, IndicatorImportForm
from .models import ExploitationForm, Indicator
from .selectors import catalogue_export
from .services import catalogue_import

CONTENT_TYPES = {"yaml": "application/yaml; charset=utf-8", "csv": "text/csv; charset=utf-8"}


@admin.register(ExploitationForm, site=site)
class ExploitationFormAdmin(PolicyAdmin):
    list_display = ["code", "position"]


@admin.register(Indicator, site=site)
class IndicatorAdmin(PolicyAdmin):
    form = IndicatorForm
    list_display = ["code", "text_nl", "category", "kind", "strength", "ilo_grade", "forms"]
    list_display_links = ["code", "text_nl"]
    list_filter = [
        "category",
        "strength",
        "exploitation_forms",
        "is_active",
        "kind",
        "subject",
        "ilo_grade",
    ]
    search_fields = ["code", "text_nl", "text_en", "ilo_indicator", "source_note"]
    autocomplete_fields = ["counts_as"]
    ordering = ["position", "code"]
    list_per_page = 200
    actions = ["export_yaml", "export_csv"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Indicator]:
        return super().get_queryset(request).prefetch_related("exploitation_forms")

    @admin.display(description=_("exploitation forms"))
    def forms(self, indicator: Indicator) -> str:
        return ", ".join(str(form) for form in indicator.exploitation_forms.all())

    @admin.action(description=_("Export selected indicators as YAML"), permissions=["view"])
    def export_yaml(self, request: HttpRequest, queryset: QuerySet[Indicator]) -> HttpResponse:
        return _download(queryset, "yaml")

    @admin.action(description=_("Export selected indicators as CSV"), permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Indicator]) -> HttpResponse:
        return _download(queryset, "csv")

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="catalogue_indicator_import",
            )
        ]
        return own + super().get_urls()

    def may_import(self, request: HttpRequest) -> bool:
        return self._can(request, Action.CREATE) and self._can(request, Action.CHANGE)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), "may_import": self.may_import(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.may_import(request):
            raise PermissionDenied
        form = IndicatorImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = catalogue_import(
                    form.cleaned_data["content"],
                    fmt=form.format,
                    replace=form.cleaned_data["replace"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                self.message_user(
                    request,
                    _(
                        "Indicators imported: %(created)s created, %(updated)s updated, "
                        "%(deactivated)s deactivated."
                    )
                    % vars(result),
                    messages.SUCCESS,
                )
                return redirect("admin:catalogue_indicator_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import indicators"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/catalogue/indicator/import.html", context)


def _download(queryset: QuerySet[Indicator], fmt: str) -> HttpResponse:
    response = HttpResponse(catalogue_export(fmt=fmt, indicators=queryset))
    response["Content-Type"] = CONTENT_TYPES[fmt]
    response["Content-Disposition"] = f'attachment; filename="indicators.{fmt}"'
    return response

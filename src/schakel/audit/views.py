import csv

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from schakel.core.access import governed
from schakel.core.context import AccessContext
from schakel.core.export import spreadsheet_cell
from schakel.core.policies import Action

from .forms import AuditSearchForm
from .models import AuditEvent
from .policies import audit_event_policy
from .selectors import AuditQuery, audit_events_search, audited_object_types

EXPORT_COLUMNS = [
    "sequence",
    "occurred_at",
    "action",
    "user_label",
    "roles",
    "access_point",
    "ip_address",
    "object_type",
    "object_ids",
    "fields",
    "purpose",
    "entry_mac",
    "chain_hash",
]


def _cell(event: AuditEvent, name: str) -> object:
    if name == "occurred_at":
        return timezone.localtime(event.occurred_at).isoformat()
    if name == "sequence":  # empty until the sealer has numbered the entry
        return event.sealed_sequence or ""
    if name == "chain_hash":
        return event.seal.chain_hash if event.sealed_sequence else ""
    return spreadsheet_cell(getattr(event, name))


def _search_form(request: HttpRequest, context: AccessContext) -> AuditSearchForm:
    return AuditSearchForm(request.GET or None, object_types=audited_object_types(context))


@governed(audit_event_policy, Action.LIST)
def audit_log(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    form = _search_form(request, context)
    page = None
    if form.is_bound and form.is_valid():
        events = audit_events_search(context, form.to_query())
        page = Paginator(events, 50).get_page(request.GET.get("page"))
    elif not form.is_bound:
        page = Paginator(audit_events_search(context, AuditQuery()), 50).get_page(1)
    return render(request, "audit/log.html", {"form": form, "page": page})


@governed(audit_event_policy, Action.LIST)
def audit_export(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    form = _search_form(request, context)
    query = form.to_query() if form.is_bound and form.is_valid() else AuditQuery()
    events = audit_events_search(context, query, export=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="schakel-auditlog-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    for event in events.iterator(chunk_size=2000):
        writer.writerow([_cell(event, name) for name in EXPORT_COLUMNS])
    return response

import csv
from dataclasses import dataclass, replace

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from schakel.core.access import governed
from schakel.core.context import AccessContext
from schakel.core.export import spreadsheet_cell
from schakel.core.pagination import paginate_uncounted
from schakel.core.policies import Action

from . import labels
from .forms import AuditSearchForm
from .models import AuditEvent
from .policies import audit_event_policy
from .selectors import AuditQuery, audit_events_search


@dataclass(frozen=True)
class EntryShown:
    """One entry of the log in words (audit/labels.py), with the codes kept beside them."""

    event: AuditEvent
    action: str
    roles: str
    object_kind: str
    fields: list[str]
    purpose: str


def shown(event: AuditEvent) -> EntryShown:
    return EntryShown(
        event=event,
        action=str(event.get_action_display()),
        roles=labels.roles_label(event.roles),
        object_kind=labels.object_kind_label(event.object_type) if event.object_type else "",
        fields=labels.field_labels(event.object_type, event.fields or []),
        purpose=labels.purpose_label(event.purpose),
    )


def _search_form(request: HttpRequest) -> AuditSearchForm:
    return AuditSearchForm(request.GET or None)


def _query(form: AuditSearchForm) -> AuditQuery | None:
    """The query asked for; None when the form was refused (nothing is searched then)."""
    if not form.is_bound:
        return AuditQuery()
    return form.to_query() if form.is_valid() else None


@governed(audit_event_policy, Action.LIST)
def audit_log(request: HttpRequest) -> HttpResponse:
    """Newest first, a page at a time, never counted: the log grows by millions."""
    context = AccessContext.from_request(request)
    form = _search_form(request)
    query = _query(form)
    page = None
    if query is not None:
        events = audit_events_search(context, query).select_related("user")
        page = paginate_uncounted(request, events)
        page = replace(page, items=[shown(event) for event in page.items])
    return render(request, "audit/log.html", {"form": form, "page": page})


# The CSV holds the log's columns as stored (NEN 7513) and, beside them, the words of the screen.
EXPORT_COLUMNS = [
    ("sequence", "sequence"),
    ("occurred_at", "occurred_at"),
    ("action", "action"),
    ("event", "action_label"),
    ("user_label", "user_label"),
    ("roles", "roles"),
    ("organisation_and_role", "roles_label"),
    ("access_point", "access_point"),
    ("ip_address", "ip_address"),
    ("object_type", "object_type"),
    ("object_kind", "object_kind_label"),
    ("object_ids", "object_ids"),
    ("fields", "fields"),
    ("field_names", "fields_label"),
    ("purpose", "purpose"),
    ("purpose_in_words", "purpose_label"),
    ("entry_mac", "entry_mac"),
    ("chain_hash", "chain_hash"),
]


def _cell(entry: EntryShown, name: str) -> object:
    event = entry.event
    if name == "occurred_at":
        return timezone.localtime(event.occurred_at).isoformat()
    if name == "sequence":  # empty until the sealer has numbered the entry
        return event.sealed_sequence or ""
    if name == "chain_hash":
        return event.seal.chain_hash if event.sealed_sequence else ""
    words = {
        "action_label": entry.action,
        "roles_label": entry.roles,
        "object_kind_label": entry.object_kind,
        "fields_label": ", ".join(entry.fields),
        "purpose_label": entry.purpose,
    }
    if name in words:
        return spreadsheet_cell(words[name])
    return spreadsheet_cell(getattr(event, name))


@governed(audit_event_policy, Action.LIST)
def audit_export(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    form = _search_form(request)
    query = _query(form)
    if query is None:
        return render(request, "audit/log.html", {"form": form, "page": None}, status=400)
    events = audit_events_search(context, query, export=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="schakel-auditlog-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow([header for header, _name in EXPORT_COLUMNS])
    for event in events.iterator(chunk_size=2000):
        entry = shown(event)
        writer.writerow([_cell(entry, name) for _header, name in EXPORT_COLUMNS])
    return response

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from schakel.cases import services as case_services
from schakel.cases.models import Intervention, Proposal
from schakel.cases.policies import CaseAction, case_policy
from schakel.cases.selectors import InterventionShown, ProposalShown
from schakel.core import drafts
from schakel.core.access import governed
from schakel.core.context import AccessContext
from schakel.core.pagination import paginate
from schakel.core.pdf import render_pdf
from schakel.core.policies import Action
from schakel.organisations.models import Municipality
from schakel.organisations.roles import Capability, municipalities_with

from . import selectors, services
from .attendance import present_at as attendance_present
from .choices import MeetingStatus
from .events import meeting_history
from .forms import (
    AcknowledgeForm,
    AttendanceForm,
    DecideProposalForm,
    FollowUpForm,
    MeetingFilterForm,
    MinutesForm,
    PlanForm,
    TopicForm,
    TriageForm,
)
from .models import AgendaItem, Meeting
from .policies import MeetingAction, meeting_policy
from .services import MINUTES_DRAFT
from .workflow import TransitionRefused


@governed(meeting_policy, Action.LIST)
def meeting_list(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    filters = MeetingFilterForm(request.GET)
    query = filters.to_query()
    return render(
        request,
        "meetings/list.html",
        {
            "meetings": selectors.meeting_list(
                context, query, pager=lambda meetings: paginate(request, meetings)
            ),
            "filters": filters,
            "sort": selectors.MEETING_SORTING.state(request.GET, query.sort).columns,
            "may_plan": meeting_policy.can(context.actor, Action.CREATE),
        },
    )


@governed(meeting_policy, Action.CREATE)
def meeting_plan(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    municipalities = list(
        Municipality.objects.filter(pk__in=municipalities_with(context.actor, Capability.DIRECT))
    )
    form = PlanForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_plan(context=context, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/plan.html", {"form": form})


def _detail_context(request: HttpRequest, pk: int, purpose: str) -> dict[str, Any]:
    context = AccessContext.from_request(request)
    view = selectors.meeting_view(context, pk, purpose=purpose)
    return {"view": view, "meeting": view.meeting}


@never_cache
@governed(meeting_policy, Action.VIEW)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = _detail_context(request, pk, "view")
    allowed = page["view"].allowed
    if MeetingAction.EDIT_AGENDA in allowed:
        page["topic_form"] = TopicForm(prefix="topic")
    if MeetingAction.PLAN_FOLLOW_UP in allowed:
        page["follow_up_form"] = FollowUpForm(prefix="follow-up")
    if MeetingAction.RECORD_ATTENDANCE in allowed:
        page["attendance_form"] = _attendance_form(request, page["meeting"])
    page["may"] = {action.value for action in allowed}
    page["history"] = meeting_history(AccessContext.from_request(request), page["meeting"])
    return render(request, "meetings/detail.html", page)


def _attendance_form(request: HttpRequest, meeting: Meeting, data: Any = None) -> AttendanceForm:
    context = AccessContext.from_request(request)
    candidates = selectors.attendance_candidates(context, meeting)
    present = [p.membership_id for p in attendance_present(meeting)]
    return AttendanceForm(
        data, prefix="attendance", candidates=candidates, initial={"present": present}
    )


@never_cache
@governed(meeting_policy, Action.VIEW)
def meeting_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Agenda (before the meeting) or minutes (after), for this viewer: an organisation outside
    the covenant gets the document with pseudonyms only."""
    page = _detail_context(request, pk, "pdf")
    html = render_to_string("meetings/document.html", page, request=request)
    response = HttpResponse(
        render_pdf(html, base_url=request.build_absolute_uri("/")),
        content_type="application/pdf",
    )
    meeting: Meeting = page["meeting"]
    kind = "agenda" if meeting.status == MeetingStatus.PLANNED else "verslag"
    filename = (
        f"{kind}-{slugify(meeting.get_meeting_type_display())}-{meeting.scheduled_for:%Y-%m-%d}.pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# The organiser's steps on the meeting as a whole, and the action of the policy each takes.
MEETING_STEPS: dict[str, MeetingAction] = {
    "build-agenda": MeetingAction.EDIT_AGENDA,
    "topic": MeetingAction.EDIT_AGENDA,
    "open": MeetingAction.HOLD,
    "attendance": MeetingAction.RECORD_ATTENDANCE,
    "finalise": MeetingAction.FINALISE,
    "follow-up": MeetingAction.PLAN_FOLLOW_UP,
}


@governed(meeting_policy, Action.CHANGE)
@require_POST
def meeting_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The organiser's steps on the meeting as a whole; a form is read from the POST only once
    the policy allowed the step."""
    if action not in MEETING_STEPS:
        raise Http404
    context = AccessContext.from_request(request)
    meeting = selectors.meeting_get_for(context, pk)
    try:
        meeting_policy.check(context.actor, MEETING_STEPS[action], meeting)
        if action == "build-agenda":
            added = services.meeting_build_agenda(context=context, meeting=meeting)
            messages.success(request, _("%(count)s items added to the agenda.") % {"count": added})
        elif action == "open":
            services.meeting_open_minutes(context=context, meeting=meeting)
        elif action == "attendance":
            form = _attendance_form(request, meeting, request.POST)
            if not form.is_valid():
                raise ValidationError(list(form.errors.get("present", [])) or _("Try again."))
            services.meeting_record_attendance(
                context=context, meeting=meeting, present=form.cleaned_data["present"]
            )
            messages.success(request, _("Attendance is recorded."))
        elif action == "finalise":
            services.meeting_finalise(context=context, meeting=meeting)
            messages.success(request, _("The minutes are final."))
        elif action == "topic":
            topic = TopicForm(request.POST, prefix="topic")
            if not topic.is_valid():
                raise ValidationError(list(topic.errors["topic"]))
            services.agenda_add_topic(context=context, meeting=meeting, **topic.cleaned_data)
        else:
            follow = FollowUpForm(request.POST, prefix="follow-up")
            if not follow.is_valid():
                raise ValidationError(_("Give the date and time of the follow-up meeting."))
            follow_up = services.meeting_plan_follow_up(
                context=context, meeting=meeting, **follow.cleaned_data
            )
            messages.success(request, _("The follow-up meeting is planned."))
            return redirect("meetings:detail", pk=follow_up.pk)
    except (ValidationError, TransitionRefused) as error:
        messages.error(request, " ".join(_messages(error)))
    return redirect("meetings:detail", pk=meeting.pk)


def _messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]


def _row_for(request: HttpRequest, pk: int, item_pk: int) -> tuple[dict[str, Any], Any, AgendaItem]:
    """The page, the item's row as the viewer may read it, and the item itself (for the forms
    and the services; never shown)."""
    page = _detail_context(request, pk, "item")
    row = next((r for r in page["view"].rows if r.item.pk == item_pk), None)
    if row is None:
        raise Http404
    item = (
        page["meeting"]
        .agenda.select_related("signal", "case", "meeting__municipality")
        .get(pk=item_pk)
    )
    return page, row, item


@never_cache
@governed(meeting_policy, Action.VIEW)
def agenda_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """One item: the minutes, and for a signal the triage with the assessment framework."""
    context = AccessContext.from_request(request)
    page, row, item = _row_for(request, pk, item_pk)
    meeting: Meeting = page["meeting"]
    allowed = page["view"].allowed
    writable = MeetingAction.RECORD_MINUTES in allowed
    draft = drafts.draft_of(context, MINUTES_DRAFT, item) if writable else None
    minutes = MinutesForm(
        initial={
            "discussion": item.discussion,
            "decisions": item.decisions,
            **(drafts.draft_data(draft) or {}),
            "version": meeting.version,
        },
        prefix="minutes",
    )
    may_triage = MeetingAction.TRIAGE in allowed and bool(item.signal_id)
    triage = TriageForm(prefix="triage") if may_triage else None
    if request.method == "POST":
        if not writable:
            raise Http404
        try:
            if "minutes" in request.POST and "save_draft" in request.POST:
                # Half-written minutes, kept encrypted for their author only.
                services.minutes_draft_save(
                    context=context,
                    item=item,
                    data={
                        name: request.POST.get(f"minutes-{name}", "")
                        for name in ("discussion", "decisions")
                    },
                )
                messages.success(request, _("Your draft is saved. Only you can see it."))
                return redirect("meetings:item", pk=meeting.pk, item_pk=item.pk)
            if "minutes" in request.POST:
                minutes = MinutesForm(request.POST, prefix="minutes")
                if minutes.is_valid():
                    services.item_record_minutes(context=context, item=item, **minutes.cleaned_data)
                    drafts.draft_discard(context=context, form=MINUTES_DRAFT, owner=item)
                    messages.success(request, _("Minutes saved."))
                    return redirect("meetings:item", pk=meeting.pk, item_pk=item.pk)
            elif "triage" in request.POST and may_triage:
                triage = TriageForm(request.POST, prefix="triage")
                if triage.is_valid():
                    services.triage_decide(context=context, item=item, **triage.cleaned_data)
                    messages.success(request, _("Decision recorded."))
                    return redirect("meetings:item", pk=meeting.pk, item_pk=item.pk)
        except services.ConflictError as conflict:
            # Keep the user's text, and let the next save be based on the current version.
            data = request.POST.copy()
            data["minutes-version"] = str(conflict.version)
            minutes = MinutesForm(data, prefix="minutes")
            minutes.is_valid()
            minutes.add_error(None, str(conflict))
        except ValidationError as error:
            form: MinutesForm | TriageForm = (
                triage if triage is not None and "triage" in request.POST else minutes
            )
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        except TransitionRefused as refused:
            messages.error(request, str(refused))
    page.update(
        {
            "row": row,
            "item": item,
            "minutes_form": minutes if writable else None,
            "minutes_draft": draft,
            "triage_form": triage if triage is not None and not item.triage_decision else None,
            "proposal_forms": _proposal_forms(context, page["view"], row, item),
            "acknowledge_forms": _acknowledge_forms(context, page["view"], row, item),
            "case_access": _case_access(context, item),
        }
    )
    return render(request, "meetings/item.html", page)


def _may_on_case(context: AccessContext, item: AgendaItem, action: CaseAction) -> bool:
    case = item.case
    return case is not None and case_policy.can(context.actor, action, case)


def _proposal_forms(
    context: AccessContext, view: Any, row: Any, item: AgendaItem
) -> list[tuple[ProposalShown, DecideProposalForm | None]]:
    """Every big decision waiting for the meeting, for everyone who sees the item; the form to
    record the meeting's decision for whom the meeting's and the case's rules allow it."""
    decides = MeetingAction.DECIDE_PROPOSAL in view.allowed and _may_on_case(
        context, item, CaseAction.DECIDE_PROPOSAL
    )
    return [
        (p, DecideProposalForm(prefix=f"proposal-{p.pk}") if decides else None)
        for p in row.proposals
    ]


def _acknowledge_forms(
    context: AccessContext, view: Any, row: Any, item: AgendaItem
) -> list[tuple[InterventionShown, AcknowledgeForm | None]]:
    """Each proposed intervention, with a form when this user is the care side of the case."""
    care = MeetingAction.ACKNOWLEDGE_INTERVENTION in view.allowed and _may_on_case(
        context, item, CaseAction.ACKNOWLEDGE_INTERVENTION
    )
    return [
        (i, AcknowledgeForm(prefix=f"intervention-{i.pk}") if care else None)
        for i in row.interventions
    ]


def _case_access(context: AccessContext, item: AgendaItem) -> str:
    """ "open" when the viewer may open the item's case; otherwise why not, instead of a link
    that ends in a 404."""
    case = item.case
    if case is None:
        return ""
    if case_policy.can(context.actor, CaseAction.VIEW, case):
        return "open"
    return "not_joined"


@governed(meeting_policy, Action.CHANGE)
@require_POST
def decide_proposal(request: HttpRequest, pk: int, proposal_pk: int) -> HttpResponse:
    """The case meeting approves or rejects a big decision."""
    context = AccessContext.from_request(request)
    meeting = selectors.meeting_get_for(context, pk)
    item = _case_item(meeting, Proposal, proposal_pk)
    proposal = Proposal.objects.get(pk=proposal_pk)
    form = DecideProposalForm(request.POST, prefix=f"proposal-{proposal_pk}")
    if not form.is_valid():
        messages.error(request, _("Say whether the meeting approves, and what it decided."))
    else:
        try:
            case_services.proposal_decide(
                context=context,
                meeting=meeting,
                proposal=proposal,
                approve=form.cleaned_data["approve"],
                meeting_note=form.cleaned_data["note"],
            )
            messages.success(request, _("The meeting's decision is recorded."))
        except (ValidationError, TransitionRefused) as error:
            messages.error(request, " ".join(_messages(error)))
    return redirect("meetings:item", pk=meeting.pk, item_pk=item.pk)


@governed(meeting_policy, Action.CHANGE)
@require_POST
def acknowledge_intervention(request: HttpRequest, pk: int, intervention_pk: int) -> HttpResponse:
    """The zorgcoördinator or Veilig Thuis acknowledges the intervention in the meeting."""
    context = AccessContext.from_request(request)
    meeting = selectors.meeting_get_for(context, pk)
    item = _case_item(meeting, Intervention, intervention_pk)
    intervention = Intervention.objects.get(pk=intervention_pk)
    form = AcknowledgeForm(request.POST, prefix=f"intervention-{intervention_pk}")
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        case_services.intervention_acknowledge(
            context=context, meeting=meeting, intervention=intervention, note=note
        )
        messages.success(request, _("The intervention is acknowledged by the care side."))
    except (ValidationError, TransitionRefused) as error:
        messages.error(request, " ".join(_messages(error)))
    return redirect("meetings:item", pk=meeting.pk, item_pk=item.pk)


def _case_item(meeting: Meeting, model: type[Any], pk: int) -> AgendaItem:
    """The agenda item of the case the proposal or intervention belongs to; 404 when that case is
    not on this meeting's agenda."""
    case_id = model.objects.filter(pk=pk).values_list("case_id", flat=True).first()
    item = meeting.agenda.filter(case_id=case_id).first() if case_id else None
    if item is None:
        raise Http404
    return item

"""The case screens. Views hold no rules: they call selectors and services and render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from schakel.core.access import governed
from schakel.core.context import AccessContext
from schakel.core.pagination import paginate
from schakel.core.policies import Action

from . import selectors, services
from .choices import DirectionHolder, InterventionStatus, LegalBasis
from .forms import (
    AgreementForm,
    AgreementSettleForm,
    CaseFilterForm,
    CaseUpdateForm,
    CloseForm,
    DirectionForm,
    ExecuteForm,
    InterventionForm,
    OpenCaseForm,
    OutcomeForm,
    PersonForm,
    ReferralAnswerForm,
    ReferralForm,
    ReferralRevokeForm,
    RemoveParticipantForm,
    RevealForm,
    ShareForm,
    TimelineForm,
    WithdrawForm,
)
from .models import Case, Proposal
from .policies import CaseAction, case_policy
from .selectors import CaseView
from .workflow import TransitionRefused

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

REFUSALS = (ValidationError, TransitionRefused, PermissionDenied, services.CaseChanged)


def _message(error: Exception) -> list[str] | str:
    if isinstance(error, ValidationError):
        return error.messages
    if isinstance(error, PermissionDenied):
        return _("You may not take this step in this case.")
    return str(error)


# --- Lists and queues -----------------------------------------------------------------------


def _list(request: HttpRequest, *, shared_only: bool) -> HttpResponse:
    context = AccessContext.from_request(request)
    filters = CaseFilterForm(request.GET)
    query = filters.to_query()
    rows = selectors.case_list(
        context, query, shared_only=shared_only, pager=lambda cases: paginate(request, cases)
    )
    return render(
        request,
        "cases/list.html",
        {
            "rows": rows,
            "filters": filters,
            "sort": selectors.CASE_SORTING.state(request.GET, query.sort).columns,
            "shared_only": shared_only,
            "may_open": case_policy.can(context.actor, Action.CREATE),
        },
    )


@governed(case_policy, Action.LIST)
def case_list(request: HttpRequest) -> HttpResponse:
    return _list(request, shared_only=False)


@governed(case_policy, Action.LIST)
def case_shared(request: HttpRequest) -> HttpResponse:
    """'Gedeeld met mij': cases the user's organisation takes part in."""
    return _list(request, shared_only=True)


@governed(case_policy, Action.CREATE)
def case_open(request: HttpRequest) -> HttpResponse:
    context = AccessContext.from_request(request)
    candidates = selectors.signals_to_open_a_case(context)
    form = OpenCaseForm(request.POST or None, signals=candidates)
    if request.method == "POST" and form.is_valid():
        chosen = [s for s in candidates if s.reference in form.cleaned_data["signals"]]
        try:
            case = services.case_open(
                context=context, signals=chosen, summary=form.cleaned_data["summary"]
            )
        except REFUSALS as error:
            form.add_error(None, _message(error))
        else:
            messages.success(request, _("The case is opened."))
            return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/open.html", {"form": form}, status=400 if form.errors else 200)


# --- The case page and its actions ------------------------------------------------------------


@dataclass(frozen=True)
class CaseForm:
    """One form on the case page: the action of the case policy it takes, how it is built and
    which service it runs. `on_page` is False for forms shown beside a row (an agreement, a
    referral, an intervention) instead of in the side column."""

    label: StrOrPromise
    action: CaseAction
    build: Callable[[AccessContext, Case, Any, dict[str, Any] | None], forms.Form]
    run: Callable[[AccessContext, Case, forms.Form], Any]
    done: StrOrPromise
    draft: str = ""  # long forms can be saved as a draft under this key
    on_page: bool = True
    # Whether there is anything to choose in the form (not a rule: the policy decides who may).
    offered: Callable[[AccessContext, CaseView], bool] = lambda c, v: True


def _run_post(context: AccessContext, case: Case, form: forms.Form) -> Any:
    data = form.cleaned_data
    corrects = selectors.entry_of(case, data["corrects"]) if data.get("corrects") else None
    return services.timeline_post(
        context=context,
        case=case,
        kind=data["kind"],
        text=data["text"],
        happened_on=data["happened_on"],
        corrects=corrects,
        decision_kind=data["decision_kind"],
        plain_confirmed=data["plain_confirmed"],
    )


def _run_person(context: AccessContext, case: Case, form: forms.Form) -> Any:
    data = form.cleaned_data
    decision = data["decision"]
    same_as = None
    if decision.isdecimal():  # isdigit() also admits "²", which int() refuses
        same_as = selectors.person_get_for(context, int(decision))
    elif decision != "new":
        matches = selectors.case_person_matches(
            context, case, name=data["name"], date_of_birth=data["date_of_birth"]
        )
        if matches:
            raise PossibleMatches(matches)
    return services.case_person_add(
        context=context,
        case=case,
        role=data["role"],
        name=data["name"],
        date_of_birth=data["date_of_birth"],
        sex=data["sex"],
        nationality_country=data["nationality_country"],
        nationality=data["nationality"],
        same_as=same_as,
    )


class PossibleMatches(Exception):
    """Search before create found persons: the user decides before anything is added."""

    def __init__(self, matches: list[selectors.PersonMatch]) -> None:
        super().__init__()
        self.matches = matches


def _run_close(context: AccessContext, case: Case, form: forms.Form) -> Any:
    if not isinstance(form, CloseForm):
        raise TypeError(form)
    data = form.cleaned_data
    return services.case_close(
        context=context,
        case=case,
        summary=data["summary"],
        outcomes=form.outcomes(),
        feedback=data["feedback"],
        feedback_withheld_reason=data["feedback_withheld_reason"],
    )


def _update_initial(case: Case, draft: dict[str, Any] | None) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "summary": case.summary,
        "exploitation_forms": list(case.exploitation_forms.all()),
        "safety_risk_high": case.safety_risk_high,
    }
    initial.update(draft or {})
    initial["version"] = case.version  # a draft never carries an old version
    return initial


ACTIONS: dict[str, CaseForm] = {
    "update": CaseForm(
        gettext_lazy("Save the case"),
        CaseAction.UPDATE,
        lambda c, case, data, draft: CaseUpdateForm(
            data, prefix="update", initial=_update_initial(case, draft)
        ),
        lambda c, case, f: services.case_update(context=c, case=case, **f.cleaned_data),
        gettext_lazy("The case is saved."),
        draft="summary",
    ),
    "post": CaseForm(
        gettext_lazy("Add to the timeline"),
        CaseAction.POST,
        lambda c, case, data, draft: TimelineForm(
            data,
            prefix="post",
            initial=draft or {},
            entries=list(case.timeline.all()),
            municipality_id=case.municipality_id,
        ),
        _run_post,
        gettext_lazy("Added to the timeline."),
        draft="timeline",
    ),
    "person": CaseForm(
        gettext_lazy("Search and add"),
        CaseAction.ADD_PERSON,
        lambda c, case, data, draft: PersonForm(data, prefix="person"),
        _run_person,
        gettext_lazy("The person is added."),
    ),
    "agreement": CaseForm(
        gettext_lazy("Make the agreement"),
        CaseAction.MAKE_AGREEMENT,
        lambda c, case, data, draft: AgreementForm(data, prefix="agreement", case=case),
        lambda c, case, f: services.agreement_make(context=c, case=case, **f.cleaned_data),
        gettext_lazy("The agreement is recorded."),
    ),
    "settle": CaseForm(
        gettext_lazy("Settle"),
        CaseAction.SETTLE_AGREEMENT,
        lambda c, case, data, draft: AgreementSettleForm(data, prefix="settle"),
        lambda c, case, f: services.agreement_settle(
            context=c,
            agreement=selectors.agreement_of(case, f.cleaned_data["agreement"]),
            status=f.cleaned_data["status"],
        ),
        gettext_lazy("The agreement is settled."),
        on_page=False,
    ),
    "referral": CaseForm(
        gettext_lazy("Refer"),
        CaseAction.REFER,
        lambda c, case, data, draft: ReferralForm(data, prefix="referral"),
        lambda c, case, f: services.referral_make(context=c, case=case, **f.cleaned_data),
        gettext_lazy("The referral is sent."),
    ),
    "answer": CaseForm(
        gettext_lazy("Answer"),
        CaseAction.ANSWER_REFERRAL,
        lambda c, case, data, draft: ReferralAnswerForm(data, prefix="answer"),
        lambda c, case, f: services.referral_answer(
            context=c,
            referral=selectors.referral_of(case, f.cleaned_data["referral"]),
            accept=f.cleaned_data["accept"],
            answer=f.cleaned_data["answer"],
        ),
        gettext_lazy("Your answer is recorded."),
        on_page=False,
    ),
    "revoke": CaseForm(
        gettext_lazy("Revoke"),
        CaseAction.REVOKE_REFERRAL,
        lambda c, case, data, draft: ReferralRevokeForm(data, prefix="revoke"),
        lambda c, case, f: services.referral_revoke(
            context=c,
            referral=selectors.referral_of(case, f.cleaned_data["referral"]),
            reason=f.cleaned_data["reason"],
        ),
        gettext_lazy("The referral is revoked."),
        on_page=False,
    ),
    "intervention": CaseForm(
        gettext_lazy("Propose the intervention"),
        CaseAction.PROPOSE_INTERVENTION,
        lambda c, case, data, draft: InterventionForm(data, prefix="intervention"),
        lambda c, case, f: services.intervention_propose(context=c, case=case, **f.cleaned_data),
        gettext_lazy(
            "The intervention is proposed. It waits for the care side in the case meeting."
        ),
    ),
    "execute": CaseForm(
        gettext_lazy("Execute"),
        CaseAction.EXECUTE_INTERVENTION,
        lambda c, case, data, draft: ExecuteForm(data, prefix="execute"),
        lambda c, case, f: services.intervention_execute(
            context=c,
            intervention=selectors.intervention_of(case, f.cleaned_data["intervention"]),
            urgent_reason=f.cleaned_data["urgent_reason"],
        ),
        gettext_lazy("The intervention is recorded as executed."),
        on_page=False,
    ),
    "outcome": CaseForm(
        gettext_lazy("Record the outcome"),
        CaseAction.RECORD_OUTCOME,
        lambda c, case, data, draft: OutcomeForm(data, prefix="outcome"),
        lambda c, case, f: services.intervention_record_outcome(
            context=c,
            intervention=selectors.intervention_of(case, f.cleaned_data["intervention"]),
            outcome=f.cleaned_data["outcome"],
        ),
        gettext_lazy("The outcome is recorded."),
        on_page=False,
    ),
    "withdraw": CaseForm(
        gettext_lazy("Withdraw"),
        CaseAction.WITHDRAW_INTERVENTION,
        lambda c, case, data, draft: WithdrawForm(data, prefix="withdraw"),
        lambda c, case, f: services.intervention_withdraw(
            context=c,
            intervention=selectors.intervention_of(case, f.cleaned_data["intervention"]),
            reason=f.cleaned_data["reason"],
        ),
        gettext_lazy("The intervention is withdrawn."),
        on_page=False,
    ),
    "direction": CaseForm(
        gettext_lazy("Change direction"),
        CaseAction.SET_DIRECTION,
        lambda c, case, data, draft: DirectionForm(
            data, prefix="direction", initial={"holder": case.direction_holder}
        ),
        lambda c, case, f: services.case_set_direction(context=c, case=case, **f.cleaned_data),
        gettext_lazy("The direction is changed."),
    ),
    "share": CaseForm(
        gettext_lazy("Share"),
        CaseAction.SHARE,
        lambda c, case, data, draft: ShareForm(
            data,
            prefix="share",
            case=case,
            may_override=case_policy.can(c.actor, CaseAction.SHARE_OVERRIDE, case),
        ),
        lambda c, case, f: services.case_add_participant(context=c, case=case, **f.cleaned_data),
        gettext_lazy("The case is shared."),
    ),
    "unshare": CaseForm(
        gettext_lazy("Stop sharing with an organisation"),
        CaseAction.UNSHARE,
        lambda c, case, data, draft: RemoveParticipantForm(
            data, prefix="unshare", case=case, own=frozenset({c.organisation_id()})
        ),
        lambda c, case, f: services.case_remove_participant(context=c, **f.cleaned_data),
        gettext_lazy("The organisation no longer takes part in this case."),
        offered=lambda c, v: any(
            p.organisation_id != c.actor.organisation_id for p in v.participants
        ),
    ),
    "reveal": CaseForm(
        gettext_lazy("Reveal personal data"),
        CaseAction.REVEAL,
        lambda c, case, data, draft: RevealForm(
            data,
            prefix="reveal",
            case=case,
            may_override=case_policy.can(c.actor, CaseAction.SHARE_OVERRIDE, case),
        ),
        lambda c, case, f: services.case_reveal_personal_data(context=c, **f.cleaned_data),
        gettext_lazy("The participant now sees the personal data of this case."),
        offered=lambda c, v: any(
            p.legal_basis == LegalBasis.PSEUDONYMS_ONLY for p in v.participants
        ),
    ),
    "close": CaseForm(
        gettext_lazy("Close the case"),
        CaseAction.CLOSE,
        lambda c, case, data, draft: CloseForm(
            data,
            prefix="close",
            initial=draft or {},
            persons=list(case.persons.prefetch_related("outcomes")),
            reveals=case_policy.reveals_personal_data(c.actor, case),
        ),
        _run_close,
        gettext_lazy("The case is closed and the reporters get feedback."),
        draft="close",
    ),
}


# The sections of the case page, each a page of its own; the overview is /cases/<ref>/.
SECTIONS: dict[str, StrOrPromise] = {
    "overview": gettext_lazy("Overview"),
    "persons": gettext_lazy("Persons"),
    "participants": gettext_lazy("Participants"),
    "timeline": gettext_lazy("Timeline"),
    "agreements": gettext_lazy("Agreements"),
    "decisions": gettext_lazy("Decisions and interventions"),
    "referrals": gettext_lazy("Referrals"),
}

# The section that holds each action's form, next to what it acts on.
SECTION_OF: dict[str, str] = {
    "update": "overview",
    "direction": "overview",
    "close": "overview",
    "post": "timeline",
    "person": "persons",
    "agreement": "agreements",
    "settle": "agreements",
    "referral": "referrals",
    "answer": "referrals",
    "revoke": "referrals",
    "intervention": "decisions",
    "execute": "decisions",
    "outcome": "decisions",
    "withdraw": "decisions",
    "share": "participants",
    "unshare": "participants",
    "reveal": "participants",
}

# The field of a row action that names its row (an agreement, a referral, an intervention).
ROW_FIELD: dict[str, str] = {
    "settle": "agreement",
    "answer": "referral",
    "revoke": "referral",
    "execute": "intervention",
    "outcome": "intervention",
    "withdraw": "intervention",
}


def _section_url(reference: str, section: str) -> str:
    if section == "overview":
        return reverse("cases:detail", args=[reference])
    return reverse("cases:section", args=[reference, section])


def _action_forms(
    context: AccessContext,
    view: CaseView,
    bound: tuple[str, forms.Form] | None,
    section: str,
) -> dict[str, tuple[CaseForm, forms.Form, Any]]:
    """The forms of this section the actor may use on this case now, with their drafts
    restored: exactly the actions the case policy allows (`view.allowed`)."""
    available: dict[str, tuple[CaseForm, forms.Form, Any]] = {}
    for name, step in ACTIONS.items():
        if SECTION_OF[name] != section:
            continue
        if bound is not None and bound[0] == name:
            available[name] = (step, bound[1], None)
        elif step.on_page and step.action in view.allowed and step.offered(context, view):
            draft = selectors.draft_for(context, step.draft, view.case) if step.draft else None
            form = step.build(context, view.case, None, selectors.draft_data(draft))
            available[name] = (step, form, draft)
    return available


def _bound_row(view: CaseView, name: str, form: forms.Form) -> str:
    """The row a refused row action was sent for, when that row is on the page ("" if not: the
    form is then shown at the top of its section)."""
    if name not in ROW_FIELD:
        return ""
    sent = str(form.data.get(f"{name}-{ROW_FIELD[name]}", ""))
    rows: list[Any] = {
        "agreement": list[Any](view.agreements),
        "referral": list[Any](view.referrals),
        "intervention": list[Any](view.interventions),
    }[ROW_FIELD[name]]
    return sent if any(str(row.pk) == sent for row in rows) else ""


def _timeline_cursor(request: HttpRequest) -> int | None:
    value = request.GET.get("voor", "")
    return int(value) if value.isdecimal() and len(value) < 19 else None


def _render(
    request: HttpRequest,
    context: AccessContext,
    case: Case,
    bound: tuple[str, forms.Form] | None = None,
    status: int = 200,
    matches: list[selectors.PersonMatch] | None = None,
    suspected: Any = None,
    section: str = "overview",
) -> HttpResponse:
    if bound is not None:
        section = SECTION_OF[bound[0]]
    before = _timeline_cursor(request) if section == "timeline" and bound is None else None
    view = selectors.case_view(context, case, timeline_before=before)
    bound_name = bound[0] if bound else ""
    bound_row = _bound_row(view, bound[0], bound[1]) if bound else ""
    anchor = f"action-{bound_name}-{bound_row}" if bound_row else f"action-{bound_name}"
    return render(
        request,
        "cases/detail.html",
        {
            "view": view,
            "case": case,
            "section": section,
            "sections": [
                (key, label, _section_url(case.reference, key)) for key, label in SECTIONS.items()
            ],
            "actions": _action_forms(context, view, bound, section),
            "bound_name": bound_name,
            "bound_row": bound_row,
            "refused": bool(bound and bound[1].errors),
            "bound_form": bound[1] if bound else None,
            # What was typed into a refused row form, to write back into it.
            "bound_data": {
                key.removeprefix(f"{bound_name}-"): value
                for key, value in bound[1].data.items()
                if key.startswith(f"{bound_name}-")
            }
            if bound
            else {},
            "anchor": anchor,
            "matches": matches,
            "suspected": suspected,
            "may": {action.value for action in view.allowed},
            "statuses": InterventionStatus,
            "overview_timeline": view.timeline[:5],
        },
        status=status,
    )


@governed(case_policy, Action.VIEW)
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    context = AccessContext.from_request(request)
    return _render(request, context, selectors.case_get_for(context, reference))


@governed(case_policy, Action.VIEW)
def case_section(request: HttpRequest, reference: str, section: str) -> HttpResponse:
    if section not in SECTIONS or section == "overview":
        raise Http404
    context = AccessContext.from_request(request)
    return _render(request, context, selectors.case_get_for(context, reference), section=section)


@governed(case_policy, Action.CHANGE)
@require_POST
def case_act(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    """POST one step on the case. The form is built from the POST only once the case policy
    allowed the step (a refused form re-rendered would show its labels and choices); the
    service checks again, with the case locked."""
    if action not in ACTIONS:
        raise Http404
    context = AccessContext.from_request(request)
    case = selectors.case_get_for(context, reference)
    step = ACTIONS[action]
    try:
        if step.on_page:
            case_policy.check(context.actor, step.action, case)
        elif not _may_on_some_row(context, case, step.action):
            raise PermissionDenied
    except TransitionRefused as refused:
        messages.error(request, str(refused))
        return redirect(_section_url(case.reference, SECTION_OF[action]))
    form = step.build(context, case, request.POST, None)
    if step.draft and "save_draft" in request.POST:
        services.draft_save(
            context=context,
            form=step.draft,
            case=case,
            data={
                key.removeprefix(f"{action}-"): request.POST.getlist(key)
                if key.endswith("exploitation_forms")
                else request.POST[key]
                for key in request.POST
                if key.startswith(f"{action}-") and not key.endswith("-version")
            },
        )
        messages.success(request, _("Your draft is saved. Only you can see it."))
        return redirect(_section_url(case.reference, SECTION_OF[action]))
    if form.is_valid():
        try:
            result = step.run(context, case, form)
        except PossibleMatches as found:
            return _render(request, context, case, bound=(action, form), matches=found.matches)
        except services.LooksLikeBigDecision as looks:
            # Nothing is saved: the author says whether it is a proposal or a plain entry.
            return _render(request, context, case, bound=(action, form), suspected=looks.suspected)
        except services.CaseChanged as changed:
            # Keep the user's input, on top of the case as it is now.
            data = request.POST.copy()
            data[f"{action}-version"] = str(changed.case.version)
            form = step.build(context, changed.case, data, None)
            form.is_valid()
            form.add_error(None, str(changed))
            return _render(request, context, changed.case, bound=(action, form), status=409)
        except REFUSALS as error:
            form.add_error(None, _message(error))
        else:
            if step.draft:
                services.draft_discard(context=context, form=step.draft, case=case)
            if isinstance(result, Proposal):
                messages.warning(
                    request,
                    _(
                        "This decision is taken in the case meeting, not by one partner. It is "
                        "recorded as a proposal and takes effect only when the case meeting "
                        "approves it."
                    ),
                )
            else:
                messages.success(request, step.done)
            if action == "update":
                _suggest_veilig_thuis(request, result)
            # A decision turned into a proposal is shown where the proposals are.
            section = "decisions" if isinstance(result, Proposal) else SECTION_OF[action]
            return redirect(_section_url(case.reference, section))
    return _render(request, context, case, bound=(action, form), status=400)


def _may_on_some_row(context: AccessContext, case: Case, action: CaseAction) -> bool:
    """A row action (settle, answer, revoke, execute …) needs the right to it on at least one
    row of the case; the service checks the row that was sent."""
    return any(
        case_policy.can(context.actor, action, case, target=row)
        for row in [None, *case.agreements.all(), *case.referrals.all()]
    )


def _suggest_veilig_thuis(request: HttpRequest, case: Case) -> None:
    if case.safety_risk_high and case.direction_holder == DirectionHolder.NETWORK_DIRECTOR:
        messages.info(
            request,
            _(
                "The safety risk is high: consider handing the direction of this case to Veilig "
                "Thuis."
            ),
        )

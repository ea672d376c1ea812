"""Every form endpoint POSTed by every role, on objects of the own and of another municipality,
with an empty body, a body of wrong types, unknown ids and zero-width characters, the same with
a NUL, a valid body, and (where the body names objects) a valid body naming the other
municipality's objects. For each: the status a table below expects, nothing written for whom the
step is refused (rows of every Schakel table and the audit log's writes, counted before and
after), something written where a valid body is allowed, and no person's name, date of birth or
nationality, nor a signal's description, in any page where that viewer may not see them.

Beyond the sixteen roles acting in their own municipality the matrix has the partners the rules
speak of (see tests/post_world.py): a case participant on the covenant, one with pseudonyms
only, an organisation a referral waits for, a covered and an uncovered invitee of the case
meeting, an AF OOV whose organisation is not invited, and a user with two memberships, before
and after choosing one. Each request runs in a savepoint that is rolled back, so every cell
starts from the same world, built once for the module."""

from __future__ import annotations

import inspect
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from schakel.audit.models import AuditEvent
from schakel.cases import views as case_views
from schakel.core.policies import ACTING_MEMBERSHIP_SESSION_KEY
from schakel.intake import views as intake_views
from schakel.intake.services import reporting_municipalities
from schakel.meetings import views as meeting_views
from schakel.monitoring import report_views
from schakel.organisations.choices import Role

from .post_world import DESCRIPTIONS, PARTNERS, PERSONS, SCOPES, build_post_world
from .roles import CASE_ROLES, INSPECTION_ROLES, MATCHING_ROLES, REPORTING_ROLES
from .test_authorization_matrix import squashed, url_names
from .test_signal_cards import pdf_pages_and_text

# --- Who acts ---------------------------------------------------------------------------------

ROLE_OF: dict[str, str | None] = {
    **{str(role): str(role) for role in Role},
    **{key: str(role) for key, role in PARTNERS.items()},
    "two_hats": None,  # an AF OOV here and a municipal employee elsewhere, not chosen yet
    "two_hats:af": str(Role.AF_OOV),
    "two_hats:reporter": str(Role.MUNICIPAL_REPORTER),
}
ACTORS = list(ROLE_OF)

AF = str(Role.AF_OOV)
# The AF OOV of the own municipality directs its cases and organises its meetings, whatever the
# organisation; the organiser sees personal data in the meeting only when its organisation is
# invited and party to the covenant (AF's and the two-hats user's, not af_uncovered's).
DIRECTORS = frozenset({AF, "af_uncovered", "two_hats:af"})
COVERED_ORGANISERS = frozenset({AF, "two_hats:af"})
INVITEES = frozenset({"zc_named", "avim_covered", "ovj_uncovered"})
MEETING_SEES = DIRECTORS | INVITEES
# How the own municipality's main case stands to each.
CASE_SEES = DIRECTORS | {"zc_named", "iszw_pseudo", "care_referred"}
CASE_WORKS = DIRECTORS | {"zc_named", "iszw_pseudo"}
CASE_NAMED = DIRECTORS | {"zc_named"}
CASE_PERPETRATOR = DIRECTORS | {"iszw_pseudo"}
PRIVACY = frozenset({str(Role.PRIVACY_OFFICER)})

BODIES = ("empty", "garbage", "nul", "valid", "foreign")
CHOOSE = "/accounts/act-as/"  # where a user with several memberships first says which acts


def role_of(who: str) -> str | None:
    return ROLE_OF[who]


# --- What each cell expects -------------------------------------------------------------------

Outcome = tuple[int, bool]  # status, and whether something was written
Refusal = int | dict[str, int] | None  # None: the step is allowed


@dataclass(frozen=True)
class Cell:
    """One form endpoint: its URL for a scope, who may, what each body leads to for whom may,
    and which bodies it is sent."""

    name: str
    url: Callable[[Any, str], str]
    may: Callable[[str, str], Refusal]
    outcomes: dict[str, Outcome]
    valid: Callable[[Any, str, str], dict[str, Any]] | None = None
    scopes: tuple[str, ...] = SCOPES
    governed: bool = True  # behind schakel.core.access.governed: asks for a chosen membership
    foreign: bool = False  # the valid body names objects, so it is also sent with the other's
    # Where the object is named in the URL: the own URL with the other municipality's object.
    foreign_url: Callable[[Any, str], str] | None = None
    shows: Callable[[str, str], bool] = lambda who, scope: False  # persons of `scope`, by name
    describes: Callable[[str, str], bool] = lambda who, scope: False  # the signal's description
    after: str = ""  # "login": sign in again afterwards (the step ends or changes the session)


def gate(
    roles: frozenset[str],
    visible: frozenset[str] | None = None,
    allowed: frozenset[str] | None = None,
) -> Callable[[str, str], Refusal]:
    """403 for a role the view's declaration refuses; 404 for an object the actor may not see (the
    other municipality's always); 403 when they see it but the policy refuses the step."""

    def may(who: str, scope: str) -> Refusal:
        if role_of(who) not in roles:
            return 403
        if visible is not None and (scope != "own" or who not in visible):
            return 404
        if allowed is not None and who not in allowed:
            return 403
        return None

    return may


def for_(actors: frozenset[str]) -> Callable[[str, str], bool]:
    return lambda who, scope: scope == "own" and who in actors


def outcomes(
    empty: Outcome = (400, False),
    garbage: Outcome = (400, False),
    valid: Outcome = (302, True),
    foreign: Outcome = (400, False),
) -> dict[str, Outcome]:
    return {"empty": empty, "garbage": garbage, "valid": valid, "foreign": foreign}


ALWAYS_WRITES = outcomes((302, True), (302, True), (302, True), (302, True))
REDIRECT_ONLY = outcomes((302, False), (302, False), (302, False), (302, False))


# --- URLs and bodies --------------------------------------------------------------------------


def case_url(action: str, case: str = "main") -> Callable[[Any, str], str]:
    return lambda w, s: reverse("cases:act", args=[w[s].cases[case].reference, action])


def other(scope: str) -> str:
    return "other" if scope == "own" else "own"


def participant(w: Any, s: str, key: str) -> int:
    """A participant of the own case; the other municipality's case has only its director,
    which stands in (that case is out of reach anyway)."""
    scope = w[s]
    found = scope.participants.get(f"{scope.cases['main'].reference}:{key}")
    return (found or scope.participants[f"{scope.cases['main'].reference}:director"]).pk


def today(days: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def acting_membership(w: Any, who: str) -> Any:
    return w.acting.get(who) or w.users[who].memberships.first()


CASE_BODIES: dict[str, Callable[[Any, str, str], dict[str, Any]]] = {
    "update": lambda w, s, who: {
        "update-version": w[s].cases["main"].version,
        "update-summary": "Bijgewerkte situatie",
    },
    "direction": lambda w, s, who: {"direction-holder": "zvh", "direction-reason": "Escalatie"},
    "share": lambda w, s, who: {
        "share-organisation": w.orgs["om"].pk,
        "share-legal_basis": "avg_6_1_e",
        "share-justification": "Vervolging",
    },
    "unshare": lambda w, s, who: {
        "unshare-participant": participant(w, s, "bd"),
        "unshare-reason": "Niet meer nodig",
    },
    "reveal": lambda w, s, who: {
        "reveal-participant": participant(w, s, "iszw"),
        "reveal-legal_basis": "avg_6_1_e",
        "reveal-justification": "Nodig voor het onderzoek",
    },
    "person": lambda w, s, who: {
        "person-role": "perpetrator",
        "person-name": "Gerrit Nieuwland",
        "person-decision": "new",
    },
    "post": lambda w, s, who: {
        "post-kind": "note",
        "post-text": "Huisbezoek afgelegd",
        "post-corrects": w[s].entry.pk,
    },
    "agreement": lambda w, s, who: {
        "agreement-text": "Woning bezoeken",
        "agreement-owner": w[s].agreement.owner_id,
        "agreement-due_on": today(7),
    },
    "settle": lambda w, s, who: {"settle-agreement": w[s].agreement.pk, "settle-status": "done"},
    "referral": lambda w, s, who: {
        "referral-to_organisation": w.orgs["om"].pk,
        "referral-reason": "Vervolging bespreken",
    },
    "answer": lambda w, s, who: {"answer-referral": w[s].referral.pk, "answer-accept": "yes"},
    "revoke": lambda w, s, who: {
        "revoke-referral": w[s].referral.pk,
        "revoke-reason": "Niet meer nodig",
    },
    "intervention": lambda w, s, who: {
        "intervention-kind": "fiscal",
        "intervention-description": "Fiscale controle",
    },
    "execute": lambda w, s, who: {"execute-intervention": w[s].interventions["acknowledged"].pk},
    "outcome": lambda w, s, who: {
        "outcome-intervention": w[s].interventions["executed"].pk,
        "outcome-outcome": "Loods gesloten",
    },
    "withdraw": lambda w, s, who: {
        "withdraw-intervention": w[s].interventions["proposed"].pk,
        "withdraw-reason": "Niet meer nodig",
    },
    "close": lambda w, s, who: {
        "close-summary": "Afgerond",
        f"close-outcome_{w[s].cases['closable'].persons.get().pk}": "care",
    },
}
# Who may take each step on the own municipality's main case (CASE_RULES, written out).
CASE_STEP_ACTORS: dict[str, frozenset[str]] = {
    "update": DIRECTORS,
    "direction": DIRECTORS,
    "share": DIRECTORS,
    "unshare": DIRECTORS,
    "reveal": DIRECTORS,
    "person": CASE_NAMED,
    "post": CASE_WORKS,
    "agreement": CASE_WORKS,
    "settle": DIRECTORS | {"zc_named"},  # the netwerkregisseur, and the agreement's owner
    "referral": CASE_WORKS,
    "answer": frozenset({"care_referred"}),
    "revoke": DIRECTORS,  # the netwerkregisseur; the sender is the netwerkregisseur's own
    "intervention": CASE_PERPETRATOR,
    "execute": CASE_PERPETRATOR,
    "outcome": CASE_PERPETRATOR,
    "withdraw": CASE_PERPETRATOR,
    "close": DIRECTORS,
}
# What an allowed actor gets for each body, where it differs from `outcomes()`.
# An id that is no row of this case is not found (404), whether unknown or another case's; a
# version that is not the case's current one is a conflict (409).
UNKNOWN_ROW = outcomes(garbage=(404, False), foreign=(404, False))
CASE_OUTCOMES: dict[str, dict[str, Outcome]] = {
    "update": outcomes(garbage=(409, False)),
    "settle": outcomes(foreign=(404, False)),
    "answer": outcomes(foreign=(404, False)),
    "revoke": UNKNOWN_ROW,
    "execute": UNKNOWN_ROW,
    "outcome": UNKNOWN_ROW,
    "withdraw": UNKNOWN_ROW,
}
CASE_FOREIGN = {
    "unshare",
    "reveal",
    "post",
    "agreement",
    "settle",
    "answer",
    "revoke",
    "execute",
    "outcome",
    "withdraw",
}


def settle_may(who: str, scope: str) -> Refusal:
    """The pseudonymised participant owns an agreement of its own, so it reaches the form; the
    covenant partner's agreement it sends is refused by the service (400, nothing settled)."""
    refused = gate(CASE_ROLES, CASE_SEES, CASE_STEP_ACTORS["settle"])(who, scope)
    if refused == 403 and who == "iszw_pseudo":
        return {"empty": 400, "garbage": 400, "valid": 400}
    return refused


def case_cells() -> list[Cell]:
    cells = []
    for action, body in CASE_BODIES.items():
        case = "closable" if action == "close" else "main"
        may = gate(CASE_ROLES, CASE_SEES, CASE_STEP_ACTORS[action])
        cells.append(
            Cell(
                f"cases:act {action}",
                case_url(action, case),
                settle_may if action == "settle" else may,
                CASE_OUTCOMES.get(action, outcomes()),
                body,
                foreign=action in CASE_FOREIGN,
                shows=for_(CASE_NAMED),
            )
        )
    for action in ("update", "post", "close"):
        # Half-filled long forms are kept as the author's draft: any content is stored.
        case = "closable" if action == "close" else "main"
        cells.append(
            Cell(
                f"cases:act {action} (draft)",
                case_url(action, case),
                gate(CASE_ROLES, CASE_SEES, CASE_STEP_ACTORS[action]),
                ALWAYS_WRITES,
                lambda w, s, who, body=CASE_BODIES[action]: {**body(w, s, who), "save_draft": "1"},
            )
        )
    # Search before create: a namesake in a case one sees by name is offered (200, nothing added
    # yet); the other municipality's person with that name is out of reach, so nobody is offered
    # and the person is added.
    for label, whose, outcome in (
        ("own namesake", lambda s: s, (200, False)),
        ("namesake elsewhere", other, (302, True)),
    ):
        cells.append(
            Cell(
                f"cases:act person ({label})",
                case_url("person"),
                gate(CASE_ROLES, CASE_SEES, CASE_STEP_ACTORS["person"]),
                outcomes(valid=outcome),
                lambda w, s, who, whose=whose: {
                    "person-role": "victim",
                    "person-name": PERSONS[whose(s)].name,
                },
                shows=for_(CASE_NAMED),
            )
        )
    cells.append(
        Cell(
            "cases:act (no such step)",
            case_url("bogus"),
            lambda who, scope: 403 if role_of(who) not in CASE_ROLES else 404,
            outcomes(),
        )
    )
    return cells


def meeting_url(step: str, meeting: str = "held") -> Callable[[Any, str], str]:
    return lambda w, s: reverse("meetings:act", args=[w[s].meetings[meeting].pk, step])


def item_url(item: str, whose: Callable[[str], str] = lambda s: s) -> Callable[[Any, str], str]:
    """The item of the held meeting; with `whose=other`, the other meeting's item under this
    meeting's URL."""
    return lambda w, s: reverse(
        "meetings:item", args=[w[s].meetings["held"].pk, w[whose(s)].items[item].pk]
    )


def present(w: Any, s: str) -> list[int]:
    scope = w[s]
    members = [scope.director.memberships.get().pk]
    if s == "own":
        members.append(w.users["zc_named"].memberships.get().pk)
    return members


ORGANISER = gate(CASE_ROLES, MEETING_SEES, DIRECTORS)


def meeting_cells() -> list[Cell]:
    minutes = lambda w, s, who: {  # noqa: E731
        "minutes": "1",
        "minutes-discussion": "Besproken met de zorgcoördinator",
        "minutes-decisions": "Opvang regelen",
        "minutes-version": w[s].meetings["held"].version,
    }
    # Only who may record minutes reaches the item's forms; for everyone else it is not there.
    recorder = gate(CASE_ROLES, MEETING_SEES, COVERED_ORGANISERS)

    def recorder_may(who: str, scope: str) -> Refusal:
        refused = recorder(who, scope)
        return 404 if refused == 403 and role_of(who) in CASE_ROLES else refused

    decider = gate(CASE_ROLES, MEETING_SEES)

    def decide_may(who: str, scope: str) -> Refusal:
        """The form is read before the rules are asked: an incomplete one is a message for
        anyone who sees the meeting; a complete one is refused by the case's rule (a partner
        of the case: 403; the case is not theirs: 404) or by the meeting's (an organiser
        outside the covenant: 403)."""
        refused = decider(who, scope)
        if refused is not None or who in COVERED_ORGANISERS:
            return refused
        verdict = 403 if who in CASE_SEES else 404
        return {"empty": 302, "garbage": 302, "valid": verdict}

    def acknowledge_may(who: str, scope: str) -> Refusal:
        refused = decider(who, scope)
        if refused is not None or who == "zc_named":
            return refused
        return {b: (403 if who in CASE_SEES else 404) for b in ("empty", "garbage", "valid")}

    return [
        Cell("meetings:act build-agenda", meeting_url("build-agenda"), ORGANISER, ALWAYS_WRITES),
        Cell(
            "meetings:act topic",
            meeting_url("topic"),
            ORGANISER,
            # A refused step redirects with its message; a topic of invisible characters is none.
            outcomes((302, False), (302, False), (302, True)),
            lambda w, s, who: {"topic-topic": "Trends in de regio"},
        ),
        Cell("meetings:act open", meeting_url("open", "planned"), ORGANISER, ALWAYS_WRITES),
        Cell(
            "meetings:act attendance",
            meeting_url("attendance"),
            ORGANISER,
            # Nobody ticked is a record too: nobody present.
            outcomes((302, True), (302, False), (302, True), (302, False)),
            lambda w, s, who: {"attendance-present": present(w, s)},
            foreign=True,
        ),
        Cell("meetings:act finalise", meeting_url("finalise"), ORGANISER, ALWAYS_WRITES),
        Cell(
            "meetings:act follow-up",
            meeting_url("follow-up"),
            ORGANISER,
            outcomes((302, False), (302, False), (302, True)),
            lambda w, s, who: {"follow-up-scheduled_for": f"{today(14)}T10:00"},
        ),
        Cell(
            "meetings:act (no such step)",
            meeting_url("bogus"),
            lambda who, scope: 403 if role_of(who) not in CASE_ROLES else 404,
            outcomes(),
        ),
        Cell(
            "meetings:item minutes",
            item_url("case"),
            recorder_may,
            outcomes((200, False), (200, False), (302, True), (404, False)),
            minutes,
            foreign=True,
            foreign_url=item_url("case", other),
            shows=for_(COVERED_ORGANISERS),
            describes=for_(COVERED_ORGANISERS),
        ),
        Cell(
            "meetings:item minutes (draft)",
            item_url("case"),
            recorder_may,
            ALWAYS_WRITES,
            lambda w, s, who: {**minutes(w, s, who), "save_draft": "1"},
            shows=for_(COVERED_ORGANISERS),
            describes=for_(COVERED_ORGANISERS),
        ),
        Cell(
            "meetings:item triage",
            item_url("signal"),
            recorder_may,
            outcomes((200, False), (200, False), (302, True), (404, False)),
            lambda w, s, who: {
                "triage": "1",
                "triage-decision": "monitor",
                "triage-recheck_on": today(30),
            },
            foreign=True,
            foreign_url=item_url("signal", other),
            shows=for_(COVERED_ORGANISERS),
            describes=for_(COVERED_ORGANISERS),
        ),
        Cell(
            "meetings:decide_proposal",
            lambda w, s: reverse(
                "meetings:decide_proposal", args=[w[s].meetings["held"].pk, w[s].proposal.pk]
            ),
            decide_may,
            outcomes((302, False), (302, False), (302, True), (404, False)),
            lambda w, s, who: {
                f"proposal-{w[s].proposal.pk}-approve": "1",
                f"proposal-{w[s].proposal.pk}-note": "Akkoord",
            },
            foreign=True,
            foreign_url=lambda w, s: reverse(
                "meetings:decide_proposal",
                args=[w[s].meetings["held"].pk, w[other(s)].proposal.pk],
            ),
        ),
        Cell(
            "meetings:acknowledge",
            lambda w, s: reverse(
                "meetings:acknowledge",
                args=[w[s].meetings["held"].pk, w[s].interventions["proposed"].pk],
            ),
            acknowledge_may,
            # The note is optional: whatever else is sent, the care side acknowledges.
            outcomes((302, True), (302, True), (302, True), (404, False)),
            lambda w, s, who: {f"intervention-{w[s].interventions['proposed'].pk}-note": "Opvang"},
            foreign=True,
            foreign_url=lambda w, s: reverse(
                "meetings:acknowledge",
                args=[w[s].meetings["held"].pk, w[other(s)].interventions["proposed"].pk],
            ),
        ),
    ]


def signal_url(action: str, signal: str = "main") -> Callable[[Any, str], str]:
    return lambda w, s: reverse("intake:handle", args=[w[s].signals[signal].reference, action])


RECEIVER = gate(frozenset({AF}), DIRECTORS)
HANDLING_BODIES: dict[str, tuple[str, Callable[[Any, str, str], dict[str, Any]] | None]] = {
    "pick-up": ("new", None),
    "enrich": (
        "main",
        lambda w, s, who: {"enrich-kind": "note", "enrich-text": "Adres nagevraagd"},
    ),
    "indicators": (
        "main",
        lambda w, s, who: {"indicators-indicators": ["physical-injury"]},
    ),
    "link": (
        "main",
        lambda w, s, who: {
            "link-other": w[s].signals["loose"].reference,
            "link-basis": "same_premises",
            "link-reason": "Zelfde loods",
        },
    ),
    "route": (
        "new",
        lambda w, s, who: {"route-destination": "case_meeting", "route-reason": "Naar de VCO"},
    ),
    "feedback": ("main", lambda w, s, who: {"feedback-feedback": "Wij hebben het opgepakt"}),
    "close": ("main", lambda w, s, who: {"close-reason": "handed_over"}),
}


HANDLING_OUTCOMES = {
    "pick-up": ALWAYS_WRITES,  # one button: there is nothing to fill in
}


def intake_cells() -> list[Cell]:
    cells = []
    for action, (signal, body) in HANDLING_BODIES.items():
        cells.append(
            Cell(
                f"intake:handle {action}",
                signal_url(action, signal),
                RECEIVER,
                HANDLING_OUTCOMES.get(action, outcomes()),
                body,
                foreign=action == "link",
                shows=for_(DIRECTORS),
                describes=for_(DIRECTORS),
            )
        )
    cells += [
        Cell(
            "intake:handle (no such step)",
            signal_url("bogus"),
            lambda who, scope: None if role_of(who) == AF else 403,
            outcomes((404, False), (404, False), (404, False)),
        ),
        Cell(
            "intake:report",
            lambda w, s: reverse("intake:report"),
            gate(REPORTING_ROLES),
            outcomes((200, False), (200, False), (302, True), (200, False)),
            report_body,
            scopes=("own",),
            foreign=True,
        ),
        Cell(
            "privacy:subjects",
            lambda w, s: reverse("privacy:subjects"),
            gate(PRIVACY),
            outcomes((200, False), (200, False), (200, False)),
            lambda w, s, who: {"name": PERSONS["own"].name},
            scopes=("own",),
            shows=lambda who, scope: who in PRIVACY,
        ),
        correction_cell(
            "privacy:subject_correct",
            lambda w, s: w[s].signals["main"].persons.get(),
            lambda s: {"nationality": PERSONS[s].nationality, "appearance": "Lang donker haar"},
        ),
        correction_cell(
            "privacy:case_subject_correct",
            lambda w, s: w[s].cases["main"].persons.get(),
            lambda s: {"sex": "f", "nationality": f"{PERSONS[s].nationality} (gecorrigeerd)"},
        ),
        Cell(
            "intake:public_report",
            lambda w, s: reverse("intake:public_report"),
            lambda who, scope: None,
            outcomes((200, False), (200, False)),
            scopes=("own",),
            governed=False,
        ),
        Cell(
            "intake:public_feedback",
            lambda w, s: reverse("intake:public_feedback"),
            lambda who, scope: None,
            outcomes((200, False), (200, False)),
            scopes=("own",),
            governed=False,
        ),
    ]
    return cells


def correction_cell(
    name: str, person: Callable[[Any, str], Any], changes: Callable[[str], dict[str, str]]
) -> Cell:
    """The privacy officer corrects a person in a signal or a case, of any municipality."""
    return Cell(
        name,
        lambda w, s: reverse(name, args=[person(w, s).pk]),
        gate(PRIVACY),
        outcomes(),
        lambda w, s, who: {
            "name": PERSONS[s].name,
            "date_of_birth": PERSONS[s].date_of_birth,
            **changes(s),
            "reason": "Verzoek van betrokkene",
        },
        shows=lambda who, scope: who in PRIVACY,
    )


def report_body(w: Any, s: str, who: str) -> dict[str, Any]:
    membership = acting_membership(w, who)
    municipality = reporting_municipalities(membership.organisation)[0]
    return {
        "reporting_as": f"{membership.organisation_id}:{membership.role}",
        "municipality": municipality.pk,
        "observed_on": today(),
        "place": "Station",
        "exploitation_forms": ["labour"],
        "description": "Iemand slaapt in de kelder van de loods.",
        "submission_token": str(uuid.uuid4()),
    }


def foreign_report_body(w: Any, s: str, who: str) -> dict[str, Any]:
    return {**report_body(w, s, who), "reporting_as": f"{w.orgs['care_other'].pk}:{AF}"}


INSPECTORS = frozenset({AF, "af_uncovered", "two_hats:af", str(Role.TOEZICHT_HANDHAVING)})


def inspection_body(w: Any, s: str, who: str) -> dict[str, Any]:
    return {
        "kind": "administrative",
        "planned_for": f"{today(3)}T09:30",
        "premises": "Loods Oosthaven",
        "purpose": "Controle op huisvesting",
        "avim": w.orgs["avim"].pk,
        "zorgcoordination": w.orgs["zc"].pk,
        "case": "",
    }


def foreign_inspection_body(w: Any, s: str, who: str) -> dict[str, Any]:
    """An inspection for the other municipality's case."""
    return {**inspection_body(w, s, who), "case": w[other(s)].cases["main"].reference}


def inspection_url(step: str, state: str) -> Callable[[Any, str], str]:
    return lambda w, s: reverse("inspections:act", args=[w[s].inspections[state].pk, step])


def other_cells() -> list[Cell]:
    return [
        Cell(
            "cases:open",
            lambda w, s: reverse("cases:open"),
            gate(frozenset({AF})),
            outcomes(empty=(200, False)),  # an empty POST is read as opening the form
            lambda w, s, who: {
                "signals": [w[s].signals["loose"].reference],
                "summary": "Een nieuwe zaak",
            },
            scopes=("own",),
            foreign=True,
        ),
        Cell(
            "inspections:list",
            lambda w, s: reverse("inspections:list"),
            gate(INSPECTION_ROLES),
            outcomes(),
            inspection_body,
            scopes=("own",),
            foreign=True,
        ),
        *(
            Cell(
                f"inspections:act {step}",
                inspection_url(step, state),
                # Any case role may be taking part in an inspection: for the others it is 404.
                gate(CASE_ROLES, INSPECTORS),
                outcomes(),
                lambda w, s, who, key=f"{step}-{field}", text=text: {key: text},
            )
            for step, state, field, text in (
                ("findings", "planned", "findings", "Slaapplaatsen in de loods"),
                ("evaluate", "held", "evaluation", "Goed verlopen, AVIM was vooraf ingelicht"),
            )
        ),
        Cell(
            "inspections:act (no such step)",
            inspection_url("bogus", "planned"),
            lambda who, scope: None if role_of(who) in CASE_ROLES else 403,
            outcomes((404, False), (404, False), (404, False)),
        ),
        Cell(
            "meetings:plan",
            lambda w, s: reverse("meetings:plan"),
            gate(frozenset({AF})),
            outcomes((200, False), (200, False), (302, True), (200, False)),
            lambda w, s, who: {
                "municipality": w[s].municipality.pk,
                "meeting_type": "case_meeting",
                "scheduled_for": f"{today(7)}T10:00",
                "invited": [w.orgs["zc"].pk],
            },
            scopes=("own",),
            foreign=True,
        ),
    ]


def matching_person(w: Any, who: str) -> dict[str, Any]:
    return {
        "organisation": acting_membership(w, who).organisation_id,
        "given_names": "Piet",
        "surname": "Jansen",
    }


def foreign_matching_person(w: Any, s: str, who: str) -> dict[str, Any]:
    """On behalf of an organisation the actor does not work for."""
    return {**matching_person(w, who), "organisation": w.orgs["care_other"].pk}


def foreign_membership(w: Any, s: str, who: str) -> dict[str, Any]:
    """Somebody else's membership."""
    somebody = "avim_covered" if who != "avim_covered" else "zc_named"
    return {"membership": w.users[somebody].memberships.get().pk, "next": "/"}


def matching_cells() -> list[Cell]:
    matching = frozenset(MATCHING_ROLES)
    return [
        Cell(
            "matching:register",
            lambda w, s: reverse("matching:register"),
            gate(matching),
            outcomes((200, False), (200, False), (302, True), (200, False)),
            lambda w, s, who: {**matching_person(w, who), "contact_person": "Mijzelf"},
            scopes=("own",),
            foreign=True,
        ),
        Cell(
            "matching:lookup",
            lambda w, s: reverse("matching:lookup"),
            gate(matching),
            outcomes((200, False), (200, False), (302, True), (200, False)),
            lambda w, s, who: matching_person(w, who),
            scopes=("own",),
            foreign=True,
        ),
        # Someone else's registration, hit or task does not exist for another organisation.
        Cell(
            "matching:end",
            lambda w, s: reverse("matching:end", args=[w.matching["registration"].pk]),
            gate(matching, frozenset({"zc_named"})),
            # Ending asks for the box to be ticked: without it the question comes again (a
            # checkbox is ticked by any value, as browsers send it).
            outcomes((200, False), (302, True), (302, True)),
            lambda w, s, who: {"confirmed": "on"},
            scopes=("own",),
        ),
        Cell(
            "matching:decide",
            lambda w, s: reverse("matching:decide", args=[w.matching["hit"].pk]),
            gate(matching, frozenset({"avim_covered"})),
            ALWAYS_WRITES,  # anything but "yes" dismisses the hit
            lambda w, s, who: {"confirm": "yes"},
            scopes=("own",),
        ),
        Cell(
            "matching:task_status",
            lambda w, s: reverse("matching:task_status", args=[w.matching["task"].pk]),
            gate(matching, frozenset({"avim_covered"})),
            outcomes((302, False), (302, False), (302, True)),
            lambda w, s, who: {f"{w.matching['task'].pk}-status": "contact_made"},
            scopes=("own",),
        ),
    ]


def account_cell(name: str, result: dict[str, Outcome], **fields: Any) -> Cell:
    """A page of the user's own account: anyone logged in, whatever membership they act in."""
    return Cell(
        name,
        lambda w, s: reverse(name),
        lambda who, scope: None,
        result,
        scopes=("own",),
        governed=False,
        **fields,
    )


def account_cells() -> list[Cell]:
    return [
        account_cell("login", REDIRECT_ONLY),
        account_cell("logout", REDIRECT_ONLY, after="login"),
        account_cell(
            "set_language", REDIRECT_ONLY, valid=lambda w, s, who: {"language": "nl", "next": "/"}
        ),
        account_cell(
            "accounts:act_as",
            outcomes(foreign=(400, False), valid=(302, False)),
            valid=lambda w, s, who: {"membership": acting_membership(w, who).pk, "next": "/"},
            foreign=True,
            after="login",
        ),
        # An empty POST is read as opening the page.
        account_cell("accounts:enrol", outcomes(empty=(200, False))),
        account_cell("accounts:verify", REDIRECT_ONLY),  # no authenticator yet: to enrolment
        # Both need a session confirmed with a code, which none of these has.
        account_cell("accounts:recovery_codes", outcomes((403, False), (403, False))),
        account_cell("accounts:turn_off", outcomes((403, False), (403, False))),
    ]


FIGURE_KEEPERS = frozenset({str(Role.AF_OOV), str(Role.AF_ZORG), str(Role.AF_SWT)})
# The care provider in an AF Zorg role belongs to no municipality: it keeps no one's figures.
OUTSIDE_A_MUNICIPALITY = frozenset({"care_referred"})


def report_cells() -> list[Cell]:
    """The annual report's edit page: one step per POST, for the AF roles of the municipality
    (the URL names only a year: the report is the reader's own municipality's)."""
    url = lambda w, s: reverse("monitoring:report_edit", args=[timezone.localdate().year - 1])  # noqa: E731
    goal = lambda w: w.report["goal"].pk  # noqa: E731
    section = lambda w: w.report["section"].pk  # noqa: E731
    bodies: dict[str, Callable[[Any, str, str], dict[str, Any]]] = {
        "report": lambda w, s, who: {
            "step": "report",
            "report-introduction": "Het jaar in het kort.",
            "report-is_public": "on",
        },
        "goal_add": lambda w, s, who: {
            "step": "goal_add",
            "goal-year_kind": "next",
            "goal-text": "Tien trainingen geven",
        },
        "goal_update": lambda w, s, who: {
            "step": "goal_update",
            "item": goal(w),
            f"goal-{goal(w)}-year_kind": "this",
            f"goal-{goal(w)}-text": "Meer signalen uit de zorg",
            f"goal-{goal(w)}-met": "yes",
        },
        "goal_remove": lambda w, s, who: {"step": "goal_remove", "item": goal(w)},
        "section_add": lambda w, s, who: {
            "step": "section_add",
            "section-title": "Samenwerking",
            "section-body": "Met de zorg en de politie.",
        },
        "section_update": lambda w, s, who: {
            "step": "section_update",
            "item": section(w),
            f"section-{section(w)}-title": "Inleiding",
            f"section-{section(w)}-body": "Een nieuwe tekst.",
        },
        "section_remove": lambda w, s, who: {"step": "section_remove", "item": section(w)},
    }
    return [
        Cell(
            f"monitoring:report_edit {step}",
            url,
            lambda who, scope: (
                403 if who in OUTSIDE_A_MUNICIPALITY else gate(FIGURE_KEEPERS)(who, scope)
            ),
            outcomes(),
            body,
            scopes=("own",),
        )
        for step, body in bodies.items()
    ]


# --- The partner network ----------------------------------------------------------------------

TRAINING_KEEPERS = frozenset({str(Role.AF_OOV), str(Role.AF_ZORG), str(Role.AF_SWT)})
CARE_MAP_KEEPERS = frozenset(
    {str(Role.AF_ZORG), str(Role.ZORGCOORDINATOR), str(Role.FUNCTIONAL_ADMIN)}
)
ADMINISTRATOR = frozenset({str(Role.FUNCTIONAL_ADMIN)})


def keeper_gate(visible: bool) -> Callable[[str, str], Refusal]:
    """The AF roles of a municipality keep its trainings: the care provider in an AF Zorg role
    belongs to none; the other municipality's training does not exist for them."""

    def may(who: str, scope: str) -> Refusal:
        if who in OUTSIDE_A_MUNICIPALITY or role_of(who) not in TRAINING_KEEPERS:
            return 403
        return 404 if visible and scope != "own" else None

    return may


def region_gate(roles: frozenset[str]) -> Callable[[str, str], Refusal]:
    """An object of another region does not exist for whoever may act on the own."""
    return lambda who, scope: (
        403 if role_of(who) not in roles else (404 if scope != "own" else None)
    )


def training_body(w: Any, s: str, who: str) -> dict[str, Any]:
    return {
        "held_on": today(-7),
        "title": "Signalen herkennen",
        "audience": "professionals",
        "sector": "care",
        "trainer_name": "CoMensha",
        "reporting_route_presented": "on",
        "rows-TOTAL_FORMS": "1",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "60",
        "rows-0-organisation": w.orgs["zc"].pk,
        "rows-0-participants": "6",
    }


def offer_body(w: Any, s: str, who: str) -> dict[str, Any]:
    return {
        "title": "Traumabehandeling",
        "domain": "psychological",
        "provider_name": "GGZ Heidemeer",
        "for_adults": "on",
        "for_dutch": "on",
        "forms_of_exploitation": ["sexual"],
        "is_active": "on",
    }


def network_url(name: str, key: str | None = None) -> Callable[[Any, str], str]:
    if key is None:
        return lambda w, s: reverse(name)
    return lambda w, s: reverse(name, args=[w.network[s][key].pk])  # type: ignore[attr-defined]


def network_cells() -> list[Cell]:
    return [
        Cell(
            "network:profile_edit",
            network_url("network:profile_edit", "organisation"),
            region_gate(ADMINISTRATOR),
            outcomes(),
            lambda w, s, who: {"route_place": "advises", "contact_name": "Sanne"},
        ),
        Cell(
            "network:training_interval",
            network_url("network:training_interval"),
            keeper_gate(False),
            outcomes(),
            lambda w, s, who: {"months": "12"},
            scopes=("own",),
        ),
        Cell(
            "network:training_new",
            network_url("network:training_new"),
            keeper_gate(False),
            outcomes(),
            training_body,
            scopes=("own",),
        ),
        Cell(
            "network:training_edit",
            network_url("network:training_edit", "session"),
            keeper_gate(True),
            outcomes(),
            training_body,
        ),
        Cell(
            "network:care_offer_new",
            network_url("network:care_offer_new"),
            gate(CARE_MAP_KEEPERS),
            outcomes(),
            offer_body,
            scopes=("own",),
        ),
        Cell(
            "network:care_offer_edit",
            network_url("network:care_offer_edit", "offer"),
            region_gate(CARE_MAP_KEEPERS),
            outcomes(),
            offer_body,
        ),
    ]


def assessment_cells() -> list[Cell]:
    """The self-assessment's steps: the municipality's AF OOV only (the readers' role is refused
    by the view's declaration); another municipality's assessment does not exist for them."""
    assessors = frozenset({AF})
    sees = frozenset({AF, "af_uncovered", "two_hats:af"})  # the own municipality's AF OOVs

    def url(name: str, *extra: str) -> Callable[[Any, str], str]:
        def build(w: Any, s: str) -> str:
            parts = {"evidence": lambda: w.assessments[s]["evidence"].pk}
            args = [parts[e]() if e in parts else e for e in extra]
            return reverse(name, args=[w.assessments[s]["assessment"].pk, *args])

        return build

    clarity = "network-clarity"
    return [
        Cell(
            "assessment:start",
            lambda w, s: reverse("assessment:start"),
            gate(assessors),
            outcomes(),
            lambda w, s, who: {"year": timezone.localdate().year},
            scopes=("own",),
        ),
        Cell(
            "assessment:answer",
            url("assessment:answer", clarity),
            gate(assessors, sees),
            outcomes(),
            lambda w, s, who: {f"{clarity}-level": "3", f"{clarity}-notes": "Convenant getekend"},
        ),
        Cell(
            "assessment:evidence_add",
            url("assessment:evidence_add", clarity),
            gate(assessors, sees),
            outcomes(),
            lambda w, s, who: {
                f"evidence-{clarity}-kind": "link",
                f"evidence-{clarity}-title": "Convenant",
                f"evidence-{clarity}-url": "https://example.org/convenant",
            },
        ),
        Cell(
            "assessment:evidence_remove",
            url("assessment:evidence_remove", "evidence"),
            gate(assessors, sees),
            ALWAYS_WRITES,  # the button is the whole form
        ),
        Cell(
            "assessment:finalise",
            url("assessment:finalise"),
            gate(assessors, sees),
            # Any text ticks a checkbox, so the spoiled body confirms too.
            outcomes(garbage=(302, True)),
            lambda w, s, who: {"confirm": "on"},
        ),
    ]


CELLS = [
    *assessment_cells(),
    *report_cells(),
    *case_cells(),
    *meeting_cells(),
    *intake_cells(),
    *other_cells(),
    *matching_cells(),
    *account_cells(),
    *network_cells(),
]

# Views that take no input from a POST: their source never reads it (checked below).
READ_ONLY = {
    "assessment:list",
    "assessment:questions",
    "assessment:results",
    "assessment:pdf",
    "monitoring:dashboard",
    "monitoring:report_index",
    "monitoring:report",
    "monitoring:report_pdf",
    "monitoring:report_csv",
    "monitoring:report_xlsx",
    "home",
    "healthz",
    "favicon",
    "accounts:security",
    "accounts:rights_review",
    "accounts:rights_review_export",
    "privacy:subject",
    "privacy:subject_export",
    "privacy:case_subject",
    "privacy:case_subject_export",
    "intake:queue",
    "intake:mine",
    "intake:detail",
    "intake:received",
    "intake:attachment",
    "cases:list",
    "cases:shared",
    "worklist:actions",
    "cases:detail",
    "cases:section",
    "inspections:detail",
    "audit:log",
    "audit:export",
    "matching:registrations",
    "matching:result",
    "matching:hits",
    "catalogue:cards",
    "catalogue:card",
    "catalogue:card_pdf",
    "meetings:list",
    "meetings:detail",
    "meetings:pdf",
    "monitoring:comensha",
    "monitoring:comensha_csv",
    "monitoring:comensha_xlsx",
    "network:directory",
    "network:organisation",
    "network:who_does_what",
    "network:trainings",
    "network:training_status",
    "network:care_map",
}


# --- Bodies -----------------------------------------------------------------------------------

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
SWITCHES = ("save_draft", "minutes", "triage")  # which form on the page, and whether a draft


def garbage(value: Any) -> Any:
    """The same field, unusable: ids unknown (and beyond any integer column), dates that do
    not exist, choices and texts of zero-width characters only."""
    if isinstance(value, list):
        return [garbage(v) for v in value] + ["één"]
    text = str(value)
    if text.isdigit():
        return "9" * 25
    if text[:4].isdigit() and text[4:5] == "-":
        return "2026-02-30" + text[10:]
    return ZERO_WIDTH


def body_for(cell: Cell, kind: str, w: Any, scope: str, who: str) -> dict[str, Any] | None:
    """None when the cell is not sent this body."""
    switches = {k: v for k, v in (cell.valid(w, scope, who) if cell.valid else {}).items()}
    switches = {k: v for k, v in switches.items() if k in SWITCHES}
    if kind == "empty":
        return switches  # nothing filled in, the button pressed
    if kind == "foreign":
        # The own municipality's URL naming the other's objects (from the other municipality's
        # URL everything is out of reach already).
        wanted = cell.foreign and cell.valid and scope == "own"
        return cell.valid(w, other(scope), who) if wanted else None
    if kind == "nul" and scope != cell.scopes[0]:
        return None  # refused before the URL is even resolved: once per endpoint is enough
    if kind == "valid":
        return cell.valid(w, scope, who) if cell.valid else None
    base = cell.valid(w, scope, who) if cell.valid else {}
    # Unknown fields, and the known ones unusable (keeping a draft's or a form's switch).
    spoiled = {k: (v if k in SWITCHES else garbage(v)) for k, v in base.items()}
    spoiled |= {"unknown": ZERO_WIDTH, "id": "-1"}
    if kind == "nul":
        spoiled["unknown"] = "na\x00am"
    return spoiled


FOREIGN_BUILDERS = {
    "intake:report": foreign_report_body,
    "inspections:list": foreign_inspection_body,
    "matching:register": lambda w, s, who: {
        **foreign_matching_person(w, s, who),
        "contact_person": "Mijzelf",
    },
    "matching:lookup": foreign_matching_person,
    "accounts:act_as": foreign_membership,
}


def expected(cell: Cell, who: str, scope: str, kind: str) -> Outcome:
    if kind == "nul":
        return 400, False  # refused before anything looks at it
    if cell.governed and role_of(who) is None:
        return 302, False  # first: which membership do you act for?
    refused = cell.may(who, scope)
    if isinstance(refused, dict):
        refused = refused.get(kind)
    if refused is not None:
        return refused, False
    return cell.outcomes[kind]


# --- Seeing what was written ------------------------------------------------------------------


def fingerprint_sql() -> str:
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model.__module__.startswith("schakel.")
        and model._meta.app_label != "audit"  # counted below: reads write audit entries too
        and not model._meta.proxy
    )
    # Table names from the model registry, quoted: no input reaches this statement.
    counts = [f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables]
    audit = connection.ops.quote_name(AuditEvent._meta.db_table)
    counts.append(f"(SELECT COUNT(*) FROM {audit} WHERE action IN ('create', 'change'))")
    return "SELECT " + ", ".join(counts)


def fingerprint(sql: str) -> tuple[int, ...]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


# --- The matrix -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def post_world(django_db_setup, django_db_blocker, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Built once: every request below runs in a savepoint that is rolled back."""
    from django.conf import settings

    media = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_post_world()
        yield world
        transaction.set_rollback(True)
    settings.MEDIA_ROOT = media


def sign_in(client: Client, world: Any, who: str) -> None:
    client.force_login(world.users[who])
    chosen = world.acting.get(who)
    if chosen is not None:
        session = client.session
        session[ACTING_MEMBERSHIP_SESSION_KEY] = chosen.pk
        session.save()


def forbidden_tokens(cell: Cell, who: str, scope: str) -> list[str]:
    """What the response must not contain: the persons and description of the scope unless this
    viewer may see them here; the other scope's, always."""
    tokens = []
    for each in SCOPES:
        if each != scope or not cell.shows(who, scope):
            tokens += PERSONS[each].tokens
        if each != scope or not cell.describes(who, scope):
            tokens.append(DESCRIPTIONS[each])
    return tokens


class Actor:
    """One actor's client, and the world's row counts as every rolled-back request finds it."""

    def __init__(self, world: Any, who: str) -> None:
        self.world, self.who, self.client = world, who, Client()
        self.sql = fingerprint_sql()
        self.sign_in()

    def sign_in(self) -> None:
        sign_in(self.client, self.world, self.who)
        self.baseline = fingerprint(self.sql)

    def post(self, cell: Cell, scope: str, kind: str) -> tuple[Any, bool] | None:
        """The response and whether anything was written; None when the cell is not sent this
        body. Rolled back afterwards, so that every request finds the same world."""
        world, who = self.world, self.who
        data = body_for(cell, kind, world, scope, who)
        if data is not None and kind == "foreign" and cell.name in FOREIGN_BUILDERS:
            data = FOREIGN_BUILDERS[cell.name](world, scope, who)
        if data is None:
            return None
        foreign_url = cell.foreign_url if kind == "foreign" else None
        url = (foreign_url or cell.url)(world, scope)
        with transaction.atomic():
            response = self.client.post(url, data)
            written = fingerprint(self.sql) != self.baseline
            transaction.set_rollback(True)
        self.client.cookies.pop("messages", None)
        self.client.cookies.pop("django_language", None)
        cache.clear()  # rate limits per address and user: every cell starts afresh
        return response, written


@pytest.fixture
def quiet_refusals():  # type: ignore[no-untyped-def]
    """Thousands of expected 403s and 404s are not worth a logged warning each; errors still
    are."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ACTORS)
def test_every_form_endpoint_as_every_actor(post_world, quiet_refusals, who):
    actor = Actor(post_world, who)
    failures = []
    for cell in CELLS:
        for scope in cell.scopes:
            for kind in BODIES:
                if kind == "foreign" and cell.may(who, scope) is not None:
                    continue  # refused before the body is read: the valid body shows it
                if kind == "valid" and scope != "own" and cell.may(who, "own") is not None:
                    continue  # the other municipality is tried by whoever may act at home
                label = f"{cell.name} [{scope}, {kind}]"
                try:
                    ran = actor.post(cell, scope, kind)
                except Exception as error:  # a server error: report it with the rest
                    failures.append(f"{label}: raised {error!r}")
                    actor.sign_in()
                    continue
                if cell.after == "login":
                    actor.sign_in()
                if ran is None:
                    continue
                response, written = ran
                want_status, want_written = expected(cell, who, scope, kind)
                if response.status_code != want_status:
                    failures.append(f"{label}: {response.status_code}, expected {want_status}")
                if written != want_written:
                    failures.append(f"{label}: {'wrote' if written else 'wrote nothing'}")
                choosing = cell.governed and role_of(who) is None and kind != "nul"
                if choosing and not response.get("Location", "").startswith(CHOOSE):
                    failures.append(f"{label}: not sent to choose a membership")
                text = response.content.decode(errors="replace")
                leaked = [t for t in forbidden_tokens(cell, who, scope) if t in text]
                if leaked:
                    failures.append(f"{label}: shows {leaked}")
    assert not failures, "\n".join(failures)


def test_every_url_is_a_form_endpoint_of_the_matrix_or_reads_only():
    posted = {cell.name.split(" ")[0] for cell in CELLS}
    assert sorted(posted | READ_ONLY) == url_names(), "add the new view to CELLS or READ_ONLY"
    assert not posted & READ_ONLY


def test_every_step_of_every_form_endpoint_is_in_the_matrix():
    names = {cell.name for cell in CELLS}
    assert {f"cases:act {a}" for a in case_views.ACTIONS} <= names
    assert {f"meetings:act {s}" for s in meeting_views.MEETING_STEPS} <= names
    assert {f"intake:handle {a}" for a in intake_views.HANDLING} <= names
    assert {f"monitoring:report_edit {s}" for s in report_views.STEPS} <= names
    assert set(CASE_BODIES) == set(case_views.ACTIONS) == set(CASE_STEP_ACTORS)


def _views():  # type: ignore[no-untyped-def]
    def walk(patterns, namespace=None):  # type: ignore[no-untyped-def]
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and namespace != "admin":
                yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry.callback

    return dict(walk(get_resolver().url_patterns))


def test_the_views_that_read_only_never_read_a_post():
    for name, view in _views().items():
        if name in READ_ONLY:
            source = inspect.getsource(inspect.unwrap(view))
            assert "POST" not in source and "request.method" not in source, name


# --- The meeting's PDF, read as text ----------------------------------------------------------

# Who reads the held case meeting's PDF, and whether the covenant covers them there.
PDF_READERS = {
    AF: True,  # organiser, its organisation invited and party to the covenant
    "zc_named": True,
    "avim_covered": True,
    "ovj_uncovered": False,
    "af_uncovered": False,  # organiser, but its organisation is not invited
}


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "covered"), PDF_READERS.items())
def test_the_meeting_pdf_names_persons_only_for_whom_the_covenant_covers(post_world, who, covered):
    """The text inside the (compressed) PDF, not its bytes: only a covered viewer reads the
    person's name and the signal's description; the others read the pseudonym."""
    client = Client()
    sign_in(client, post_world, who)
    response = client.get(reverse("meetings:pdf", args=[post_world["own"].meetings["held"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    # Words placed apart in a PDF carry no space between them: compare without whitespace.
    text = squashed(pdf_pages_and_text(response.content)[1])
    person = PERSONS["own"]
    assert "Slachtoffer1" in text, "the text inside the PDF is read"
    if covered:
        assert squashed(person.name) in text
        assert DESCRIPTIONS["own"] in text
    else:
        assert [t for t in (*person.tokens, DESCRIPTIONS["own"]) if t in text] == []
    assert [t for t in (*PERSONS["other"].tokens, DESCRIPTIONS["other"]) if t in text] == []


# --- The pages these partners read ------------------------------------------------------------
# The GET matrix (tests/test_authorization_matrix.py) reads every URL as the sixteen roles in a
# world where none of them takes part in anything; here the partners that do take part read
# the pages of the case, the meeting, the signal and the hit/no-hit registry.


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[Any, str], str]
    may: Callable[[str, str], Refusal]  # None: 200
    shows: Callable[[str, str], bool] = lambda who, scope: False
    describes: Callable[[str, str], bool] = lambda who, scope: False
    scopes: tuple[str, ...] = SCOPES


COVERED = COVERED_ORGANISERS | {"zc_named", "avim_covered"}  # in the meeting, by the covenant


def meeting_page(name: str, *item: str) -> Page:
    return Page(
        f"{name} {' '.join(item)}".strip(),
        lambda w, s: reverse(
            name, args=[w[s].meetings["held"].pk, *(w[s].items[i].pk for i in item)]
        ),
        gate(CASE_ROLES, MEETING_SEES),
        shows=for_(COVERED),
        describes=for_(COVERED),
    )


PAGES = [
    *(
        Page(
            f"cases:detail {case}",
            lambda w, s, case=case: reverse("cases:detail", args=[w[s].cases[case].reference]),
            gate(CASE_ROLES, CASE_SEES),
            shows=for_(CASE_NAMED),
        )
        for case in ("main", "closable")
    ),
    *(
        Page(
            f"cases:section {case} {section}",
            lambda w, s, case=case, section=section: reverse(
                "cases:section", args=[w[s].cases[case].reference, section]
            ),
            gate(CASE_ROLES, CASE_SEES),
            shows=for_(CASE_NAMED),
        )
        for case in ("main", "closable")
        for section in ("persons", "timeline", "agreements", "decisions", "referrals")
    ),
    *(
        Page(name, lambda w, s, name=name: reverse(name), gate(CASE_ROLES), scopes=("own",))
        for name in ("cases:list", "cases:shared", "meetings:list")
    ),
    # Mijn acties shows the agreements an organisation owns, with names only for who sees them.
    Page(
        "worklist:actions",
        lambda w, s: reverse("worklist:actions"),
        gate(CASE_ROLES),
        shows=for_(CASE_NAMED),
        scopes=("own",),
    ),
    meeting_page("meetings:detail"),
    meeting_page("meetings:item", "signal"),
    meeting_page("meetings:item", "case"),
    meeting_page("meetings:pdf"),
    Page(
        "intake:detail",
        lambda w, s: reverse("intake:detail", args=[w[s].signals["main"].reference]),
        lambda who, scope: (
            None
            if who in DIRECTORS and scope == "own"
            else 404
            if role_of(who) in REPORTING_ROLES | {AF}
            else 403
        ),
        shows=for_(DIRECTORS),
        describes=for_(DIRECTORS),
    ),
    *(
        Page(name, lambda w, s, name=name: reverse(name), gate(MATCHING_ROLES), scopes=("own",))
        for name in ("matching:registrations", "matching:hits")
    ),
    Page(
        "matching:result",
        lambda w, s: reverse("matching:result", args=[w.matching["hit"].lookup.token]),
        gate(MATCHING_ROLES, frozenset({"avim_covered"})),
        scopes=("own",),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ACTORS)
def test_every_page_of_the_partners_world_as_every_actor(post_world, quiet_refusals, who):
    actor = Actor(post_world, who)
    failures = []
    for page in PAGES:
        for scope in page.scopes:
            response = actor.client.get(page.url(post_world, scope))
            refused = page.may(who, scope)
            want = 302 if role_of(who) is None else 200 if refused is None else refused
            label = f"{page.name} [{scope}]"
            if response.status_code != want:
                failures.append(f"{label}: {response.status_code}, expected {want}")
            text = response.content.decode(errors="replace")
            if response.get("Content-Type") == "application/pdf":
                text = pdf_pages_and_text(response.content)[1]
            text = squashed(text)
            for each in SCOPES:
                for token in PERSONS[each].tokens:
                    if token in text and (each != scope or not page.shows(who, scope)):
                        failures.append(f"{label} shows {token}")
                if DESCRIPTIONS[each] in text and (each != scope or not page.describes(who, scope)):
                    failures.append(f"{label} shows the description of {each}")
    assert not failures, "\n".join(failures)

"""Every self-assessment service, called directly, by every kind of person in the network, in
every state of the assessment: allowed exactly for the municipality's AF OOV on a draft (and
starting one), refused for everybody else and on a final assessment. The reads are proven the
same way: the board and the AF Zorg and SWT of the municipality read finals only.

Written out by hand from the field's rules (tests/test_service_matrix.py does the same for the
other apps), so it can catch the policy's own table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import translation

from schakel.assessment import selectors, services
from schakel.assessment.models import Assessment
from schakel.assessment.workflow import TransitionRefused
from schakel.core.context import AccessContext
from schakel.core.policies import ANONYMOUS
from schakel.organisations.choices import Role

from .conftest import context_for
from .factories import user_with_role
from .factories_assessment import fill
from .test_service_matrix import ACTORS as WORLD_ACTORS
from .world import World, build_world

pytestmark = pytest.mark.django_db

# The shared world's people, plus the municipality's AF Zorg and AF SWT (the world's "care" is
# the AF of a care provider outside any municipality).
ACTORS = (*WORLD_ACTORS, "af_zorg", "af_swt")
REFUSED = (PermissionDenied, Http404, TransitionRefused)
ONLY_AF = frozenset({"af"})
READERS = frozenset({"af", "board", "af_zorg", "af_swt"})
STATES = ("draft", "final")


@pytest.fixture(autouse=True)
def english():
    """The services' refusals are read in English here (the screens speak Dutch)."""
    with translation.override("en"):
        yield


@dataclass(frozen=True)
class Row:
    who: frozenset[str]
    states: frozenset[str] | None
    call: Callable[[AccessContext, dict[str, Any]], Any]


S = services
ROWS: dict[str, Row] = {
    "assessment_start": Row(
        ONLY_AF,
        None,
        lambda c, f: S.assessment_start(
            context=c, year=f["year"] + 1, municipality_id=f["municipality_id"]
        ),
    ),
    "answer_record": Row(
        ONLY_AF,
        frozenset({"draft"}),
        lambda c, f: S.answer_record(
            context=c, assessment=f["assessment"], condition="network-clarity", level=3, notes="x"
        ),
    ),
    "evidence_add": Row(
        ONLY_AF,
        frozenset({"draft"}),
        lambda c, f: S.evidence_add(
            context=c,
            assessment=f["assessment"],
            condition="network-clarity",
            kind="link",
            title="Convenant",
            url="https://example.org/convenant",
        ),
    ),
    "evidence_remove": Row(
        ONLY_AF,
        frozenset({"draft"}),
        lambda c, f: S.evidence_remove(
            context=c, assessment=f["assessment"], evidence=f["evidence"]
        ),
    ),
    "assessment_finalise": Row(
        ONLY_AF,
        frozenset({"draft"}),
        lambda c, f: S.assessment_finalise(context=c, assessment=f["assessment"]),
    ),
    # The read: the AF OOV sees drafts and finals, its colleagues and the board finals only.
    "assessment_get_for": Row(
        READERS, None, lambda c, f: selectors.assessment_get_for(c, f["assessment"].pk)
    ),
}
SEES_DRAFTS = ONLY_AF


def test_every_service_has_a_row():
    import inspect

    found = {
        name
        for name, value in vars(services).items()
        if inspect.isfunction(value)
        and value.__module__ == services.__name__
        and not name.startswith("_")
        and "context" in inspect.signature(value).parameters
    }
    assert found == set(ROWS) - {"assessment_get_for"}


def context_of(world: World, extra: dict[str, Any], actor: str) -> AccessContext:
    if actor == "anonymous":
        return AccessContext(actor=ANONYMOUS, access_point="test")
    if actor in extra:
        return context_for(extra[actor])
    return world.context(actor)


class Rollback(Exception):
    pass


def outcome(row: Row, context: AccessContext, fixtures: dict[str, Any]) -> str:
    try:
        with transaction.atomic():
            row.call(context, fixtures)
            raise Rollback
    except Rollback:
        return "allowed"
    except REFUSED:
        return "refused"


def fixtures_in(world: World, state: str) -> dict[str, Any]:
    af = world.context("af")
    assessment = fill(af, services.assessment_start(context=af, year=2024), {}, default=2)
    evidence = services.evidence_add(
        context=af,
        assessment=assessment,
        condition="network-clarity",
        kind="document",
        title="Beleidsplan",
    )
    if state == "final":
        services.assessment_finalise(context=af, assessment=assessment)
    return {
        "assessment": Assessment.objects.get(pk=assessment.pk),
        "evidence": evidence,
        "year": 2024,
        "municipality_id": world.municipality.pk,
    }


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("name", list(ROWS))
def test_each_assessment_service_is_allowed_exactly_for_whom_and_when_the_rules_say(name, state):
    row = ROWS[name]
    world = build_world()
    extra = {
        "af_zorg": user_with_role(Role.AF_ZORG, organisation=world.orgs["municipality"]),
        "af_swt": user_with_role(Role.AF_SWT, organisation=world.orgs["municipality"]),
    }
    fixtures = fixtures_in(world, state)
    in_state = row.states is None or state in row.states
    who = SEES_DRAFTS if name == "assessment_get_for" and state == "draft" else row.who
    wrong = []
    for actor in ACTORS:
        expected = "allowed" if actor in who and in_state else "refused"
        got = outcome(row, context_of(world, extra, actor), fixtures)
        if got != expected:
            wrong.append(f"{actor}: {got}, expected {expected}")
    assert wrong == [], f"{name} in state {state}"

"""Who sees a signal: the field's rules, one role at a time."""

import pytest

from schakel.core.policies import Action, actor_for
from schakel.intake.policies import (
    ALL_FIELDS,
    REPORTER_VIEW_FIELDS,
    SignalAction,
    signal_policy,
)
from schakel.organisations.choices import Role

from .factories import OrganisationFactory, SignalFactory, user_with_role
from .roles import REPORTING_ROLES

pytestmark = pytest.mark.django_db

ROLES_THAT_DO_NOT_RECEIVE = [role for role in Role if role != Role.AF_OOV]


@pytest.fixture
def signal(municipality, municipal_reporter):
    return SignalFactory(municipality=municipality, reporter=municipal_reporter)


def test_af_oov_of_the_municipality_lists_and_reads_its_signals_with_all_fields(signal, af_oov):
    actor = actor_for(af_oov)
    assert list(signal_policy.visible_to(actor)) == [signal]
    assert signal_policy.can(actor, Action.LIST)
    assert signal_policy.can(actor, SignalAction.VIEW, signal)
    assert signal_policy.fields(actor, signal) == ALL_FIELDS


def test_af_oov_of_another_municipality_sees_nothing(signal, other_af_oov):
    actor = actor_for(other_af_oov)
    assert list(signal_policy.visible_to(actor)) == []
    assert not signal_policy.can(actor, SignalAction.VIEW, signal)
    assert signal_policy.fields(actor, signal) == frozenset()


@pytest.mark.parametrize("role", ROLES_THAT_DO_NOT_RECEIVE)
def test_no_other_role_of_the_same_municipality_sees_someone_elses_signal(
    signal, municipality, role
):
    user = user_with_role(role, municipality=municipality)
    actor = actor_for(user)
    assert list(signal_policy.visible_to(actor)) == []
    assert not signal_policy.can(actor, Action.LIST)
    assert not signal_policy.can(actor, SignalAction.VIEW, signal)


@pytest.mark.parametrize("role", ROLES_THAT_DO_NOT_RECEIVE)
def test_regional_partners_do_not_see_municipal_signals(signal, municipality, role):
    regional = OrganisationFactory(regional=True, region=municipality.region)
    actor = actor_for(user_with_role(role, organisation=regional))
    assert not signal_policy.visible_to(actor).exists()


def test_reporter_reads_back_only_the_fields_they_entered(signal, municipal_reporter):
    actor = actor_for(municipal_reporter)
    assert list(signal_policy.visible_to(actor)) == [signal]
    assert signal_policy.can(actor, SignalAction.VIEW, signal)
    assert signal_policy.fields(actor, signal) == REPORTER_VIEW_FIELDS
    for internal in ("reporter", "events", "links", "feedback_withheld_reason", "routing"):
        assert internal not in signal_policy.fields(actor, signal)
    assert not signal_policy.can(actor, SignalAction.ENRICH, signal)
    assert not signal_policy.can(actor, Action.LIST)


def test_secondary_partner_never_sees_another_reporters_signal(signal, hotel_reporter):
    actor = actor_for(hotel_reporter)
    assert not signal_policy.visible_to(actor).exists()
    assert not signal_policy.can(actor, SignalAction.VIEW, signal)


@pytest.mark.parametrize("role", sorted(REPORTING_ROLES))
def test_reporting_roles_may_report(municipality, role):
    assert signal_policy.can(
        actor_for(user_with_role(role, municipality=municipality)), Action.CREATE
    )


@pytest.mark.parametrize(
    "role", [Role.BOARD_VIEWER, Role.FUNCTIONAL_ADMIN, Role.PRIVACY_OFFICER, Role.OVJ]
)
def test_roles_without_a_reporting_task_cannot_report(municipality, role):
    assert not signal_policy.can(
        actor_for(user_with_role(role, municipality=municipality)), Action.CREATE
    )


def test_anonymous_and_users_without_membership_are_denied_everything(signal):
    from .factories import UserFactory

    for user in (None, UserFactory()):
        actor = actor_for(user)
        assert not signal_policy.visible_to(actor).exists()
        for action in SignalAction:
            assert not signal_policy.can(actor, action, signal)
        for kind in Action:
            assert not signal_policy.can(actor, kind)


def test_an_ended_membership_grants_nothing(signal, af_oov):
    af_oov.memberships.update(is_active=False)
    af_oov.refresh_from_db()
    assert not signal_policy.visible_to(actor_for(af_oov)).exists()


def test_an_inactive_organisation_grants_nothing(signal, af_oov):
    af_oov.memberships.get().organisation.__class__.objects.update(is_active=False)
    af_oov.refresh_from_db()
    assert not signal_policy.visible_to(actor_for(af_oov)).exists()


def test_only_the_receiving_af_handles_a_signal_and_nobody_deletes_it(
    signal, af_oov, other_af_oov, municipal_reporter
):
    assert signal_policy.can(actor_for(af_oov), SignalAction.ENRICH, signal)
    assert not signal_policy.can(actor_for(other_af_oov), SignalAction.ENRICH, signal)
    assert not signal_policy.can(actor_for(municipal_reporter), SignalAction.ENRICH, signal)
    # Signals have no delete action at all: retention anonymises them.
    assert not any("delete" in action for action in SignalAction)
    for user in (af_oov, other_af_oov, municipal_reporter):
        assert not signal_policy.can(actor_for(user), Action.DELETE)

"""A user with two memberships acts for one at a time, chosen explicitly: nothing is guessed."""

import pytest
from django.urls import reverse

from schakel.audit.models import AuditEvent
from schakel.core.access import requires_second_factor
from schakel.core.policies import ACTING_MEMBERSHIP_SESSION_KEY, Action, actor_for
from schakel.intake.policies import signal_policy
from schakel.organisations.choices import Role

from .factories import MembershipFactory, OrganisationFactory, SignalFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_hats(municipality, other_municipality):
    """An AF OOV of Brakelveen who also reports as an employee of Wolderzijl."""
    user = user_with_role(Role.AF_OOV, municipality=municipality)
    reporter = MembershipFactory(
        user=user,
        role=Role.MUNICIPAL_REPORTER,
        organisation=OrganisationFactory(municipality=other_municipality, name="Burgerzaken W"),
    )
    return user, user.memberships.get(role=Role.AF_OOV), reporter


def test_without_a_choice_a_user_with_two_memberships_may_do_nothing(two_hats, municipality):
    user, _af, _reporter = two_hats
    actor = actor_for(user)
    assert actor.needs_choice and actor.grant is None
    assert not signal_policy.can(actor, Action.LIST)
    SignalFactory(municipality=municipality)
    assert not signal_policy.visible_to(actor).exists()


def test_the_chosen_membership_alone_decides_what_the_user_sees(two_hats, municipality):
    user, af, reporter = two_hats
    signal = SignalFactory(municipality=municipality)
    as_af = actor_for(user, af.pk)
    assert list(signal_policy.visible_to(as_af)) == [signal]
    as_reporter = actor_for(user, reporter.pk)
    assert not signal_policy.visible_to(as_reporter).exists()
    assert signal_policy.can(as_reporter, Action.CREATE)
    assert not signal_policy.can(as_reporter, Action.LIST)


def test_someone_elses_membership_cannot_be_chosen(two_hats, af_oov):
    user, _af, _reporter = two_hats
    foreign = af_oov.memberships.get()
    assert actor_for(user, foreign.pk).needs_choice


def test_a_governed_page_first_asks_which_role_and_then_acts_in_it(client, two_hats):
    user, af, reporter = two_hats
    client.force_login(user)
    response = client.get(reverse("intake:queue"))
    assert response.status_code == 302 and reverse("accounts:act_as") in response["Location"]
    page = client.get(reverse("accounts:act_as")).content.decode()
    assert "Burgerzaken W" in page
    client.post(reverse("accounts:act_as"), {"membership": af.pk, "next": "/signals/queue/"})
    assert client.session[ACTING_MEMBERSHIP_SESSION_KEY] == af.pk
    assert client.get(reverse("intake:queue")).status_code == 200
    client.post(reverse("accounts:act_as"), {"membership": reporter.pk})
    assert client.get(reverse("intake:queue")).status_code == 403


def test_choosing_a_membership_that_is_not_ones_own_is_refused(client, two_hats, af_oov):
    user, _af, _reporter = two_hats
    client.force_login(user)
    response = client.post(reverse("accounts:act_as"), {"membership": af_oov.memberships.get().pk})
    assert response.status_code == 400
    assert ACTING_MEMBERSHIP_SESSION_KEY not in client.session


def test_the_audit_log_records_the_membership_the_user_acted_in(client, two_hats, municipality):
    user, af, _reporter = two_hats
    SignalFactory(municipality=municipality)
    client.force_login(user)
    client.post(reverse("accounts:act_as"), {"membership": af.pk})
    client.get(reverse("intake:queue"))
    event = AuditEvent.objects.filter(user=user).last()
    assert event.roles == f"{af.organisation} ({Role.AF_OOV})"
    assert "Burgerzaken W" not in event.roles


def test_the_second_factor_follows_the_strongest_membership_whatever_the_user_acts_in(
    two_hats, second_factor_required
):
    user, _af, reporter = two_hats
    assert requires_second_factor(actor_for(user, reporter.pk))

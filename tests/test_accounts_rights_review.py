"""The yearly access-rights review: for the privacy officer and the functional administrator,
every active account with its memberships and the flags that need a look; reading it is audited."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from schakel.accounts.selectors import rights_review
from schakel.audit.models import AuditEvent
from schakel.organisations.choices import Role
from schakel.organisations.models import User

from .conftest import context_for
from .factories import MembershipFactory, OrganisationFactory, UserFactory, user_with_role

REVIEW = "/accounts/review/"


@pytest.fixture
def no_second_factor(settings):
    settings.SCHAKEL_REQUIRE_SECOND_FACTOR = False


@pytest.fixture
def privacy_officer(municipality):
    return user_with_role(Role.PRIVACY_OFFICER, municipality=municipality)


@pytest.fixture
def accounts(municipality, enrol_second_factor):
    """One account per flag, one without any, and one inactive account."""
    now = timezone.now()
    stale = user_with_role(Role.PARTNER_REPORTER, municipality=municipality)
    stale.last_login = now - timedelta(days=91)
    stale.save()

    never = user_with_role(Role.BOARD_VIEWER, municipality=municipality)
    User.objects.filter(pk=never.pk).update(date_joined=now - timedelta(days=200))

    unprotected = user_with_role(Role.AF_OOV, municipality=municipality)
    unprotected.last_login = now
    unprotected.save()

    protected = user_with_role(Role.AF_ZORG, municipality=municipality)
    protected.last_login = now - timedelta(days=89)
    protected.save()
    enrol_second_factor(protected)

    closed = OrganisationFactory(municipality=municipality, is_active=False)
    in_closed = user_with_role(Role.MUNICIPAL_REPORTER, organisation=closed)
    in_closed.last_login = now
    in_closed.save()

    gone = UserFactory(is_active=False)
    MembershipFactory(user=gone, role=Role.AF_OOV)
    return {
        "stale": stale,
        "never": never,
        "unprotected": unprotected,
        "protected": protected,
        "in_closed": in_closed,
        "gone": gone,
    }


@pytest.mark.django_db
def test_the_review_flags_what_needs_a_look(privacy_officer, accounts):
    reviews = {r.username: r for r in rights_review(context_for(privacy_officer))}
    assert accounts["gone"].username not in reviews

    flags = {
        key: (
            reviews[user.username].no_recent_login,
            reviews[user.username].second_factor_missing,
            reviews[user.username].inactive_organisation,
        )
        for key, user in accounts.items()
        if key != "gone"
    }
    assert flags == {
        "stale": (True, False, False),
        "never": (True, False, False),
        "unprotected": (False, True, False),
        "protected": (False, False, False),
        "in_closed": (False, False, True),
    }
    assert reviews[accounts["protected"].username].second_factor_enrolled
    membership = reviews[accounts["unprotected"].username].memberships[0]
    assert membership.role == Role.AF_OOV
    assert membership.since == accounts["unprotected"].memberships.get().created_at


@pytest.mark.django_db
def test_the_review_page_shows_the_flags(client, no_second_factor, privacy_officer, accounts):
    client.force_login(privacy_officer)
    response = client.get(REVIEW)
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("accounts:rights_review") == REVIEW

    def row(user):
        start = html.index(f'data-testid="review-{user.username}"')
        return html[start : html.index("</tr>", start)]

    assert 'data-testid="flag-no-recent-login"' in row(accounts["stale"])
    assert 'data-testid="flag-second-factor-missing"' in row(accounts["unprotected"])
    assert 'data-testid="flag-inactive-organisation"' in row(accounts["in_closed"])
    assert 'data-testid="flag-' not in row(accounts["protected"])
    assert 'data-enrolled="true"' in row(accounts["protected"])
    assert f'data-testid="review-{accounts["gone"].username}"' not in html


@pytest.mark.django_db
def test_reading_the_review_is_audited(client, no_second_factor, privacy_officer, accounts):
    client.force_login(privacy_officer)
    client.get(REVIEW)
    event = AuditEvent.objects.get(user=privacy_officer, purpose="rights review")
    assert event.action == "list"
    assert event.object_type == "organisations.User"
    assert str(accounts["stale"].pk) in event.object_ids
    assert str(accounts["gone"].pk) not in event.object_ids
    assert "memberships" in event.fields


@pytest.mark.django_db
def test_the_review_exports_as_csv(client, no_second_factor, municipality, accounts):
    administrator = user_with_role(Role.FUNCTIONAL_ADMIN, municipality=municipality)
    User.objects.filter(pk=accounts["stale"].pk).update(first_name="=HYPERLINK(1)")
    client.force_login(administrator)
    response = client.get(reverse("accounts:rights_review_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_user = {row["username"]: row for row in rows}
    assert by_user[accounts["unprotected"].username]["flag_second_factor_missing"] == "True"
    assert by_user[accounts["unprotected"].username]["role"] == Role.AF_OOV
    assert by_user[accounts["stale"].username]["name"].startswith("'=")
    assert AuditEvent.objects.filter(
        user=administrator, action="export", purpose="rights review"
    ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role",
    [r for r in Role if r not in (Role.PRIVACY_OFFICER, Role.FUNCTIONAL_ADMIN)],
)
def test_no_other_role_opens_the_review(client, no_second_factor, municipality, role):
    client.force_login(user_with_role(role, municipality=municipality))
    assert client.get(REVIEW).status_code == 403
    assert client.get(reverse("accounts:rights_review_export")).status_code == 403


@pytest.mark.django_db
def test_the_review_needs_a_verified_second_factor(client, second_factor_required, privacy_officer):
    client.force_login(privacy_officer)
    response = client.get(REVIEW)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:enrol"))


@pytest.mark.django_db
def test_the_menu_offers_the_review_to_reviewers_only(
    client, no_second_factor, privacy_officer, af_oov
):
    client.force_login(privacy_officer)
    assert REVIEW in client.get(reverse("home")).content.decode()
    client.force_login(af_oov)
    assert REVIEW not in client.get(reverse("home")).content.decode()

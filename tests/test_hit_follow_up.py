"""After a hit or a no-hit: one task per person however often a hit is confirmed, the
registering organisation told, an own reference on a lookup, "register this person" after a
no-hit without typing it again, and no registration ended without a confirmation."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from schakel.matching import services
from schakel.matching.choices import TaskStatus
from schakel.matching.models import HitTask, Involvement, Lookup
from schakel.matching.selectors import my_hit_tasks
from schakel.organisations.choices import Role

from .conftest import context_for
from .factories import OrganisationFactory, user_with_role
from .test_matching import DOB, lookup, register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def police_org():
    return OrganisationFactory(name="Politie Noord")


def with_mail(user, address):
    user.email = address
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def police(police_org):
    return with_mail(user_with_role(Role.AVIM, police_org), "avim@politie.example")


@pytest.fixture
def police_colleague(police_org):
    return with_mail(user_with_role(Role.AVIM, police_org), "collega@politie.example")


@pytest.fixture
def care():
    care_org = OrganisationFactory(name="Zorgcoördinatie West")
    return with_mail(user_with_role(Role.ZORGCOORDINATOR, care_org), "zorg@zorg.example")


def org_of(user):
    return user.memberships.get().organisation.pk


def confirm_a_new_hit(seeker, **extra):
    result = lookup(seeker, **extra)
    return services.hit_decide(context=context_for(seeker), hit=result.hits[0], confirm=True)


# --- One task per person -------------------------------------------------------------------


def test_a_person_confirmed_twice_gives_each_side_one_task_pointing_at_the_latest_hit(police, care):
    register(police)
    first = confirm_a_new_hit(care)
    task = HitTask.objects.get(organisation=police.memberships.get().organisation)
    services.hit_task_update(context=context_for(police), task=task, status=TaskStatus.COORDINATED)
    second = confirm_a_new_hit(care)
    assert HitTask.objects.count() == 2  # one for the seeker, one for the holder
    assert set(HitTask.objects.values_list("hit", flat=True)) == {second.pk}
    # Confirmed again, the holder's task is open again: there is something new to follow up.
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and first.pk != second.pk


def test_two_persons_or_two_seekers_are_two_tasks(police, care):
    register(police)
    register(police, given="Ana", surname="Popescu", dob=DOB.replace(year=1985))
    other_seeker = user_with_role(Role.VEILIG_THUIS, OrganisationFactory(name="Veilig Thuis"))
    confirm_a_new_hit(care)
    confirm_a_new_hit(care, given="Ana", surname="Popescu", dob=DOB.replace(year=1985))
    confirm_a_new_hit(other_seeker)
    holder = police.memberships.get().organisation
    assert HitTask.objects.filter(organisation=holder).count() == 3


def test_the_database_refuses_a_second_task_for_the_same_person_and_pair(police, care):
    from django.db import IntegrityError, transaction

    register(police)
    confirm_a_new_hit(care)
    task = HitTask.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        HitTask.objects.create(
            hit=lookup(care).hits[0],
            involvement=task.involvement,
            organisation=task.organisation,
            counterpart=task.counterpart,
            side=task.side,
        )


# --- The registering organisation is told --------------------------------------------------


def test_a_confirmed_hit_mails_the_registering_organisation_without_personal_data(
    police, police_colleague, care, django_capture_on_commit_callbacks
):
    register(police)
    with django_capture_on_commit_callbacks(execute=True):
        confirm_a_new_hit(care)
    told = {address for message in mail.outbox for address in message.to}
    assert told == {"avim@politie.example", "collega@politie.example"}
    for message in mail.outbox:
        text = (message.subject + message.body).casefold()
        assert "olena" not in text and "shevchenko" not in text and "1990" not in text
        assert "zorgcoördinatie" not in text  # who looked is shown after login, not in a mailbox


def test_a_dismissed_hit_tells_nobody(police, care, django_capture_on_commit_callbacks):
    register(police)
    result = lookup(care)
    with django_capture_on_commit_callbacks(execute=True):
        services.hit_decide(context=context_for(care), hit=result.hits[0], confirm=False)
    assert mail.outbox == []


# --- Own reference ---------------------------------------------------------------------------


@pytest.mark.parametrize("reference", ["ZK-2026-0042", "VT/2026/118", "dossier.17", "１２３４５"])
def test_an_own_reference_is_kept_with_the_lookup_and_shown_in_my_hits(police, care, reference):
    register(police)
    result = lookup(care, reference=reference)
    stored = Lookup.objects.get(pk=result.lookup.pk).reference
    assert stored == services.own_reference(reference)
    services.hit_decide(context=context_for(care), hit=result.hits[0], confirm=True)
    (row,) = my_hit_tasks(context_for(care)).items
    assert row.reference == stored


@pytest.mark.parametrize(
    "reference",
    ["Jan Jansen", "SHEVCHENKO", "Olena\u200bShevchenko", "ZK 2026 42", "a" * 60, "<b>12</b>"],
)
def test_a_reference_that_could_be_a_name_is_refused_before_anything_is_stored(care, reference):
    with pytest.raises(ValidationError):
        lookup(care, reference=reference)
    assert not Lookup.objects.exists()


def test_the_registration_form_refuses_a_name_as_reference_in_dutch(client, police):
    client.force_login(police)
    response = client.post(
        reverse("matching:register"),
        {
            "organisation": org_of(police),
            "given_names": "Olena",
            "surname": "Shevchenko",
            "contact_person": "Anna de Vries",
            "reference": "Olena Shevchenko",
        },
    )
    assert response.status_code == 200
    assert "nooit een naam" in response.content.decode()
    assert not Involvement.objects.exists()


# --- Register this person after a no-hit ---------------------------------------------------


def test_after_a_no_hit_the_registration_form_holds_the_person_without_it_in_the_url(
    client, police
):
    client.force_login(police)
    response = client.post(
        reverse("matching:lookup"),
        {
            "organisation": org_of(police),
            "given_names": "Olena",
            "surname": "Shevchenko",
            "date_of_birth": "1990-05-12",
        },
    )
    result_url = response["Location"]
    assert "Olena" not in result_url and "Shevchenko" not in result_url
    page = client.get(result_url).content.decode()
    link = page.split('data-testid="register-after-no-hit"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert "Olena" not in link and "1990" not in link
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert 'value="Olena"' in form and 'value="Shevchenko"' in form
    assert 'data-testid="carried-over"' in form
    # Stored encrypted: the session row holds no name.
    from django.contrib.sessions.models import Session

    assert all("Shevchenko" not in s.session_data for s in Session.objects.all())
    assert "Shevchenko" not in str(client.session.get("matching-no-hit"))
    client.post(
        link.replace("&amp;", "&"),
        {
            "organisation": org_of(police),
            "given_names": "Olena",
            "surname": "Shevchenko",
            "date_of_birth": "1990-05-12",
            "contact_person": "Anna de Vries",
        },
    )
    assert Involvement.objects.count() == 1
    assert "matching-no-hit" not in client.session  # used once, then gone


def test_the_carried_over_person_is_only_for_its_own_lookup_and_only_for_half_an_hour(
    client, police, monkeypatch
):
    client.force_login(police)
    client.post(
        reverse("matching:lookup"),
        {"organisation": org_of(police), "given_names": "Olena", "surname": "Shevchenko"},
    )
    other = reverse("matching:register") + "?na=00000000-0000-0000-0000-000000000000"
    assert 'value="Olena"' not in client.get(other).content.decode()
    token = client.session["matching-no-hit"]["token"]
    import time

    later = time.time() + 31 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    page = client.get(reverse("matching:register") + f"?na={token}").content.decode()
    assert 'value="Olena"' not in page


def test_after_a_hit_there_is_no_register_button(client, police, care):
    register(police)
    client.force_login(care)
    response = client.post(
        reverse("matching:lookup"),
        {
            "organisation": org_of(care),
            "given_names": "Olena",
            "surname": "Shevchenko",
            "date_of_birth": "1990-05-12",
        },
    )
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="register-after-no-hit"' not in page


# --- Ending a registration asks first ------------------------------------------------------


def test_the_service_refuses_to_end_a_registration_without_confirmation(police):
    involvement = register(police)
    with pytest.raises(ValidationError):
        services.involvement_end(
            context=context_for(police), involvement=involvement, confirmed=False
        )
    involvement.refresh_from_db()
    assert involvement.ended_at is None
    services.involvement_end(context=context_for(police), involvement=involvement, confirmed=True)
    involvement.refresh_from_db()
    assert involvement.ended_at is not None
    with pytest.raises(ValidationError):
        services.involvement_end(
            context=context_for(police), involvement=involvement, confirmed=True
        )


def test_another_organisation_cannot_end_a_registration(police, care):
    involvement = register(police)
    with pytest.raises(PermissionDenied):
        services.involvement_end(context=context_for(care), involvement=involvement, confirmed=True)


def test_the_end_page_says_what_ending_means_and_ends_only_when_ticked(client, police):
    involvement = register(police)
    client.force_login(police)
    url = reverse("matching:end", args=[involvement.pk])
    page = client.get(url).content.decode()
    assert "niet meer" in page and 'name="confirmed"' in page
    refused = client.post(url, {})
    assert refused.status_code == 200 and "error-summary" in refused.content.decode()
    involvement.refresh_from_db()
    assert involvement.ended_at is None
    assert client.post(url, {"confirmed": "on"}).status_code == 302
    involvement.refresh_from_db()
    assert involvement.ended_at is not None


def test_the_hit_lists_page_on_the_server(client, police, settings):
    from schakel.core import pagination

    for n in range(3):
        services.involvement_register(
            context=context_for(police),
            person=services.Person(f"Persoon{n}", "Testmans", DOB),
            contact_person="Anna de Vries",
        )
    client.force_login(police)
    original = pagination.PAGE_SIZE
    try:
        pagination.paginate.__kwdefaults__["page_size"] = 2
        first = client.get(reverse("matching:registrations")).content.decode()
        second = client.get(reverse("matching:registrations") + "?pagina=2").content.decode()
    finally:
        pagination.paginate.__kwdefaults__["page_size"] = original
    assert first.count('data-testid="end-registration"') == 2
    assert second.count('data-testid="end-registration"') == 1
    assert 'rel="next"' in first

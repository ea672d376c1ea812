import uuid

import factory
from django.utils import timezone

from schakel.catalogue.models import ExploitationForm
from schakel.intake.choices import EntryPoint
from schakel.intake.models import Signal
from schakel.intake.services import index_address
from schakel.organisations.choices import OrganisationKind, Ring, Role, SubNetwork
from schakel.organisations.models import Membership, Municipality, Organisation, Region, User


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Regio {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    cbs_code = factory.Sequence(lambda n: f"GM{n:04d}")
    region = factory.SubFactory(RegionFactory)
    reporting_point_name = factory.LazyAttribute(lambda m: f"Meldpunt {m.name}")
    reporting_point_phone = "012 345 6789"
    reporting_point_email = factory.LazyAttribute(lambda m: f"meldpunt@{m.cbs_code}.example")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = OrganisationKind.MUNICIPALITY
    municipality = factory.SubFactory(MunicipalityFactory)
    region = factory.LazyAttribute(lambda o: o.municipality.region if o.municipality else None)
    sub_network = SubNetwork.PERPETRATOR
    ring = Ring.FIRST

    class Params:
        regional = factory.Trait(
            municipality=None,
            region=factory.SubFactory(RegionFactory),
            kind=OrganisationKind.POLICE,
        )
        secondary = factory.Trait(
            kind=OrganisationKind.HOTEL, sub_network=SubNetwork.SIGNALLERS, ring=Ring.SECOND
        )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Persoon {n}")
    password = factory.PostGenerationMethodCall("set_password", "secret-password-1")

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.MUNICIPAL_REPORTER


def user_with_role(role: str, organisation: Organisation | None = None, **org_kwargs) -> User:
    """A user holding one role in an organisation (a new one unless given)."""
    organisation = organisation or OrganisationFactory(**org_kwargs)
    return MembershipFactory(role=role, organisation=organisation).user


class SignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signal
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"MH-2026-T{n:05d}")
    municipality = factory.SubFactory(MunicipalityFactory)
    entry_point = EntryPoint.MUNICIPALITY
    reporter = factory.SubFactory(UserFactory)
    description = "Vier mannen met één begeleider die alle paspoorten vasthield."
    place = "Wijk De Heikant"
    observed_on = factory.LazyFunction(timezone.localdate)
    reported_at = factory.LazyFunction(timezone.now)
    submission_token = factory.LazyFunction(uuid.uuid4)

    @factory.post_generation
    def forms(self, create, extracted, **kwargs):
        if create:
            self.exploitation_forms.set(
                ExploitationForm.objects.filter(code__in=extracted or ["labour"])
            )

    @factory.post_generation
    def address(self, create, extracted, **kwargs):
        """Indexed as the services index a stored signal's place."""
        if create:
            index_address(self)


def case_meeting(*, organiser: User, invited, present=(), cases=(), **fields):
    """A case meeting (VCO) of the organiser's municipality, held now unless `fields` say
    otherwise, with the organisations invited, the users recorded present (each in their one
    membership) and the cases on its agenda."""
    from schakel.meetings.choices import MeetingStatus
    from schakel.meetings.models import AgendaItem, Attendance, Meeting
    from schakel.organisations.choices import MeetingType

    membership = organiser.memberships.get()
    values = {
        "municipality": membership.organisation.municipality,
        "meeting_type": MeetingType.CASE_MEETING,
        "scheduled_for": timezone.now(),
        "status": MeetingStatus.HELD,
        "created_by": organiser,
        **fields,
    }
    meeting = Meeting.objects.create(**values)
    meeting.invited.set({membership.organisation, *invited})
    for user in present:
        Attendance.objects.create(
            meeting=meeting, membership=user.memberships.get(), recorded_by=organiser
        )
    for position, case in enumerate(cases, start=1):
        AgendaItem.objects.create(meeting=meeting, position=position, case=case)
    return meeting

"""Factories of the partner network (network/)."""

from datetime import date

from schakel.network.models import PartnerProfile, TrainingAttendance, TrainingSession
from schakel.organisations.choices import OrganisationKind, Ring, SubNetwork

from .factories import OrganisationFactory, UserFactory


def hotel(municipality, *, staff=None, name=None):
    organisation = OrganisationFactory(
        municipality=municipality,
        kind=OrganisationKind.HOTEL,
        sub_network=SubNetwork.SIGNALLERS,
        ring=Ring.SECOND,
        **({"name": name} if name else {}),
    )
    PartnerProfile.objects.create(organisation=organisation, staff_count=staff)
    return organisation


def session(municipality, held_on: date, attendances=(), **fields):
    """A training held in the municipality with (organisation, participants) attending."""
    values = {
        "title": "Signalen herkennen",
        "audience": "sector_staff",
        "sector": "hospitality",
        "trainer_name": "Trainer",
        "recorded_by": UserFactory(),
        **fields,
    }
    made = TrainingSession.objects.create(municipality=municipality, held_on=held_on, **values)
    for organisation, participants in attendances:
        TrainingAttendance.objects.create(
            session=made, organisation=organisation, participants=participants
        )
    return made

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


def matrix_network_object(kind, municipality):
    """For the authorization matrix: an organisation or a care offer of the municipality's
    region (None: of a municipality in a region of its own), made once and found again."""
    from schakel.network.models import CareOffer
    from schakel.organisations.models import Municipality, Organisation

    from .factories import MunicipalityFactory

    if municipality is None:
        municipality = Municipality.objects.filter(
            name="Elders (matrix)"
        ).first() or MunicipalityFactory(name="Elders (matrix)")
    organisation = Organisation.objects.filter(
        region=municipality.region, name="Partner (matrix)"
    ).first() or OrganisationFactory(name="Partner (matrix)", municipality=municipality)
    if kind == "organisation":
        return organisation.pk
    offer = CareOffer.objects.filter(
        region=municipality.region
    ).first() or CareOffer.objects.create(
        region=municipality.region, title="Opvang (matrix)", domain="shelter", provider=organisation
    )
    return offer.pk


def matrix_session(municipality, *, other, other_municipality):
    """A training of the own (or the other) municipality, made once."""
    where = other_municipality if other else municipality
    found = TrainingSession.objects.filter(municipality=where).first()
    return (found or session(where, date(2025, 5, 1))).pk


def post_world_network(own, other, partner):
    """For the POST matrix: per scope the organisation whose profile is edited, the training
    and the care offer; "other" is the other municipality's training (same region) and an
    organisation and an offer of a region of their own."""
    from schakel.network.models import CareOffer

    from .factories import MunicipalityFactory

    elsewhere = MunicipalityFactory(name="Elders (posts)")
    far = OrganisationFactory(name="Partner elders", municipality=elsewhere)
    offers = {
        scope: CareOffer.objects.create(
            region=where.region, title="Opvang", domain="shelter", provider_name="Opvang"
        )
        for scope, where in (("own", own), ("other", elsewhere))
    }
    return {
        "own": {
            "organisation": partner,
            "session": session(own, date(2025, 5, 1), [(partner, 3)]),
            "offer": offers["own"],
        },
        "other": {
            "organisation": far,
            "session": session(other, date(2025, 5, 1), [(partner, 3)]),
            "offer": offers["other"],
        },
    }

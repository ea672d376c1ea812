"""A small fictional network the safeguard tests share: one municipality of a region with its
netwerkregisseur, the care side (zorgcoördinator, Veilig Thuis), the perpetrator side (AVIM,
labour inspectorate, public prosecutor), a care partner, a school and the privacy officer; a
covenant for case meetings between the first-ring partners, and a routed signal with a victim
and a suspect. Every user has an e-mail address, so notifications can be checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from schakel.cases import services as case_services
from schakel.cases.choices import LegalBasis
from schakel.cases.models import Case
from schakel.core.context import AccessContext
from schakel.core.crypto import blind_index
from schakel.core.policies import actor_for
from schakel.intake.choices import Routing, SignalStatus
from schakel.intake.models import Signal, SignalPerson
from schakel.meetings.models import Meeting
from schakel.organisations.choices import MeetingType, OrganisationKind, Role
from schakel.organisations.models import Municipality, Organisation, User
from schakel.organisations.services import covenant_ensure

from .factories import MunicipalityFactory, OrganisationFactory, SignalFactory, user_with_role

VICTIM, SUSPECT = "Ilona Varga-Dekker", "Bastiaan Kroezen"

# key: (role, organisation key, organisation kind, party to the covenant)
PEOPLE = {
    "af": (Role.AF_OOV, "municipality", OrganisationKind.MUNICIPALITY, True),
    "zc": (Role.ZORGCOORDINATOR, "zc", OrganisationKind.CARE_COORDINATION, True),
    "vt": (Role.VEILIG_THUIS, "vt", OrganisationKind.VEILIG_THUIS, True),
    "avim": (Role.AVIM, "avim", OrganisationKind.POLICE, True),
    "iszw": (Role.ISZW, "iszw", OrganisationKind.LABOUR_INSPECTORATE, True),
    "ovj": (Role.OVJ, "ovj", OrganisationKind.PROSECUTION, False),
    "care": (Role.AF_ZORG, "care", OrganisationKind.CARE_PROVIDER, False),
    "school": (Role.PARTNER_REPORTER, "school", OrganisationKind.SCHOOL, False),
    "privacy": (Role.PRIVACY_OFFICER, "municipality", OrganisationKind.MUNICIPALITY, False),
    "reporter": (Role.MUNICIPAL_REPORTER, "municipality", OrganisationKind.MUNICIPALITY, False),
    "th": (Role.TOEZICHT_HANDHAVING, "enforcement", OrganisationKind.MUNICIPALITY, False),
    "basisteam": (Role.BASISTEAM, "basisteam", OrganisationKind.POLICE, False),
    "board": (Role.BOARD_VIEWER, "municipality", OrganisationKind.MUNICIPALITY, False),
    "admin": (Role.FUNCTIONAL_ADMIN, "municipality", OrganisationKind.MUNICIPALITY, False),
}


@dataclass
class World:
    municipality: Municipality
    other_municipality: Municipality
    orgs: dict[str, Organisation]
    users: dict[str, User]
    signal: Signal
    other_af: User
    cases: list[Case] = field(default_factory=list)

    def context(self, key: str) -> AccessContext:
        user = self.users.get(key, self.other_af)
        return AccessContext(actor=actor_for(user), access_point="test")

    def open_case(self, *, share=("zc", "avim"), basis=LegalBasis.COVENANT) -> Case:
        """A case from the routed signal, shared with `share` on `basis`."""
        case = case_services.case_open(context=self.context("af"), signals=[self.signal])
        for key in share:
            case_services.case_add_participant(
                context=self.context("af"),
                case=case,
                organisation=self.orgs[key],
                legal_basis=basis,
                justification="Besproken in het casusoverleg",
            )
        self.cases.append(case)
        return case

    def case_meeting(self, *, present=("af", "zc"), invited=None, cases=(), **fields) -> Meeting:
        from .factories import case_meeting

        keys = invited if invited is not None else ("zc", "vt", "avim", "iszw", "school")
        return case_meeting(
            organiser=self.users["af"],
            invited=[self.orgs[k] for k in keys],
            present=[self.users[k] for k in present],
            cases=cases,
            **fields,
        )


def build_world() -> World:
    municipality = MunicipalityFactory(name="Brakelveen")
    other = MunicipalityFactory(name="Wolderzijl", region=municipality.region)
    region = municipality.region
    orgs: dict[str, Organisation] = {}
    users: dict[str, User] = {}
    for key, (role, org_key, kind, _party) in PEOPLE.items():
        if org_key not in orgs:
            local = kind in (OrganisationKind.MUNICIPALITY, OrganisationKind.SCHOOL) or (
                org_key == "basisteam"
            )
            orgs[org_key] = OrganisationFactory(
                name=f"Org {org_key}",
                kind=kind,
                region=region,
                municipality=municipality if local else None,
            )
        user = user_with_role(role, organisation=orgs[org_key])
        user.email = f"{key}@example.test"
        user.first_name, user.last_name = key.upper(), "Test"
        user.save()
        users[key] = user
    covenant_ensure(
        name="Convenant slachtoffers mensenhandel",
        region=region,
        legal_basis="art. 4",
        valid_from=date(2024, 1, 1),
        parties=[orgs[PEOPLE[k][1]] for k, spec in PEOPLE.items() if spec[3]],
        meeting_types=[MeetingType.CASE_MEETING],
    )
    signal = SignalFactory(
        municipality=municipality,
        status=SignalStatus.ROUTED,
        routing=Routing.CASE_MEETING,
        routed_at=timezone.now(),
        reporter=users["reporter"],
        reporter_organisation=orgs["municipality"],
    )
    for role, name in (("victim", VICTIM), ("perpetrator", SUSPECT)):
        SignalPerson.objects.create(
            signal=signal,
            role=role,
            name=name,
            name_index=blind_index(name, purpose="person-name"),
        )
    other_af = user_with_role(Role.AF_OOV, municipality=other)
    return World(municipality, other, orgs, users, signal, other_af)

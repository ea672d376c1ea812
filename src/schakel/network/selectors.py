"""Every read of the partner network, filtered by its policy for the acting user."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from schakel.catalogue.choices import ExploitationFormCode
from schakel.core.context import AccessContext
from schakel.core.policies import NotFound
from schakel.organisations.choices import OrganisationKind, SubNetwork
from schakel.organisations.models import Municipality, Organisation
from schakel.organisations.selectors import covenants_signed, municipalities_of_region

from . import certification as rules
from .care_map import CARE_FORMS, Combination, Coverage, gaps
from .choices import AgeGroup, CareDomain, Origin
from .models import (
    DEFAULT_REPEAT_MONTHS,
    CareOffer,
    PartnerProfile,
    TrainingAttendance,
    TrainingSession,
    TrainingSetting,
)
from .policies import care_map_policy, directory_policy, region_of, training_policy

# --- The directory ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryRow:
    organisation: Organisation
    profile: PartnerProfile | None
    covenants: list[tuple[str, date | None]]


def _profile(organisation: Organisation) -> PartnerProfile | None:
    try:
        return organisation.profile
    except PartnerProfile.DoesNotExist:
        return None


def _rows(organisations: QuerySet[Organisation]) -> list[DirectoryRow]:
    found = list(organisations.select_related("profile", "municipality"))
    signed = covenants_signed(organisation_ids=[o.pk for o in found], on=timezone.localdate())
    return [DirectoryRow(o, _profile(o), signed.get(o.pk, [])) for o in found]


def directory_for(
    context: AccessContext,
    *,
    search: str = "",
    sub_network: str = "",
    ring: str = "",
    kind: str = "",
    municipality_id: int | None = None,
) -> list[DirectoryRow]:
    """The organisations of the reader's region, found by name, what they do or whom to call."""
    organisations = directory_policy.organisations_visible(context.actor)
    if search:
        organisations = organisations.filter(
            Q(name__icontains=search)
            | Q(profile__role_in_approach__icontains=search)
            | Q(profile__contact_name__icontains=search)
            | Q(profile__contact_email__icontains=search)
            | Q(profile__af_name__icontains=search)
        )
    if sub_network:
        organisations = organisations.filter(sub_network=sub_network)
    if ring:
        organisations = organisations.filter(ring=ring)
    if kind:
        organisations = organisations.filter(kind=kind)
    if municipality_id is not None:
        organisations = organisations.filter(
            Q(municipality_id=municipality_id) | Q(municipality__isnull=True)
        )
    return _rows(organisations.order_by("name"))


def directory_entry(context: AccessContext, pk: int) -> DirectoryRow:
    rows = _rows(directory_policy.organisations_visible(context.actor).filter(pk=pk))
    if not rows:
        raise NotFound
    return rows[0]


def region_municipalities(context: AccessContext) -> list[Municipality]:
    region = region_of(context.actor)
    return list(municipalities_of_region(region)) if region is not None else []


@dataclass(frozen=True)
class SubNetworkGroup:
    key: str
    label: str
    rows: list[DirectoryRow]


def who_does_what(context: AccessContext, *, municipality_id: int | None) -> list[SubNetworkGroup]:
    """The study's Tabel 6 for a municipality: per sub-network, each organisation working for
    it (its own and the region's), with its ring and what it does."""
    rows = directory_for(context, municipality_id=municipality_id)
    return [
        SubNetworkGroup(
            str(value), str(label), [r for r in rows if r.organisation.sub_network == value]
        )
        for value, label in SubNetwork.choices
        if any(r.organisation.sub_network == value for r in rows)
    ]


# --- Trainings --------------------------------------------------------------------------------


def repeat_months(municipality_id: int) -> int:
    found = (
        TrainingSetting.objects.filter(municipality_id=municipality_id)
        .values_list("repeat_after_months", flat=True)
        .first()
    )
    return found or DEFAULT_REPEAT_MONTHS


def training_sessions_for(context: AccessContext) -> QuerySet[TrainingSession]:
    return (
        training_policy.visible_to(context.actor)
        .select_related("trainer_organisation")
        .annotate(participants=Sum("attendances__participants"), organisations=Count("attendances"))
        .order_by("-held_on", "-pk")
    )


def training_session_get_for(context: AccessContext, pk: int) -> TrainingSession:
    try:
        return (
            training_policy.visible_to(context.actor)
            .prefetch_related(
                Prefetch(
                    "attendances",
                    queryset=TrainingAttendance.objects.select_related("organisation"),
                )
            )
            .get(pk=pk)
        )
    except TrainingSession.DoesNotExist:
        raise NotFound from None


def training_choices(context: AccessContext) -> QuerySet[Organisation]:
    """The organisations that can attend or give a training recorded by the keeper: those of
    the municipality's region."""
    municipality_id = training_policy.keeping_municipality(context.actor)
    if municipality_id is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        region__municipalities=municipality_id, is_active=True
    ).order_by("name")


@dataclass(frozen=True)
class OrganisationStatus:
    organisation: Organisation
    profile: PartnerProfile | None
    state: rules.TrainingState
    certification: rules.Certification | None  # hotels and holiday parks
    framework: rules.QualityFramework | None  # subsidised care partners


@dataclass(frozen=True)
class TrainingStatus:
    municipality: Municipality
    months: int
    today: date
    rows: list[OrganisationStatus]
    can_keep: bool

    @property
    def hotels(self) -> list[OrganisationStatus]:
        return [r for r in self.rows if r.certification is not None]

    @property
    def subsidised(self) -> list[OrganisationStatus]:
        return [r for r in self.rows if r.framework is not None]


def training_status(context: AccessContext, *, today: date | None = None) -> TrainingStatus:
    """Per organisation of the municipality (and of its region), whether it is trained and when a
    repeat is due; the certification of its hotels and holiday parks; the quality framework of
    its subsidised care partners. For the keepers of trainings and the board."""
    municipality_id = training_policy.reading_municipality(context.actor)
    if municipality_id is None:
        raise NotFound
    today = today or timezone.localdate()
    municipality = Municipality.objects.get(pk=municipality_id)
    return status_of(
        municipality,
        today=today,
        can_keep=training_policy.keeping_municipality(context.actor) == municipality_id,
    )


def status_of(municipality: Municipality, *, today: date, can_keep: bool = False) -> TrainingStatus:
    months = repeat_months(municipality.pk)
    organisations = list(
        Organisation.objects.filter(region_id=municipality.region_id, is_active=True)
        .filter(Q(municipality=municipality) | Q(municipality__isnull=True))
        .select_related("profile")
        .order_by("name")
    )
    held: dict[int, list[tuple[date, int]]] = {}
    for organisation_id, day, n in TrainingAttendance.objects.filter(
        organisation__in=[o.pk for o in organisations], session__held_on__lte=today
    ).values_list("organisation_id", "session__held_on", "participants"):
        held.setdefault(organisation_id, []).append((day, n))
    rows = []
    for organisation in organisations:
        profile = _profile(organisation)
        attended = held.get(organisation.pk, [])
        state = rules.training_state([d for d, _ in attended], months, today)
        certification = (
            rules.certification(attended, profile.staff_count if profile else None, months, today)
            if organisation.kind == OrganisationKind.HOTEL
            else None
        )
        framework = (
            rules.QualityFramework(
                basic_training=state.trained,
                own_af=profile.has_own_af,
                expertgroep=profile.expertgroep_member,
            )
            if profile is not None and profile.is_subsidised
            else None
        )
        rows.append(OrganisationStatus(organisation, profile, state, certification, framework))
    return TrainingStatus(municipality, months, today, rows, can_keep)


@dataclass(frozen=True)
class TrainingSummary:
    """The trainings of a municipality in a stretch of time: evidence for the self-assessment."""

    sessions: int
    participants: int
    organisations: int
    route_presented: int
    last_held_on: date | None


def training_summary(*, municipality_id: int, since: date, until: date) -> TrainingSummary:
    """Trainings held from `since` up to and including `until`. Counts only: the caller decides
    who reads them."""
    sessions = TrainingSession.objects.filter(
        municipality_id=municipality_id, held_on__gte=since, held_on__lte=until
    )
    found = sessions.aggregate(
        n=Count("pk"),
        presented=Count("pk", filter=Q(reporting_route_presented=True)),
        last=Max("held_on"),
    )
    attended = TrainingAttendance.objects.filter(session__in=sessions).aggregate(
        people=Sum("participants"), organisations=Count("organisation", distinct=True)
    )
    return TrainingSummary(
        sessions=found["n"],
        participants=attended["people"] or 0,
        organisations=attended["organisations"],
        route_presented=found["presented"],
        last_held_on=found["last"],
    )


# --- The care map -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GapCell:
    origin: str
    offers: int  # active offers covering the combination

    @property
    def is_gap(self) -> bool:
        return self.offers == 0


@dataclass(frozen=True)
class GapRow:
    form: str
    form_label: str
    age: str
    age_label: str
    cells: list[GapCell]


@dataclass(frozen=True)
class DomainMap:
    domain: str
    label: str
    offers: list[CareOffer]
    rows: list[GapRow]
    gap_count: int


@dataclass(frozen=True)
class CareMap:
    domains: list[DomainMap]
    gaps: list[Combination] = field(default_factory=list)
    inactive: list[CareOffer] = field(default_factory=list)
    can_keep: bool = False


def coverage_of(offer: CareOffer) -> Coverage:
    ages = {AgeGroup.ADULT: offer.for_adults, AgeGroup.MINOR: offer.for_minors}
    origins = {
        Origin.DUTCH: offer.for_dutch,
        Origin.EU: offer.for_eu,
        Origin.NON_EU: offer.for_non_eu,
    }
    return Coverage(
        domain=offer.domain,
        ages=frozenset(str(k) for k, v in ages.items() if v),
        origins=frozenset(str(k) for k, v in origins.items() if v),
        forms=frozenset(f.code for f in offer.exploitation_forms.all()),
    )


def care_offers_for(context: AccessContext) -> QuerySet[CareOffer]:
    return (
        care_map_policy.visible_to(context.actor)
        .select_related("provider")
        .prefetch_related("exploitation_forms")
        .order_by("domain", "title")
    )


def care_offer_get_for(context: AccessContext, pk: int) -> CareOffer:
    try:
        return care_offers_for(context).get(pk=pk)
    except CareOffer.DoesNotExist:
        raise NotFound from None


def care_map_for(context: AccessContext) -> CareMap:
    """The region's offers per domain, and per domain the matrix of age group and form of
    exploitation against origin, each cell the number of active offers covering it (0: a gap)."""
    offers = list(care_offers_for(context))
    active = [o for o in offers if o.is_active]
    coverages = [(o, coverage_of(o)) for o in active]
    form_labels = dict(ExploitationFormCode.choices)
    domains = []
    for domain, label in CareDomain.choices:
        in_domain = [(o, c) for o, c in coverages if c.domain == domain]
        rows = []
        for form in CARE_FORMS:
            for age, age_label in AgeGroup.choices:
                cells = [
                    GapCell(
                        origin,
                        sum(
                            1
                            for _, c in in_domain
                            if c.covers(Combination(domain, age, origin, form))
                        ),
                    )
                    for origin in Origin.values
                ]
                rows.append(GapRow(form, str(form_labels[form]), age, str(age_label), cells))
        domains.append(
            DomainMap(
                str(domain),
                str(label),
                [o for o, _ in in_domain],
                rows,
                sum(1 for r in rows for c in r.cells if c.is_gap),
            )
        )
    return CareMap(
        domains=domains,
        gaps=gaps(c for _, c in coverages),
        inactive=[o for o in offers if not o.is_active],
        can_keep=care_map_policy.keeps(context.actor),
    )


def care_providers(context: AccessContext) -> QuerySet[Organisation]:
    region = region_of(context.actor)
    if region is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(region_id=region, is_active=True).order_by("name")

"""A fictional region with a history, generated at scale (`manage.py generate_dataset`), and a
year of history for one existing municipality (the demo's Brakelveen, `history_into`).

Everything is invented: names come from small pools of made-up words, places are "Straat 12".
Rows are written with `bulk_create` through the real models, so encrypted fields are encrypted
by their field type (EncryptedTextField.get_prep_value) and blind indexes are the app's own
(`crypto.blind_index`). The services are not called one signal at a time: at 100,000 signals
that would take hours. Instead the generator writes what the services would have left behind,
consistently: a signal's working-day fields follow from its timestamps
(`core.calendar.working_days_between`, as `intake.services.days_since_report` does), a case's
timeline starts with its opening, and every created signal, case and meeting has its audit entry
(`audit.services.audit_record_many`). `generate_dataset` seals the audit log afterwards, so the
chain verifies.

Repeatable: every run of `generate_dataset` makes a new region ("Datasetregio 1", "Datasetregio
2" …) with its own municipalities, organisations and accounts; nothing of an earlier run is
touched. `history_into` is idempotent: it writes nothing when the municipality already has it.

The ratios (DOMAIN.md §8, the reference figures of Amsterdam 2019 and the national picture)
are rough on purpose: own staff, police and the public form each bring a fifth to a quarter,
labour and sexual exploitation are the big forms, most signals are picked up within two working
days, a minority becomes a case, and a case yields an intervention now and then.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record_many
from schakel.cases.choices import (
    AgreementStatus,
    CaseEventKind,
    CaseStatus,
    DirectionHolder,
    InterventionKind,
    InterventionStatus,
    LegalBasis,
    PersonOutcome,
)
from schakel.cases.models import (
    Agreement,
    Case,
    CaseParticipant,
    CasePerson,
    CasePersonOutcome,
    Intervention,
    TimelineEntry,
)
from schakel.catalogue.models import ExploitationForm
from schakel.catalogue.services import exploitation_forms_ensure
from schakel.core import crypto
from schakel.core.calendar import working_days_between
from schakel.intake.choices import (
    CloseReason,
    EntryPoint,
    FirstJudgement,
    PersonRole,
    ReporterSector,
    Routing,
    SignalEventKind,
    SignalStatus,
)
from schakel.intake.models import Signal, SignalEvent, SignalPerson
from schakel.meetings.choices import MeetingStatus, TriageDecision
from schakel.meetings.models import AgendaItem, Meeting
from schakel.organisations.choices import MeetingType, OrganisationKind, Ring, Role, SubNetwork
from schakel.organisations.models import Membership, Municipality, Organisation, Region, User

BATCH = 5000
REGION_PREFIX = "Datasetregio"
# Submission tokens of a municipality's generated history: uuid5(HISTORY_NAMESPACE, "<pk>:<n>").
HISTORY_NAMESPACE = uuid.UUID("0b6f4a52-71c3-4d0e-9d51-3c9e3f7a2d10")
T = TypeVar("T")


@dataclass(frozen=True)
class Scale:
    signals: int = 100_000
    cases: int = 20_000
    timeline: int = 1_000_000
    organisations: int = 200
    users: int = 2_000
    months: int = 24
    seed: int = 1


@dataclass
class Generated:
    """What one run wrote: the region and municipalities, and the number of rows per kind."""

    region: str
    municipality_ids: list[int]
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + n


Progress = Callable[[str, int], None]  # (what, how many more rows were written)


def _no_progress(what: str, n: int) -> None:
    return None


# --- Invented names ---------------------------------------------------------------------------

_TOWN_HEADS = ("Esker", "Mol", "Veen", "Wilder", "Haver", "Lind", "Ruis", "Dorn", "Klaver", "Zand")
_TOWN_TAILS = ("dam", "wold", "loo", "haven", "rode", "horst", "zijl", "beek", "mond", "veld")
_FIRST = (
    "Ank", "Bas", "Cor", "Dewi", "Elif", "Fenne", "Gijs", "Hanna", "Ids", "Jorn", "Kiki", "Lars",
    "Maud", "Nils", "Olaf", "Pien", "Quint", "Rosa", "Stijn", "Tess", "Ugo", "Vera", "Wiebe",
    "Xan", "Yfke", "Zeno",
)  # fmt: skip
_LAST = (
    "Aardhof", "Brommelkamp", "Dijkveld", "Eshuis", "Folkerda", "Gruppen", "Heemstra",
    "Ijzerlo", "Jellema", "Koopwijk", "Loosveld", "Mendrik", "Nijwolt", "Olthaar", "Prinsloo",
    "Roelvink", "Sikkema", "Tolhuis", "Uiterwijk", "Veldmaat", "Wubbolt", "Zwiers",
)  # fmt: skip
_STREETS = ("Molenweg", "Kerkstraat", "Havenkade", "Lindelaan", "Industrieweg", "Stationsplein")

# Nationalities of persons in signals: a third Dutch, a third other EU (labour migration), a
# fifth from outside the EU, the rest unknown (blank).
_NATIONALITIES = (
    ("NL", 32), ("PL", 9), ("RO", 9), ("BG", 6), ("HU", 3), ("LT", 2), ("PT", 1), ("DE", 1),
    ("UA", 5), ("NG", 4), ("MA", 3), ("TR", 2), ("CN", 2), ("VN", 2), ("BR", 2), ("ER", 2),
    ("", 15),
)  # fmt: skip
_ENTRY_POINTS = (
    (EntryPoint.MUNICIPALITY, 24),
    (EntryPoint.POLICE, 22),
    (EntryPoint.CARE, 13),
    (EntryPoint.INSPECTORATE, 7),
    (EntryPoint.PARTNER, 14),
    (EntryPoint.PUBLIC, 20),
)
_SECTORS = (
    (ReporterSector.GENERAL_PUBLIC, 55),
    (ReporterSector.HOUSING, 12),
    (ReporterSector.HOSPITALITY, 10),
    (ReporterSector.CARE, 10),
    (ReporterSector.SCHOOL, 6),
    (ReporterSector.OTHER, 7),
)
_FORMS = (("labour", 40), ("sexual", 33), ("criminal", 15), ("organ_removal", 1), ("unknown", 11))
_INTERVENTIONS = (
    (InterventionKind.CLOSURE, 14),
    (InterventionKind.PENALTY_ORDER, 16),
    (InterventionKind.PERMIT_WITHDRAWAL, 6),
    (InterventionKind.BIBOB, 8),
    (InterventionKind.FISCAL, 22),
    (InterventionKind.CRIMINAL_REPORT, 22),
    (InterventionKind.PROSECUTION, 12),
)
_TIMELINE_KINDS = (
    (CaseEventKind.CONTACT, 30),
    (CaseEventKind.ACTION, 25),
    (CaseEventKind.NOTE, 25),
    (CaseEventKind.DECISION, 5),
    (CaseEventKind.REFERRAL, 5),
    (CaseEventKind.UPDATED, 10),
)
_TIMELINE_TEXT = {
    CaseEventKind.CONTACT: "Contact gehad met de betrokken partner.",
    CaseEventKind.ACTION: "Huisbezoek afgelegd; bevindingen besproken.",
    CaseEventKind.NOTE: "Aantekening bij de voortgang van de casus.",
    CaseEventKind.DECISION: "Afgesproken de zorgroute voort te zetten.",
    CaseEventKind.REFERRAL: "Doorverwezen naar de opvang.",
}


class _Random(random.Random):
    def weighted(self, pairs: Sequence[tuple[T, int]]) -> T:
        return self.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]

    def token(self) -> uuid.UUID:
        return uuid.UUID(int=self.getrandbits(128), version=4)

    def name(self) -> str:
        return f"{self.choice(_FIRST)} {self.choice(_LAST)}"


# --- Timestamps -------------------------------------------------------------------------------


@contextmanager
def own_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the creation times the generator sets: auto_now(_add) fields would
    stamp every row with the moment of generation, and the history would be one day long."""
    changed = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
                changed.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in changed:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


@lru_cache(maxsize=100_000)
def _working_days(start: date, end: date) -> int:
    return working_days_between(start, end)


def working_days_after(reported_at: datetime, at: datetime) -> int:
    """As intake.services.days_since_report: from the local day of the report to that of `at`."""
    return _working_days(timezone.localdate(reported_at), timezone.localdate(at))


def write_rows(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> int:
    """Insert rows given by attname, without their ids back (events, timelines, link tables):
    COPY on PostgreSQL, several times faster than bulk_create at a million rows; bulk_create
    elsewhere. No encrypted field goes this way: those need the field's get_prep_value."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**row) for row in rows], batch_size=BATCH)
        return len(rows)
    columns = list(rows[0])
    fields: list[Any] = [model._meta.get_field(column) for column in columns]
    encoders = {i: f.encoder for i, f in enumerate(fields) if isinstance(f, models.JSONField)}
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            values = [row[column] for column in columns]
            for i, encoder in encoders.items():
                values[i] = json.dumps(values[i], cls=encoder)
            copy.write_row(values)
    return len(rows)


def write_objects(model: type[models.Model], objects: Sequence[models.Model]) -> int:
    """`write_rows` for unsaved model instances (their defaults filled in by the model)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    return write_rows(model, [{f.attname: getattr(o, f.attname) for f in fields} for o in objects])


def _entry(
    case_id: int,
    kind: str,
    at: datetime,
    parameters: dict[str, Any] | None = None,
    *,
    text: str = "",
    actor_id: int | None = None,
    happened_on: date | None = None,
) -> dict[str, Any]:
    """A TimelineEntry row (write_rows)."""
    return {
        "case_id": case_id,
        "kind": kind,
        "occurred_at": at,
        "parameters": parameters or {},
        "text": text,
        "actor_id": actor_id,
        "organisation_id": None,
        "happened_on": happened_on,
        "corrects_id": None,
    }


def _batches(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- The world the history happens in ---------------------------------------------------------


@dataclass
class _World:
    """The municipalities (with their share of the signals), the organisations and the people
    who act for them, whether just made or found."""

    municipalities: list[Municipality]
    weights: list[float]
    regional: dict[str, list[Organisation]]  # kind → organisations serving the whole region
    local: dict[int, dict[str, list[Organisation]]]  # municipality → key → organisations
    members: dict[int, list[int]]  # organisation → user ids
    af: dict[int, int]  # municipality → the AF OOV's user id

    def member(self, rng: _Random, organisation: Organisation | None) -> int | None:
        found = self.members.get(organisation.pk, []) if organisation is not None else []
        return rng.choice(found) if found else None

    def pick(self, rng: _Random, municipality: Municipality, *keys: str) -> Organisation | None:
        pool = [o for key in keys for o in self.local.get(municipality.pk, {}).get(key, [])]
        pool += [o for key in keys for o in self.regional.get(key, [])]
        return rng.choice(pool) if pool else None


_LOCAL_DEPARTMENTS = (
    # key, name, sub-network, ring, roles of its first members
    ("oov", "Openbare Orde en Veiligheid", SubNetwork.PERPETRATOR, Ring.FIRST, [Role.AF_OOV]),
    ("mo", "Maatschappelijke Ontwikkeling", SubNetwork.VICTIM_CARE, Ring.FIRST, [Role.AF_ZORG]),
    ("swt", "Sociaal wijkteam", SubNetwork.VICTIM_CARE, Ring.FIRST, [Role.AF_SWT]),
    (
        "th",
        "Toezicht en Handhaving",
        SubNetwork.PERPETRATOR,
        Ring.FIRST,
        [Role.TOEZICHT_HANDHAVING],
    ),
    ("brp", "Burgerzaken", SubNetwork.SIGNALLERS, Ring.SECOND, [Role.MUNICIPAL_REPORTER]),
    (
        "staf",
        "Bestuur en Informatiebeheer",
        SubNetwork.DIRECTION,
        Ring.SECOND,
        [Role.BOARD_VIEWER, Role.FUNCTIONAL_ADMIN, Role.PRIVACY_OFFICER],
    ),
)
_REGIONAL = (
    # key, name, kind, sub-network, role
    (
        "zc",
        "Zorgcoördinatie Mensenhandel",
        OrganisationKind.CARE_COORDINATION,
        SubNetwork.VICTIM_CARE,
        Role.ZORGCOORDINATOR,
    ),
    (
        "vt",
        "Veilig Thuis",
        OrganisationKind.VEILIG_THUIS,
        SubNetwork.VICTIM_CARE,
        Role.VEILIG_THUIS,
    ),
    ("avim", "Politie – AVIM", OrganisationKind.POLICE, SubNetwork.PERPETRATOR, Role.AVIM),
    (
        "iszw",
        "Arbeidsinspectie",
        OrganisationKind.LABOUR_INSPECTORATE,
        SubNetwork.PERPETRATOR,
        Role.ISZW,
    ),
    ("om", "Openbaar Ministerie", OrganisationKind.PROSECUTION, SubNetwork.PERPETRATOR, Role.OVJ),
    (
        "bd",
        "Belastingdienst",
        OrganisationKind.TAX_AUTHORITY,
        SubNetwork.PERPETRATOR,
        Role.BELASTINGDIENST,
    ),
    ("riec", "RIEC", OrganisationKind.RIEC, SubNetwork.PERPETRATOR, Role.REGIONAL_ADVISER),
    ("zvh", "Zorg- en Veiligheidshuis", OrganisationKind.ZVH, SubNetwork.DIRECTION, Role.AF_ZORG),
    (
        "opvang",
        "Stichting Opvang",
        OrganisationKind.CARE_PROVIDER,
        SubNetwork.VICTIM_CARE,
        Role.PARTNER_REPORTER,
    ),
)
_SIGNALLERS = (
    ("hotel", "Hotel", OrganisationKind.HOTEL),
    ("school", "College", OrganisationKind.SCHOOL),
    ("housing", "Woonstichting", OrganisationKind.HOUSING),
    ("healthcare", "Huisartsenpraktijk", OrganisationKind.HEALTHCARE),
    ("other", "Uitzendbureau", OrganisationKind.OTHER_SIGNALLER),
)
_MIN_ORGANISATIONS_PER_MUNICIPALITY = len(_LOCAL_DEPARTMENTS) + 1  # and a police basisteam


def municipality_count(organisations: int) -> int:
    """About one municipality per 20 organisations, 2 to 10."""
    return max(2, min(10, organisations // 20))


def minimum_organisations() -> int:
    return 2 * _MIN_ORGANISATIONS_PER_MUNICIPALITY + len(_REGIONAL)


def _next_region_number() -> int:
    taken = [
        name.removeprefix(REGION_PREFIX).strip()
        for name in Region.objects.filter(name__startswith=REGION_PREFIX).values_list(
            "name", flat=True
        )
    ]
    return 1 + max((int(n) for n in taken if n.isdigit()), default=0)


def _make_world(
    scale: Scale, rng: _Random, number: int, result: Generated, progress: Progress
) -> _World:
    region = Region.objects.create(name=f"{REGION_PREFIX} {number}")
    result.region = region.name
    count = municipality_count(scale.organisations)
    suffix = "" if number == 1 else f" {number}"
    municipalities = Municipality.objects.bulk_create(
        Municipality(
            name=f"{_TOWN_HEADS[i]}{_TOWN_TAILS[(i * 3 + number) % len(_TOWN_TAILS)]}{suffix}",
            cbs_code=f"GM{(7000 + number * 10 + i) % 10000:04d}",
            region=region,
            reporting_point_name="Meldpunt mensenhandel",
            reporting_point_phone="012 000 0000",
            reporting_point_email=f"meldpunt{number}-{i}@dataset.example",
        )
        for i in range(count)
    )
    result.municipality_ids = [m.pk for m in municipalities]
    # The biggest municipality has about a third of the region's signals.
    weights = [1 / (i + 1) ** 0.9 for i in range(count)]
    planned: list[tuple[Organisation, str, int | None, list[Role]]] = []
    for m in municipalities:
        for key, name, sub_network, ring, roles in _LOCAL_DEPARTMENTS:
            planned.append(
                (
                    Organisation(
                        name=f"Gemeente {m.name} – {name}",
                        kind=OrganisationKind.MUNICIPALITY,
                        region=region,
                        municipality=m,
                        sub_network=sub_network,
                        ring=ring,
                    ),
                    key,
                    m.pk,
                    roles,
                )
            )
        planned.append(
            (
                Organisation(
                    name=f"Politie – Basisteam {m.name}",
                    kind=OrganisationKind.POLICE,
                    region=region,
                    municipality=m,
                    sub_network=SubNetwork.PERPETRATOR,
                    ring=Ring.FIRST,
                ),
                "basisteam",
                m.pk,
                [Role.BASISTEAM],
            )
        )
    for key, name, kind, sub_network, role in _REGIONAL:
        planned.append(
            (
                Organisation(
                    name=f"{name} {region.name}",
                    kind=kind,
                    region=region,
                    sub_network=sub_network,
                    ring=Ring.FIRST,
                ),
                key,
                None,
                [role],
            )
        )
    n = 0
    while len(planned) < scale.organisations:
        key, name, kind = _SIGNALLERS[n % len(_SIGNALLERS)]
        m = municipalities[rng.choices(range(count), weights=weights)[0]]
        planned.append(
            (
                Organisation(
                    name=f"{name} {rng.choice(_LAST)} {m.name} {n + 1}",
                    kind=kind,
                    region=region,
                    municipality=m,
                    sub_network=SubNetwork.SIGNALLERS,
                    ring=Ring.SECOND,
                ),
                key,
                m.pk,
                [Role.PARTNER_REPORTER],
            )
        )
        n += 1
    organisations = Organisation.objects.bulk_create(p[0] for p in planned)
    result.add("organisations", len(organisations))
    progress("organisations", len(organisations))
    world = _World(municipalities, weights, {}, {}, {}, {})
    for organisation, (_o, key, municipality_id, _r) in zip(organisations, planned, strict=True):
        if municipality_id is None:
            world.regional.setdefault(key, []).append(organisation)
        else:
            world.local.setdefault(municipality_id, {}).setdefault(key, []).append(organisation)
    _make_people(scale, rng, world, organisations, [p[3] for p in planned], number, result)
    progress("users", result.counts.get("users", 0))
    return world


def _make_people(
    scale: Scale,
    rng: _Random,
    world: _World,
    organisations: list[Organisation],
    roles: list[list[Role]],
    number: int,
    result: Generated,
) -> None:
    """Every organisation's first members in its key roles, then the rest spread over the
    organisations (the bigger municipalities' departments and the police get more)."""
    slots: list[tuple[Organisation, Role]] = [
        (o, role) for o, rs in zip(organisations, roles, strict=True) for role in rs
    ]
    busy = [(o, rs[0]) for o, rs in zip(organisations, roles, strict=True)]
    while len(slots) < scale.users:
        slots.append(rng.choice(busy))
    slots = slots[: scale.users]
    password = make_password(None)  # unusable: the accounts are for figures, not for logging in
    users = User.objects.bulk_create(
        User(
            username=f"ds{number}-{i:05d}",
            first_name=rng.choice(_FIRST),
            last_name=rng.choice(_LAST),
            email=f"ds{number}-{i:05d}@dataset.example",
            password=password,
        )
        for i in range(len(slots))
    )
    Membership.objects.bulk_create(
        Membership(user=user, organisation=o, role=role)
        for user, (o, role) in zip(users, slots, strict=True)
    )
    for user, (o, role) in zip(users, slots, strict=True):
        world.members.setdefault(o.pk, []).append(user.pk)
        if role == Role.AF_OOV and o.municipality_id is not None:
            world.af.setdefault(o.municipality_id, user.pk)
    result.add("users", len(users))


def _find_world(municipality: Municipality) -> _World:
    """The organisations and people already serving an existing municipality (history mode)."""
    organisations = Organisation.objects.filter(region=municipality.region_id, is_active=True)
    world = _World([municipality], [1.0], {}, {municipality.pk: {}}, {}, {})
    keys = {
        OrganisationKind.POLICE: "basisteam",
        OrganisationKind.CARE_COORDINATION: "zc",
        OrganisationKind.VEILIG_THUIS: "vt",
        OrganisationKind.LABOUR_INSPECTORATE: "iszw",
        OrganisationKind.PROSECUTION: "om",
        OrganisationKind.TAX_AUTHORITY: "bd",
        OrganisationKind.RIEC: "riec",
        OrganisationKind.ZVH: "zvh",
        OrganisationKind.CARE_PROVIDER: "opvang",
    }
    by_role = {
        Role.AF_OOV: "oov",
        Role.AF_ZORG: "mo",
        Role.AF_SWT: "swt",
        Role.TOEZICHT_HANDHAVING: "th",
        Role.MUNICIPAL_REPORTER: "brp",
        Role.AVIM: "avim",
    }
    memberships = Membership.objects.filter(
        organisation__in=organisations, is_active=True
    ).values_list("organisation_id", "user_id", "role")
    role_of: dict[int, str] = {}
    for organisation_id, user_id, role in memberships:
        world.members.setdefault(organisation_id, []).append(user_id)
        role_of.setdefault(organisation_id, role)
        if role == Role.AF_OOV:
            world.af.setdefault(municipality.pk, user_id)
    for o in organisations:
        if o.municipality_id not in (None, municipality.pk):
            continue
        role = role_of.get(o.pk, "")
        if o.kind == OrganisationKind.MUNICIPALITY or role == Role.AVIM:
            key = by_role.get(Role(role), "staf") if role in Role.values else "staf"
        elif o.kind in (
            OrganisationKind.HOTEL,
            OrganisationKind.SCHOOL,
            OrganisationKind.HOUSING,
            OrganisationKind.HEALTHCARE,
            OrganisationKind.OTHER_SIGNALLER,
        ):
            key = "hotel"
        else:
            key = keys.get(OrganisationKind(o.kind), "other")
        if o.municipality_id is None:
            world.regional.setdefault(key, []).append(o)
        else:
            world.local[municipality.pk].setdefault(key, []).append(o)
    return world


# --- Signals ----------------------------------------------------------------------------------

_REPORTERS = {
    EntryPoint.MUNICIPALITY: ("brp", "th", "swt", "mo", "oov"),
    EntryPoint.POLICE: ("basisteam", "avim"),
    EntryPoint.CARE: ("zc", "vt"),
    EntryPoint.INSPECTORATE: ("iszw",),
    EntryPoint.PARTNER: ("hotel", "school", "housing", "healthcare", "other", "opvang"),
}


def _reported_at(rng: _Random, start: datetime, end: datetime) -> datetime:
    """A moment in [start, end), more often on a working day in office hours, and a slowly
    growing number over the months (more awareness, more signals)."""
    span = (end - start).total_seconds()
    moment = start + timedelta(seconds=span * (rng.random() ** 0.85))
    local = timezone.localtime(moment)
    if local.weekday() >= 5 and rng.random() < 0.7:
        local -= timedelta(days=local.weekday() - 4)
    local = local.replace(hour=rng.choice((8, 9, 10, 11, 13, 14, 15, 16, 20)))
    return max(start, min(local, end - timedelta(minutes=1)))


def _later(rng: _Random, after: datetime, working_days: int) -> datetime:
    """A moment about `working_days` working days after `after` (weekends skipped; the
    working-day fields are computed from the moments afterwards, holidays and all)."""
    weekday, days = timezone.localtime(after).weekday(), 0
    while working_days > 0:
        days += 1
        if (weekday + days) % 7 < 5:
            working_days -= 1
    return after + timedelta(days=days, minutes=rng.randint(20, 300))


def _signal(
    rng: _Random,
    world: _World,
    municipality: Municipality,
    reported_at: datetime,
    now: datetime,
    reference: str,
    token: uuid.UUID,
) -> Signal:
    entry_point = rng.weighted(_ENTRY_POINTS)
    organisation = (
        None
        if entry_point == EntryPoint.PUBLIC
        else world.pick(rng, municipality, *_REPORTERS[entry_point])
    )
    if organisation is None and entry_point != EntryPoint.PUBLIC:
        entry_point = EntryPoint.PUBLIC
    signal = Signal(
        reference=reference,
        municipality=municipality,
        entry_point=entry_point,
        reporter_id=world.member(rng, organisation),
        reporter_organisation=organisation,
        reporter_sector=rng.weighted(_SECTORS) if entry_point == EntryPoint.PUBLIC else "",
        description="Fictieve melding (gegenereerde dataset).",
        place=f"{rng.choice(_STREETS)} {rng.randint(1, 200)}, {municipality.name}",
        observed_on=timezone.localdate(reported_at) - timedelta(days=rng.randint(0, 10)),
        reported_at=reported_at,
        created_at=reported_at,
        updated_at=reported_at,
        submission_token=token,
        status=SignalStatus.NEW,
    )
    if entry_point in (EntryPoint.POLICE, EntryPoint.CARE) and rng.random() < 0.6:
        signal.first_judgement = (
            FirstJudgement.SUSPECTED_TRAFFICKING
            if rng.random() < 0.7
            else (
                FirstJudgement.ILLEGAL_PROSTITUTION_ONLY
                if entry_point == EntryPoint.POLICE
                else FirstJudgement.CARE_ADVICE
            )
        )
    _handle(rng, signal, now)
    return signal


def _handle(rng: _Random, signal: Signal, now: datetime) -> None:
    """The AF's steps, each taken only when its moment has passed; the working-day fields
    follow from the timestamps as the services compute them."""
    reported = signal.reported_at
    pickup = _later(
        rng, reported, rng.weighted(((0, 38), (1, 30), (2, 14), (3, 8), (5, 6), (8, 4)))
    )
    if pickup >= now:
        return
    signal.status = SignalStatus.IN_PROGRESS
    signal.picked_up_at = pickup
    signal.days_to_pickup = working_days_after(reported, pickup)
    last = pickup
    if rng.random() < 0.14:  # not trafficking, or a duplicate, found while enriching
        closed = _later(rng, pickup, rng.randint(1, 10))
        if closed < now:
            signal.status = SignalStatus.CLOSED
            signal.close_reason = (
                CloseReason.DUPLICATE if rng.random() < 0.3 else CloseReason.NOT_TRAFFICKING
            )
            signal.closed_at = last = closed
        signal.updated_at = last
        return
    routed = _later(
        rng, pickup, rng.weighted(((1, 20), (2, 25), (4, 25), (7, 15), (12, 10), (25, 5)))
    )
    if routed >= now:
        return
    signal.status = SignalStatus.ROUTED
    signal.routing = rng.weighted(
        ((Routing.CASE_MEETING, 76), (Routing.VEILIG_THUIS, 14), (Routing.PCT, 10))
    )
    signal.routed_at = last = routed
    signal.days_to_routing = working_days_after(reported, routed)
    if signal.entry_point != EntryPoint.PUBLIC or rng.random() < 0.6:
        feedback = _later(rng, routed, rng.weighted(((0, 30), (2, 30), (5, 25), (12, 15))))
        if feedback < now and rng.random() < 0.85:
            signal.feedback = "Dank voor uw melding; die is doorgezet naar een partner."
            signal.feedback_at = last = feedback
            signal.days_to_feedback = working_days_after(reported, feedback)
    closed = _later(rng, routed, rng.randint(10, 60))
    if closed < now and rng.random() < 0.75:
        signal.status = SignalStatus.CLOSED
        signal.close_reason = CloseReason.HANDED_OVER
        signal.closed_at = last = max(closed, last)
    signal.updated_at = last


def _settle(rng: _Random, signal: Signal, now: datetime) -> None:
    """A signal of the past that was not finished by `now` yet: closed by then (handed over
    when it was routed), so that none waits in today's queue or for feedback."""
    if signal.status == SignalStatus.CLOSED:
        return
    if signal.status == SignalStatus.ROUTED and signal.routed_at is not None:
        signal.status = SignalStatus.CLOSED
        signal.close_reason = CloseReason.HANDED_OVER
        signal.closed_at = signal.updated_at = max(
            signal.feedback_at or signal.routed_at, min(signal.routed_at + timedelta(days=20), now)
        )
        return
    if signal.picked_up_at is None:
        signal.picked_up_at = min(_later(rng, signal.reported_at, 0), now)
        signal.days_to_pickup = working_days_after(signal.reported_at, signal.picked_up_at)
    signal.status = SignalStatus.CLOSED
    signal.close_reason = CloseReason.NOT_TRAFFICKING
    signal.closed_at = signal.updated_at = max(signal.picked_up_at, now)


def _signal_events(signal: Signal) -> list[dict[str, Any]]:
    actor = signal.reporter_id
    steps: list[tuple[str, datetime, int | None, dict[str, Any]]] = [
        (SignalEventKind.REPORTED, signal.reported_at, actor, {})
    ]
    if signal.picked_up_at:
        steps.append((SignalEventKind.PICKED_UP, signal.picked_up_at, None, {}))
    if signal.routed_at:
        steps.append(
            (SignalEventKind.ROUTED, signal.routed_at, None, {"destination": signal.routing})
        )
    if signal.feedback_at:
        steps.append((SignalEventKind.FEEDBACK_GIVEN, signal.feedback_at, None, {}))
    if signal.closed_at:
        steps.append(
            (SignalEventKind.CLOSED, signal.closed_at, None, {"reason": signal.close_reason})
        )
    return [
        {
            "signal_id": signal.pk,
            "kind": kind,
            "occurred_at": at,
            "actor_id": who,
            "organisation_id": None,
            "parameters": params,
            "text": "",
        }
        for kind, at, who, params in steps
    ]


def _person(rng: _Random, signal: Signal, form: str, role: str) -> SignalPerson:
    victim = role == PersonRole.POSSIBLE_VICTIM
    if form == "sexual":
        sex = rng.weighted((("f", 85), ("m", 8), ("x", 2), ("", 5)))
    else:
        sex = rng.weighted((("m", 70), ("f", 22), ("", 8)))
    age = None
    if rng.random() < 0.85:
        low, high = (14, 45) if victim else (20, 60)
        if victim and form == "criminal":
            low, high = (13, 25)
        age = rng.randint(low, high)
    named = rng.random() < 0.45
    return SignalPerson(
        signal=signal,
        role=role,
        sex=sex,
        approximate_age=age,
        nationality_country=rng.weighted(_NATIONALITIES),
        name=rng.name() if named else "",
        date_of_birth=(
            f"{timezone.localdate(signal.reported_at).year - age}-{rng.randint(1, 12):02d}-"
            f"{rng.randint(1, 28):02d}"
            if named and age is not None and rng.random() < 0.5
            else ""
        ),
    )


def _name_index(name: str) -> str:
    return crypto.blind_index(name, purpose="person-name") if name else ""


def _make_signals(
    rng: _Random,
    world: _World,
    count: int,
    start: datetime,
    end: datetime,
    now: datetime,
    token: Callable[[int], uuid.UUID],
    result: Generated,
    progress: Progress,
    settle: bool = False,
) -> list[Signal]:
    forms = dict(ExploitationForm.objects.values_list("code", "pk"))
    references: set[str] = set()
    made: list[Signal] = []
    municipality_index = list(range(len(world.municipalities)))
    for first in range(0, count, BATCH):
        batch: list[Signal] = []
        form_codes: list[list[str]] = []
        for n in range(first, min(first + BATCH, count)):
            municipality = world.municipalities[
                rng.choices(municipality_index, weights=world.weights)[0]
            ]
            reported_at = _reported_at(rng, start, end)
            reference = ""
            while not reference or reference in references:
                code = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))
                reference = f"MH-{timezone.localtime(reported_at).year}-{code}"
            references.add(reference)
            signal = _signal(rng, world, municipality, reported_at, now, reference, token(n))
            if settle:
                _settle(rng, signal, now)
            batch.append(signal)
            picked = {rng.weighted(_FORMS)}
            if rng.random() < 0.12:
                picked.add(rng.weighted(_FORMS))
            if len(picked) > 1:
                picked.discard("unknown")
            form_codes.append(sorted(picked))
        with own_timestamps(Signal):
            created = Signal.objects.bulk_create(batch)
        through = Signal.exploitation_forms.through
        write_rows(
            through,
            [
                {"signal_id": s.pk, "exploitationform_id": forms[code]}
                for s, codes in zip(created, form_codes, strict=True)
                for code in codes
            ],
        )
        events = [e for s in created for e in _signal_events(s)]
        write_rows(SignalEvent, events)
        persons = []
        for s, codes in zip(created, form_codes, strict=True):
            s.form_codes = codes  # type: ignore[attr-defined]  # kept for the cases below
            if rng.random() < 0.62:
                for _ in range(rng.weighted(((1, 60), (2, 28), (3, 12)))):
                    role = rng.weighted(
                        (
                            (PersonRole.POSSIBLE_VICTIM, 64),
                            (PersonRole.POSSIBLE_PERPETRATOR, 30),
                            (PersonRole.OTHER, 6),
                        )
                    )
                    persons.append(_person(rng, s, codes[0], role))
        for p in persons:
            p.name_index = _name_index(p.name)
        SignalPerson.objects.bulk_create(persons)
        result.add("signals", len(created))
        result.add("signal_events", len(events))
        result.add("persons", len(persons))
        made.extend(created)
        progress("signals", len(created))
    return made


# --- Cases ------------------------------------------------------------------------------------


def _make_cases(
    rng: _Random,
    world: _World,
    signals: list[Signal],
    count: int,
    timeline: int,
    now: datetime,
    result: Generated,
    progress: Progress,
    settle: bool = False,
) -> list[Case]:
    """Cases from signals routed to the case meeting (one or two each, of one municipality),
    with participants, persons and their outcomes, agreements, interventions and a timeline."""
    forms = dict(ExploitationForm.objects.values_list("code", "pk"))
    routed = [s for s in signals if s.routing == Routing.CASE_MEETING]
    rng.shuffle(routed)
    routed = routed[:count]
    routed.sort(key=lambda s: s.reported_at)
    per_case = timeline / max(1, len(routed))
    persons_of: dict[int, list[SignalPerson]] = {}
    signal_ids = [s.pk for s in routed]
    for ids in _batches(signal_ids, 20_000):
        for p in SignalPerson.objects.filter(signal_id__in=ids):
            persons_of.setdefault(p.signal_id, []).append(p)
    made: list[Case] = []
    for batch in _batches(routed, 2000):
        made.extend(
            _case_batch(rng, world, batch, forms, persons_of, per_case, now, result, settle)
        )
        progress("cases", len(batch))
    return made


def _case_batch(
    rng: _Random,
    world: _World,
    signals: Sequence[Signal],
    forms: dict[str, int],
    persons_of: dict[int, list[SignalPerson]],
    per_case: float,
    now: datetime,
    result: Generated,
    settle: bool,
) -> list[Case]:
    cases = []
    for s in signals:
        routed_at = s.routed_at or s.reported_at  # only routed signals come here
        opened = routed_at + timedelta(hours=rng.randint(2, 24 * 14))
        opened = min(opened, now - timedelta(minutes=5))
        closed_at = opened + timedelta(days=rng.randint(30, 300))
        closed = closed_at < now and rng.random() < 0.8
        if settle:
            closed_at, closed = min(closed_at, now - timedelta(minutes=1)), True
        cases.append(
            Case(
                reference="ZK-{}-{}".format(
                    timezone.localtime(opened).year,
                    "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8)),
                ),
                municipality_id=s.municipality_id,
                status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
                direction_holder=rng.weighted(
                    (
                        (DirectionHolder.NETWORK_DIRECTOR, 80),
                        (DirectionHolder.VEILIG_THUIS, 12),
                        (DirectionHolder.ZVH, 8),
                    )
                ),
                summary="Fictieve casus (gegenereerde dataset).",
                safety_risk_high=rng.random() < 0.12,
                created_at=opened,
                updated_at=closed_at if closed else opened,
                last_activity_at=closed_at if closed else opened,
                closed_at=closed_at if closed else None,
            )
        )
    with own_timestamps(Case):
        cases = Case.objects.bulk_create(cases)
    write_rows(
        Case.signals.through,
        [{"case_id": c.pk, "signal_id": s.pk} for c, s in zip(cases, signals, strict=True)],
    )
    write_rows(
        Case.exploitation_forms.through,
        [
            {"case_id": c.pk, "exploitationform_id": forms[code]}
            for c, s in zip(cases, signals, strict=True)
            for code in getattr(s, "form_codes", ["unknown"])
        ],
    )
    participants, persons, agreements, interventions, timeline = [], [], [], [], []
    for c, s in zip(cases, signals, strict=True):
        municipality = next(m for m in world.municipalities if m.pk == c.municipality_id)
        af = world.af.get(c.municipality_id) or s.reporter_id
        end = c.closed_at or now
        span = max(60.0, (end - c.created_at).total_seconds())

        def moment(c: Case = c, span: float = span) -> datetime:
            return c.created_at + timedelta(seconds=rng.random() * span)

        entries = [_entry(c.pk, CaseEventKind.OPENED, c.created_at, {"signals": [s.reference]})]
        chosen = {}
        for key in rng.sample(["zc", "avim", "iszw", "vt", "opvang", "basisteam", "th"], 3):
            o = world.pick(rng, municipality, key)
            if o is not None and af is not None:
                chosen[o.pk] = o
        for o in chosen.values():
            basis = (
                LegalBasis.PSEUDONYMS_ONLY
                if o.kind == OrganisationKind.LABOUR_INSPECTORATE
                else LegalBasis.COVENANT
            )
            participants.append(
                CaseParticipant(
                    case=c,
                    organisation=o,
                    legal_basis=basis,
                    justification="Casusoverleg",
                    added_by_id=af or 0,  # `chosen` stays empty without an AF
                    added_at=c.created_at,
                )
            )
            entries.append(
                _entry(
                    c.pk, CaseEventKind.SHARED, c.created_at, {"organisation": o.pk, "basis": basis}
                )
            )
        numbers: dict[str, int] = {}
        for sp in persons_of.get(s.pk, []):
            numbers[sp.role] = numbers.get(sp.role, 0) + 1
            person = CasePerson(
                case=c,
                role=sp.role,
                number=numbers[sp.role],
                name=sp.name or rng.name(),
                date_of_birth=sp.date_of_birth,
                sex=sp.sex,
                nationality_country=sp.nationality_country,
                from_signal_person=sp,
                added_at=c.created_at,
            )
            person.name_index = _name_index(person.name)
            persons.append(person)
            entries.append(
                _entry(
                    c.pk,
                    CaseEventKind.PERSON,
                    c.created_at,
                    {"role": sp.role, "number": numbers[sp.role]},
                )
            )
        if af is not None:
            for _ in range(rng.randint(1, 3)):
                made_at = moment()
                due = timezone.localdate(made_at) + timedelta(days=rng.randint(5, 40))
                done = (
                    settle
                    or c.closed_at is not None
                    or (due < timezone.localdate(now) and rng.random() < 0.8)
                )
                owner = rng.choice([*chosen.values()] or [None])
                owner = owner or world.pick(rng, municipality, "oov")
                if owner is None:
                    continue
                agreements.append(
                    Agreement(
                        case=c,
                        text="Afspraak uit het casusoverleg.",
                        owner=owner,
                        due_on=due,
                        status=AgreementStatus.DONE if done else AgreementStatus.OPEN,
                        made_by_id=af,
                        made_at=made_at,
                        settled_at=min(made_at + timedelta(days=7), end) if done else None,
                    )
                )
                entries.append(_entry(c.pk, CaseEventKind.AGREEMENT, made_at))
            if rng.random() < 0.3:
                for _ in range(rng.weighted(((1, 75), (2, 25)))):
                    interventions.append(_intervention(rng, c, af, moment(), now, settle))
                    entries.append(
                        _entry(
                            c.pk,
                            CaseEventKind.INTERVENTION_PROPOSED,
                            interventions[-1].acknowledged_at or c.created_at,
                            {"intervention_kind": interventions[-1].kind},
                        )
                    )
        target = max(2, round(per_case * rng.uniform(0.5, 1.5)))
        while len(entries) < target:
            kind = rng.weighted(_TIMELINE_KINDS)
            at = moment()
            entries.append(
                _entry(
                    c.pk,
                    kind,
                    at,
                    text=_TIMELINE_TEXT.get(kind, ""),
                    actor_id=af,
                    happened_on=timezone.localdate(at),
                )
            )
        if c.closed_at is not None:
            entries.append(_entry(c.pk, CaseEventKind.CLOSED, c.closed_at))
        timeline.extend(entries)
    write_objects(CaseParticipant, participants)
    with own_timestamps(CasePerson, Agreement):
        persons = CasePerson.objects.bulk_create(persons)
        Agreement.objects.bulk_create(agreements)
    outcomes = _outcomes(rng, persons, now)
    write_objects(CasePersonOutcome, outcomes)
    Intervention.objects.bulk_create(interventions)
    write_rows(TimelineEntry, timeline)
    counted: tuple[tuple[str, Sequence[Any]], ...] = (
        ("cases", cases),
        ("participants", participants),
        ("case_persons", persons),
        ("outcomes", outcomes),
        ("agreements", agreements),
        ("interventions", interventions),
        ("timeline", timeline),
    )
    for what, rows in counted:
        result.add(what, len(rows))
    return cases


def _intervention(
    rng: _Random, case: Case, af: int, at: datetime, now: datetime, settle: bool
) -> Intervention:
    kind = rng.weighted(_INTERVENTIONS)
    acknowledged = at + timedelta(days=rng.randint(1, 14))
    executed = acknowledged + timedelta(days=rng.randint(3, 60))
    if case.closed_at is not None:
        executed = min(executed, case.closed_at)
        acknowledged = min(acknowledged, executed)
    acknowledged_at: datetime | None = acknowledged
    executed_at: datetime | None = executed
    if executed < now and rng.random() < 0.85:
        status = InterventionStatus.OUTCOME if rng.random() < 0.5 else InterventionStatus.EXECUTED
    elif settle:
        status, executed_at = InterventionStatus.WITHDRAWN, None
    elif acknowledged < now:
        status, executed_at = InterventionStatus.ACKNOWLEDGED, None
    else:
        status, executed_at, acknowledged_at = InterventionStatus.PROPOSED, None, None
    return Intervention(
        case=case,
        kind=kind,
        status=status,
        description="Fictieve interventie (gegenereerde dataset).",
        proposed_by_id=af,
        acknowledged_by_id=af if acknowledged_at else None,
        acknowledged_at=acknowledged_at,
        executed_at=executed_at,
        outcome="Uitgevoerd." if status == InterventionStatus.OUTCOME else "",
    )


def _outcomes(rng: _Random, persons: list[CasePerson], now: datetime) -> list[CasePersonOutcome]:
    """What became of the persons: a victim may be referred to care, sheltered and registered
    with CoMensha (each counts); a perpetrator disrupted or prosecuted; some turn out no
    trafficking at all."""
    found = []
    for p in persons:
        at = p.added_at + timedelta(days=rng.randint(1, 90))
        if at >= now:
            continue
        if rng.random() < 0.08:
            chosen: list[str] = [PersonOutcome.NO_TRAFFICKING]
        elif p.role == PersonRole.POSSIBLE_VICTIM:
            chosen = [
                outcome
                for outcome, share in (
                    (PersonOutcome.REFERRED_TO_CARE, 0.65),
                    (PersonOutcome.SHELTERED, 0.35),
                    (PersonOutcome.REGISTERED_COMENSHA, 0.5),
                )
                if rng.random() < share
            ]
        elif p.role == PersonRole.POSSIBLE_PERPETRATOR:
            chosen = [
                outcome
                for outcome, share in (
                    (PersonOutcome.DISRUPTED, 0.4),
                    (PersonOutcome.PROSECUTED, 0.2),
                )
                if rng.random() < share
            ]
        else:
            chosen = []
        found += [
            CasePersonOutcome(
                person=p,
                outcome=outcome,
                recorded_at=at + timedelta(days=i),
                recorded_by_id=None,
            )
            for i, outcome in enumerate(chosen)
        ]
    return found


# --- Meetings ---------------------------------------------------------------------------------


def _make_meetings(
    rng: _Random,
    world: _World,
    signals: list[Signal],
    cases: list[Case],
    start: datetime,
    now: datetime,
    result: Generated,
    future: bool = True,
) -> list[Meeting]:
    """A case meeting every two weeks in each municipality and a RIEC meeting every month,
    each discussing the signals routed to it and the cases opened since the one before."""
    routed: dict[int, list[Signal]] = {}
    for s in signals:
        if s.routing == Routing.CASE_MEETING and s.routed_at is not None:
            routed.setdefault(s.municipality_id, []).append(s)
    case_list: dict[int, list[Case]] = {}
    for c in cases:
        case_list.setdefault(c.municipality_id, []).append(c)
    meetings: list[Meeting] = []
    plans: list[tuple[Meeting, list[Signal], list[Case]]] = []
    for m in world.municipalities:
        creator = world.af.get(m.pk)
        if creator is None:
            continue
        mine = sorted(routed.get(m.pk, []), key=lambda s: s.routed_at or now)
        theirs = sorted(case_list.get(m.pk, []), key=lambda c: c.created_at)
        for meeting_type, every in ((MeetingType.CASE_MEETING, 14), (MeetingType.RIEC_MEETING, 28)):
            previous = start
            day = start + timedelta(days=rng.randint(1, every))
            while day < (now + timedelta(days=every) if future else now):
                at = timezone.localtime(day).replace(hour=10, minute=0, second=0, microsecond=0)
                held = at < now
                meeting = Meeting(
                    municipality=m,
                    meeting_type=meeting_type,
                    scheduled_for=at,
                    location=f"Gemeentehuis {m.name}",
                    status=MeetingStatus.CLOSED if held else MeetingStatus.PLANNED,
                    created_by_id=creator,
                    created_at=min(at - timedelta(days=7), now),
                    updated_at=min(at, now),
                )
                if meeting_type == MeetingType.CASE_MEETING:
                    items_s = [s for s in mine if previous <= (s.routed_at or now) < at][:30]
                else:
                    items_s = []
                items_c = [c for c in theirs if previous <= c.created_at < at][:20]
                if meeting_type == MeetingType.RIEC_MEETING:
                    items_c = [c for c in items_c if rng.random() < 0.4]
                plans.append((meeting, items_s, items_c))
                previous, day = at, day + timedelta(days=every)
    with own_timestamps(Meeting):
        meetings = Meeting.objects.bulk_create(p[0] for p in plans)
    items = []
    for meeting, (_m, items_s, items_c) in zip(meetings, plans, strict=True):
        position = 0
        for s in items_s:
            position += 1
            items.append(
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    signal=s,
                    triage_decision=(
                        rng.weighted(
                            (
                                (TriageDecision.CARE, 35),
                                (TriageDecision.PERPETRATOR, 20),
                                (TriageDecision.BOTH, 20),
                                (TriageDecision.MONITOR, 15),
                                (TriageDecision.NOT_TRAFFICKING, 10),
                            )
                        )
                        if meeting.status != MeetingStatus.PLANNED
                        else ""
                    ),
                )
            )
        for c in items_c:
            position += 1
            items.append(AgendaItem(meeting=meeting, position=position, case=c))
        if position == 0:
            items.append(AgendaItem(meeting=meeting, position=1, topic="Stand van zaken"))
    write_objects(AgendaItem, items)
    result.add("meetings", len(meetings))
    result.add("agenda_items", len(items))
    return meetings


# --- The audit trail --------------------------------------------------------------------------


def _audit(
    signals: list[Signal],
    cases: list[Case],
    meetings: list[Meeting],
    world: _World,
    result: Generated,
    progress: Progress,
) -> None:
    """The entries the services would have written: a signal reported, a case opened (and
    read by its AF), a meeting planned."""
    entries: list[dict[str, Any]] = []
    for s in signals:
        entries.append(
            {
                "occurred_at": s.reported_at,
                "action": AuditAction.CREATE,
                "user_id": s.reporter_id,
                "access_point": "generate_dataset",
                "object_type": "intake.Signal",
                "object_ids": [str(s.pk)],
                "purpose": "signal reported",
            }
        )
    for c in cases:
        af = world.af.get(c.municipality_id)
        for action, purpose in ((AuditAction.CREATE, "case opened"), (AuditAction.READ, "")):
            entries.append(
                {
                    "occurred_at": c.created_at,
                    "action": action,
                    "user_id": af,
                    "access_point": "generate_dataset",
                    "object_type": "cases.Case",
                    "object_ids": [str(c.pk)],
                    "purpose": purpose,
                }
            )
    for m in meetings:
        entries.append(
            {
                "occurred_at": m.created_at,
                "action": AuditAction.CREATE,
                "user_id": m.created_by_id,
                "access_point": "generate_dataset",
                "object_type": "meetings.Meeting",
                "object_ids": [str(m.pk)],
                "purpose": "meeting planned",
            }
        )
    for chunk in _batches(entries, 20_000):
        audit_record_many(chunk)
        progress("audit", len(chunk))
    result.add("audit_entries", len(entries))


# --- The two ways in --------------------------------------------------------------------------


def _month_start(today: date, months_back: int) -> datetime:
    first = today.replace(day=1)
    for _ in range(months_back):
        first = (first - timedelta(days=1)).replace(day=1)
    return timezone.make_aware(datetime.combine(first, datetime.min.time()))


def generate_region(scale: Scale, progress: Progress = _no_progress) -> Generated:
    """A new fictional region with `scale.months` months of history up to now (see the
    module's docstring). One transaction: a failed run leaves nothing."""
    rng = _Random(scale.seed)
    now = timezone.now()
    result = Generated(region="", municipality_ids=[])
    with transaction.atomic():
        exploitation_forms_ensure()
        number = _next_region_number()
        # Another region, other references and tokens, whatever the seed.
        rng.seed(f"{scale.seed}:{number}")
        world = _make_world(scale, rng, number, result, progress)
        start = _month_start(timezone.localdate(now), scale.months - 1)
        signals = _make_signals(
            rng, world, scale.signals, start, now, now, lambda n: rng.token(), result, progress
        )
        cases = _make_cases(rng, world, signals, scale.cases, scale.timeline, now, result, progress)
        meetings = _make_meetings(rng, world, signals, cases, start, now, result)
        _audit(signals, cases, meetings, world, result, progress)
    return result


def history_token(municipality: Municipality, n: int) -> uuid.UUID:
    return uuid.uuid5(HISTORY_NAMESPACE, f"{municipality.pk}:{n}")


def history_into(
    municipality: Municipality,
    *,
    signals: int = 260,
    cases: int = 40,
    seed: int = 7,
    until_days_ago: int = 10,
) -> Generated | None:
    """History for an existing municipality, from 1 January of last year up to
    `until_days_ago` days ago, reported by its region's own organisations and people: every
    signal handled (routed or closed) and every case closed, so that nobody's work list grows.
    Idempotent: None, writing nothing, when the municipality already has it."""
    if Signal.objects.filter(submission_token=history_token(municipality, 0)).exists():
        return None
    rng = _Random(seed)
    now = timezone.now() - timedelta(days=until_days_ago)
    start = timezone.make_aware(datetime(timezone.localdate().year - 1, 1, 1))
    result = Generated(region=municipality.region.name, municipality_ids=[municipality.pk])
    with transaction.atomic():
        world = _find_world(municipality)
        made = _make_signals(
            rng,
            world,
            signals,
            start,
            now - timedelta(days=2),
            now,
            lambda n: history_token(municipality, n),
            result,
            _no_progress,
            settle=True,
        )
        opened = _make_cases(
            rng, world, made, cases, cases * 12, now, result, _no_progress, settle=True
        )
        meetings = _make_meetings(rng, world, made, opened, start, now, result, future=False)
        _audit(made, opened, meetings, world, result, _no_progress)
    return result

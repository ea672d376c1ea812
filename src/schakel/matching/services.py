"""Writes of the hit/no-hit registry: register, end, look up, confirm a hit, update a task.

Every lookup, hit and reveal is audited in the transaction that records it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.cases.models import Case, CasePerson
from schakel.core import throttle
from schakel.core.context import AccessContext
from schakel.core.policies import Action
from schakel.organisations.models import Organisation

from . import encoding, index, normalise, notifications, scoring
from .choices import HitBasis, HitStatus, Strength, TaskSide, TaskStatus
from .models import Hit, HitTask, Involvement, InvolvementKey, Lookup, expiry_days
from .policies import hit_policy, involvement_policy, matching_organisations

PADDED_KEYS = 40  # every registration stores this many keys, so the count reveals nothing
# The index proposes a few more candidates than are compared, so that one the database no longer
# holds as active (ended in another process, deleted with its case person) does not push out one.
SPARE_CANDIDATES = 5

# An own reference is a file number: letters, digits and - . / _ , at least one digit, no spaces.
# So a name ("Jan Jansen", "JANSEN") is refused, whatever the field's help text asked.
_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9./_-]{0,49}")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def own_reference(value: str) -> str:
    """The asker's or registrant's own file number, normalised; refused when it could be a
    name or other personal data."""
    reference = unicodedata.normalize("NFKC", value or "").translate(_ZERO_WIDTH).strip()
    if not reference:
        return ""
    if not _REFERENCE.fullmatch(reference) or not any(c.isdigit() for c in reference):
        raise ValidationError(
            _(
                "Give your own file number (letters and digits without spaces, at least one "
                "digit), never a name."
            ),
            code="reference",
        )
    return reference


def keys() -> encoding.Keys:
    secret = getattr(settings, "SCHAKEL_MATCHING_KEY", None) or settings.SCHAKEL_BLIND_INDEX_KEY
    return _derived(str(secret))


_cache: dict[str, encoding.Keys] = {}


def _derived(secret: str) -> encoding.Keys:
    if secret not in _cache:
        _cache.clear()
        _cache[secret] = encoding.Keys.derive(secret)
    return _cache[secret]


@dataclass(frozen=True)
class Person:
    given_names: str
    surname: str
    date_of_birth: date | None = None
    birth_year: int | None = None
    sex: str = ""
    nationality: str = ""
    postcode: str = ""
    house_number: str = ""

    def encode_kwargs(self) -> dict[str, object]:
        return {
            "given_names": self.given_names,
            "surname": self.surname,
            "dob": normalise.birth_date(self.date_of_birth, self.birth_year),
            "attributes": {"sex": self.sex, "nationality": self.nationality},
        }


def address_key(postcode: str, house_number: str) -> str:
    postcode = "".join(normalise.fold(postcode).split()).upper()
    number = "".join(normalise.fold(house_number).split())
    if not postcode or not number:
        return ""
    return encoding.block_key(keys(), f"addr|{postcode}|{number}")


def _organisation(context: AccessContext, organisation: Organisation | None) -> Organisation:
    allowed = matching_organisations(context.actor)
    if organisation is None:
        if len(allowed) != 1:
            raise ValidationError(_("Choose the organisation you act for."))
        return Organisation.objects.get(pk=next(iter(allowed)))
    if organisation.pk not in allowed:
        raise PermissionDenied
    return organisation


def _new_expiry() -> datetime:
    return timezone.now() + timedelta(days=expiry_days())


def involvement_register(
    *,
    context: AccessContext,
    person: Person,
    contact_person: str,
    organisation: Organisation | None = None,
    reference: str = "",
) -> Involvement:
    if not involvement_policy.can(context.actor, Action.CREATE):
        raise PermissionDenied
    organisation = _organisation(context, organisation)
    if not normalise.name_tokens(person.given_names + " " + person.surname):
        raise ValidationError(_("Enter a name."))
    return _register(
        context,
        person=person,
        organisation=organisation,
        contact_person=contact_person,
        reference=own_reference(reference),
    )


def _register(
    context: AccessContext,
    *,
    person: Person,
    organisation: Organisation,
    contact_person: str,
    reference: str = "",
    case_person: CasePerson | None = None,
) -> Involvement:
    k = keys()
    encoded = encoding.encode_person(k, **person.encode_kwargs())  # type: ignore[arg-type]
    block = sorted(encoded.block_keys)[:PADDED_KEYS]
    block += [encoding.padding_key(k) for _ in range(PADDED_KEYS - len(block))]
    with transaction.atomic():
        involvement = Involvement.objects.create(
            organisation=organisation,
            registered_by_id=context.actor.user_id,
            contact_person=contact_person[:200],
            reference=reference[:50],
            sealed=encoding.seal(k, encoded),
            address_key=address_key(person.postcode, person.house_number),
            expires_at=_new_expiry(),
            case_person=case_person,
        )
        InvolvementKey.objects.bulk_create(
            InvolvementKey(involvement=involvement, key=key) for key in block
        )
        audit_record(
            context=context,
            action=AuditAction.CREATE,
            objects=[involvement],
            purpose="matching: register involvement"
            + (" (case participant)" if case_person else ""),
        )
    return involvement


def person_from_case(case_person: CasePerson) -> Person | None:
    """The registry's view of a case person: the last word of the name as surname (the matcher
    also tries the names swapped), the date or year of birth when it reads as one."""
    words = case_person.name.split()
    if not normalise.name_tokens(case_person.name):
        return None
    born = case_person.date_of_birth.strip()
    day: date | None = None
    year: int | None = None
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            day = datetime.strptime(born, pattern).date()
            break
        except ValueError:
            continue
    if day is None and born.isdecimal() and len(born) == 4:
        year = int(born)
    return Person(
        given_names=" ".join(words[:-1]),
        surname=words[-1],
        date_of_birth=day,
        birth_year=year,
        sex=case_person.sex,
        nationality=case_person.nationality,
    )


def case_register_involvements(*, context: AccessContext, case: Case) -> int:
    """Every named person of the case registered for every participating organisation that sees
    them by name (issue: "case persons are registered automatically"); idempotent. The contact is
    the municipality's reporting point, where the netwerkregisseur keeps the case's overview.
    Called by the cases services after a step the actor may take: by someone who sees the case's
    persons by name, or by the privacy officer correcting a person's data."""
    from schakel.cases.choices import REVEALING_BASES
    from schakel.cases.policies import CaseAction, case_policy
    from schakel.intake.policies import subject_access_policy

    if not (
        case_policy.can(context.actor, CaseAction.SEE_PERSONS, case)
        or subject_access_policy.can(context.actor, Action.CHANGE)
    ):
        raise PermissionDenied

    organisations = list(
        Organisation.objects.filter(
            pk__in=case.participants.filter(legal_basis__in=REVEALING_BASES).values(
                "organisation_id"
            )
        )
    )
    registered = set(
        Involvement.objects.filter(case_person__case=case, ended_at__isnull=True).values_list(
            "case_person_id", "organisation_id"
        )
    )
    municipality = case.municipality
    contact = f"{municipality.reporting_point_name} ({municipality.reporting_point_email})"
    added = 0
    for case_person in case.persons.all():
        person = person_from_case(case_person)
        if person is None:
            continue
        for organisation in organisations:
            if (case_person.pk, organisation.pk) in registered:
                continue
            _register(
                context,
                person=person,
                organisation=organisation,
                contact_person=contact,
                reference=case.reference,
                case_person=case_person,
            )
            added += 1
    return added


def involvement_end(
    *, context: AccessContext, involvement: Involvement, confirmed: bool
) -> Involvement:
    """End a registration: from now on no lookup of another organisation finds this person with
    this organisation. Only when the user confirmed that that is what they want."""
    if not involvement_policy.can(context.actor, Action.CHANGE, involvement):
        raise PermissionDenied
    if not confirmed:
        raise ValidationError(
            _("Confirm that you want to end this registration."), code="unconfirmed"
        )
    if involvement.ended_at is not None:
        raise ValidationError(_("This registration has already been ended."), code="ended")
    with transaction.atomic():
        involvement.ended_at = timezone.now()
        involvement.save(update_fields=["ended_at", "updated_at"])
        audit_record(
            context=context,
            action=AuditAction.CHANGE,
            objects=[involvement],
            fields=["ended_at"],
            purpose="matching: end involvement",
        )
    return involvement


# --- Lookup -----------------------------------------------------------------------------------


class RateLimited(Exception):
    pass


def lookups_per_hour() -> int:
    return throttle.limit("matching-lookup")


def _count_lookup(user_id: int | None) -> None:
    if not throttle.take_for("matching-lookup", f"user:{user_id}"):
        raise RateLimited


@dataclass(frozen=True)
class LookupResult:
    """What the one who looks up learns: hit or not, and how strong. Nothing of the other side."""

    lookup: Lookup
    hit: bool
    strength: str | None = None
    household: bool = False
    hits: list[Hit] = field(default_factory=list)
    weights_version: int = scoring.WEIGHTS.version  # the weights.json the decision used


def _active() -> QuerySet[Involvement]:
    return Involvement.objects.filter(ended_at__isnull=True, expires_at__gt=timezone.now())


def registry_matches(
    k: encoding.Keys, query: encoding.Query, *, organisation: Organisation
) -> tuple[dict[int, scoring.Decision], int]:
    """The registry's answer for one encoded query, for a lookup by `organisation`: the hits
    (registration id -> decision) and the number of registrations it was compared against.
    Reads only. The candidates come from this process's index (index.LIVE, caught up with the
    database first); the database confirms each one is still active and gives its sealed
    encoding; stale ones are dropped from the index."""
    with index.LIVE.lock:
        live = index.LIVE.current(k)
        now = timezone.now().timestamp()
        registrations = live.active_count(exclude_organisation=organisation.pk, now=now)
        rids = live.candidates(
            query.block_keys,
            limit=encoding.MAX_CANDIDATES + SPARE_CANDIDATES,
            exclude_organisation=organisation.pk,
            now=now,
        )
        pks = [int(live.pks[rid]) for rid in rids]
        namesakes = live.namesakes(query) if rids else 0
    sealed = dict(
        _active().exclude(organisation=organisation).filter(pk__in=pks).values_list("pk", "sealed")
    )
    for pk in pks:
        if pk not in sealed:
            with index.LIVE.lock:
                index.LIVE.drop(pk)  # ended or removed since the index learnt of it
    chosen = [(pk, bytes(sealed[pk])) for pk in pks if pk in sealed][: encoding.MAX_CANDIDATES]
    return index.decide_all(k, query, chosen, registrations, namesakes), registrations


def involvement_lookup(
    context: AccessContext,
    *,
    given_names: str,
    surname: str,
    date_of_birth: date | None = None,
    birth_year: int | None = None,
    sex: str = "",
    nationality: str = "",
    postcode: str = "",
    house_number: str = "",
    organisation: Organisation | None = None,
    reference: str = "",
) -> LookupResult:
    if not involvement_policy.can(context.actor, Action.VIEW):
        raise PermissionDenied
    organisation = _organisation(context, organisation)
    reference = own_reference(reference)
    _count_lookup(context.actor.user_id)
    person = Person(
        given_names, surname, date_of_birth, birth_year, sex, nationality, postcode, house_number
    )
    k = keys()
    query = encoding.encode_query(k, **person.encode_kwargs())
    others = _active().exclude(organisation=organisation)
    # The prior: the bar rises with the registry's size (registrations of other organisations).
    matches, registrations = registry_matches(k, query, organisation=organisation)
    found: dict[int, tuple[str, str, bool]] = {
        pk: (decision.band or Strength.POSSIBLE, decision.basis, False)
        for pk, decision in matches.items()
    }
    household = address_key(postcode, house_number)
    if household:
        for pk in others.filter(address_key=household).values_list("pk", flat=True):
            found.setdefault(pk, (Strength.POSSIBLE, HitBasis.HOUSEHOLD, True))
    with transaction.atomic():
        lookup = Lookup.objects.create(
            organisation=organisation,
            user_id=context.actor.user_id,
            hit=bool(found),
            reference=reference,
            needs_full_date=scoring.needs_full_date(query, registrations),
        )
        hits = [
            Hit.objects.create(
                lookup=lookup,
                involvement_id=pk,
                strength=band,
                basis=basis,
                household=is_household,
            )
            for pk, (band, basis, is_household) in found.items()
        ]
        audit_record(
            context=context,
            action=AuditAction.SEARCH,
            objects=[lookup],
            purpose="matching: lookup (" + ("hit" if hits else "no hit") + ")",
        )
        if hits:
            audit_record(
                context=context,
                action=AuditAction.CREATE,
                objects=hits,
                purpose="matching: pending hit",
            )
    strengths = {hit.strength for hit in hits if not hit.household}
    strength = (
        Strength.STRONG if Strength.STRONG in strengths else (Strength.POSSIBLE if hits else None)
    )
    return LookupResult(
        lookup=lookup,
        hit=bool(hits),
        strength=strength,
        household=any(hit.household for hit in hits),
        hits=hits,
        weights_version=scoring.WEIGHTS.version,
    )


def hit_decide(*, context: AccessContext, hit: Hit, confirm: bool) -> Hit:
    """The user says "this could be the same person" (or not). Only a confirmation reveals the
    contact details, and gives both organisations a task."""
    if not hit_policy.can(context.actor, Action.CHANGE, hit):
        raise PermissionDenied
    if hit.status != HitStatus.PENDING:
        raise ValidationError(_("This hit has already been decided."))
    with transaction.atomic():
        hit.status = HitStatus.CONFIRMED if confirm else HitStatus.DISMISSED
        hit.decided_at = timezone.now()
        hit.decided_by_id = context.actor.user_id
        hit.save(update_fields=["status", "decided_at", "decided_by"])
        tasks = _follow_up(hit) if confirm else []
        audit_record(
            context=context,
            action=AuditAction.CHANGE,
            objects=[hit, *tasks],
            fields=["status"],
            purpose="matching: hit " + hit.status,
        )
        if confirm:
            holder_id = hit.involvement.organisation_id
            transaction.on_commit(
                lambda: notifications.hit_confirmed(
                    organisation_id=holder_id, actor_user_id=context.actor.user_id
                )
            )
    return hit


def _follow_up(hit: Hit) -> list[HitTask]:
    """One task for each side per person and pair of organisations: a hit confirmed again (a
    new lookup of the same person) points the existing task at the new hit and opens it again,
    instead of adding a second."""
    seeker = hit.lookup.organisation_id
    holder = hit.involvement.organisation_id
    tasks = []
    for organisation, counterpart, side in (
        (seeker, holder, TaskSide.SEEKER),
        (holder, seeker, TaskSide.HOLDER),
    ):
        task, _created = HitTask.objects.update_or_create(
            involvement_id=hit.involvement_id,
            organisation_id=organisation,
            counterpart_id=counterpart,
            defaults={"hit": hit, "side": side, "status": TaskStatus.OPEN},
        )
        tasks.append(task)
    return tasks


def hit_task_update(*, context: AccessContext, task: HitTask, status: str) -> HitTask:
    if task.organisation_id not in matching_organisations(context.actor):
        raise PermissionDenied
    if status not in TaskStatus.values:
        raise ValidationError(_("Unknown status."))
    with transaction.atomic():
        task.status = status
        task.save(update_fields=["status", "updated_at"])
        audit_record(
            context=context,
            action=AuditAction.CHANGE,
            objects=[task],
            fields=["status"],
            purpose="matching: task status",
        )
    return task

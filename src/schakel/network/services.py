"""Every write to the partner network: the policy first (the entry guard), then the change and
its audit entry in one transaction. Bad input raises ValidationError with a message for the
form; a role that may not raises PermissionDenied; an object out of reach raises NotFound."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.catalogue.models import ExploitationForm
from schakel.core.context import AccessContext
from schakel.core.policies import Action, NotFound
from schakel.core.text import clean_text
from schakel.organisations.models import Municipality, Organisation

from .care_map import CARE_FORMS
from .choices import Audience, CareDomain, RoutePlace, TrainingSector
from .models import (
    MAX_REPEAT_MONTHS,
    MIN_REPEAT_MONTHS,
    CareOffer,
    PartnerProfile,
    TrainingAttendance,
    TrainingSession,
    TrainingSetting,
)
from .policies import care_map_policy, directory_policy, region_of, training_policy


def _audit(context: AccessContext, action: AuditAction, obj: models.Model, purpose: str) -> None:
    audit_record(context=context, action=action, objects=[obj], purpose=purpose)


def _text(value: str, *, max_length: int, label: str, required: bool = False) -> str:
    cleaned = clean_text(value or "")
    if required and not cleaned:
        raise ValidationError(_("Fill in the %(field)s.") % {"field": label}, code="empty")
    if len(cleaned) > max_length:
        raise ValidationError(
            _("Write the %(field)s in at most %(count)s characters.")
            % {"field": label, "count": max_length},
            code="too_long",
        )
    return cleaned


def _choice(value: str, choices: type[models.TextChoices], message: str) -> str:
    if value not in choices.values:
        raise ValidationError(message, code="choice")
    return value


# --- The directory ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileInput:
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    af_name: str = ""
    af_email: str = ""
    route_place: str = RoutePlace.NONE
    role_in_approach: str = ""
    staff_count: int | None = None
    is_subsidised: bool = False
    expertgroep_member: bool = False


@transaction.atomic
def partner_profile_update(
    *, context: AccessContext, organisation_id: int, data: ProfileInput
) -> PartnerProfile:
    """The functional administrator writes what the directory says of an organisation of the
    region (made on first writing)."""
    if not directory_policy.can(context.actor, Action.CHANGE):
        raise PermissionDenied
    organisation = directory_policy.organisations_visible(context.actor).filter(pk=organisation_id)
    if not organisation.exists():
        raise NotFound
    if data.staff_count is not None and data.staff_count < 1:
        raise ValidationError(_("Give the number of staff as 1 or more, or leave it empty."))
    values = {
        "contact_name": _text(data.contact_name, max_length=120, label=_("contact person")),
        "contact_phone": _text(data.contact_phone, max_length=30, label=_("contact phone")),
        "contact_email": _text(data.contact_email, max_length=254, label=_("contact email")),
        "af_name": _text(data.af_name, max_length=120, label=_("aandachtsfunctionaris")),
        "af_email": _text(data.af_email, max_length=254, label=_("email of the AF")),
        "route_place": _choice(
            data.route_place, RoutePlace, _("Choose the place in the reporting route.")
        ),
        "role_in_approach": clean_text(data.role_in_approach or ""),
        "staff_count": data.staff_count,
        "is_subsidised": data.is_subsidised,
        "expertgroep_member": data.expertgroep_member,
        "updated_by_id": context.user_id(),
    }
    profile, created = PartnerProfile.objects.select_for_update().get_or_create(
        organisation_id=organisation_id, defaults=values
    )
    if not created:
        for name, value in values.items():
            setattr(profile, name, value)
        profile.save()
    _audit(
        context,
        AuditAction.CREATE if created else AuditAction.CHANGE,
        profile,
        "partner profile written",
    )
    return profile


# --- Trainings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionInput:
    held_on: date
    title: str
    audience: str
    sector: str
    attendances: Sequence[tuple[int, int]]  # (organisation id, participants)
    trainer_organisation_id: int | None = None
    trainer_name: str = ""
    reporting_route_presented: bool = False
    notes: str = ""


def _keeping(context: AccessContext) -> Municipality:
    municipality_id = training_policy.keeping_municipality(context.actor)
    if municipality_id is None:
        raise PermissionDenied
    return Municipality.objects.get(pk=municipality_id)


def _session_values(municipality: Municipality, data: SessionInput) -> dict[str, object]:
    errors: list[ValidationError] = []

    def check(step: object) -> object:
        try:
            return step() if callable(step) else step
        except ValidationError as error:
            errors.append(error)
            return None

    if data.held_on > timezone.localdate():
        errors.append(
            ValidationError(
                _("A training is recorded once it was held: not a date in the future."),
                code="future",
            )
        )
    title = check(lambda: _text(data.title, max_length=200, label=_("title"), required=True))
    check(lambda: _choice(data.audience, Audience, _("Choose the audience.")))
    check(lambda: _choice(data.sector, TrainingSector, _("Choose the sector.")))
    trainer_name = check(lambda: _text(data.trainer_name, max_length=200, label=_("trainer")))
    in_region = Organisation.objects.filter(region_id=municipality.region_id, is_active=True)
    if (
        data.trainer_organisation_id is not None
        and not in_region.filter(pk=data.trainer_organisation_id).exists()
    ):
        errors.append(
            ValidationError(_("Choose a trainer organisation of the region."), code="trainer")
        )
    if data.trainer_organisation_id is None and not trainer_name:
        errors.append(
            ValidationError(
                _("Say who gave the training: an organisation or a name."), code="trainer"
            )
        )
    attendances = list(data.attendances)
    if not attendances:
        errors.append(
            ValidationError(_("Add at least one organisation that attended."), code="attendance")
        )
    ids = [organisation for organisation, _n in attendances]
    if len(set(ids)) != len(ids):
        errors.append(ValidationError(_("Name each organisation once."), code="attendance"))
    if any(n < 1 for _o, n in attendances):
        errors.append(
            ValidationError(
                _("Give at least 1 participant for each organisation."), code="participants"
            )
        )
    if set(ids) - set(in_region.filter(pk__in=ids).values_list("pk", flat=True)):
        errors.append(
            ValidationError(
                _("Only organisations of the region can attend a training recorded here."),
                code="region",
            )
        )
    if errors:
        raise ValidationError(errors)
    return {
        "held_on": data.held_on,
        "title": title,
        "audience": data.audience,
        "sector": data.sector,
        "trainer_organisation_id": data.trainer_organisation_id,
        "trainer_name": trainer_name,
        "reporting_route_presented": data.reporting_route_presented,
        "notes": clean_text(data.notes or ""),
    }


def _attend(session: TrainingSession, attendances: Sequence[tuple[int, int]]) -> None:
    session.attendances.all().delete()
    TrainingAttendance.objects.bulk_create(
        TrainingAttendance(session=session, organisation_id=o, participants=n)
        for o, n in attendances
    )


@transaction.atomic
def training_session_record(*, context: AccessContext, data: SessionInput) -> TrainingSession:
    """A training held in the recorder's municipality, with the organisations that attended."""
    municipality = _keeping(context)
    values = _session_values(municipality, data)
    session = TrainingSession.objects.create(
        municipality=municipality, recorded_by_id=context.user_id(), **values
    )
    _attend(session, data.attendances)
    _audit(context, AuditAction.CREATE, session, "training recorded")
    return session


@transaction.atomic
def training_session_update(
    *, context: AccessContext, session_id: int, data: SessionInput
) -> TrainingSession:
    municipality = _keeping(context)
    try:
        session = training_policy.visible_to(context.actor).select_for_update().get(pk=session_id)
    except TrainingSession.DoesNotExist:
        raise NotFound from None
    if not training_policy.can(context.actor, Action.CHANGE, session):
        raise PermissionDenied
    for name, value in _session_values(municipality, data).items():
        setattr(session, name, value)
    session.save()
    _attend(session, data.attendances)
    _audit(context, AuditAction.CHANGE, session, "training changed")
    return session


@transaction.atomic
def training_interval_set(*, context: AccessContext, months: int) -> TrainingSetting:
    """How many months a training counts in the keeper's municipality."""
    municipality = _keeping(context)
    if not MIN_REPEAT_MONTHS <= months <= MAX_REPEAT_MONTHS:
        raise ValidationError(
            _("Repeat a training after %(min)s to %(max)s months.")
            % {"min": MIN_REPEAT_MONTHS, "max": MAX_REPEAT_MONTHS},
            code="interval",
        )
    setting, _created = TrainingSetting.objects.select_for_update().update_or_create(
        municipality=municipality, defaults={"repeat_after_months": months}
    )
    _audit(context, AuditAction.CHANGE, setting, "training interval set")
    return setting


# --- The care map -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CareOfferInput:
    title: str
    domain: str
    form_codes: Sequence[str]
    provider_id: int | None = None
    provider_name: str = ""
    for_adults: bool = False
    for_minors: bool = False
    for_dutch: bool = False
    for_eu: bool = False
    for_non_eu: bool = False
    description: str = ""
    contact: str = ""
    is_active: bool = True


def _offer_values(
    region_id: int, data: CareOfferInput
) -> tuple[dict[str, object], list[ExploitationForm]]:
    errors: list[ValidationError] = []
    try:
        title = _text(data.title, max_length=200, label=_("offer"), required=True)
    except ValidationError as error:
        errors.append(error)
        title = ""
    if data.domain not in CareDomain.values:
        errors.append(ValidationError(_("Choose the domain of care."), code="domain"))
    provider_name = clean_text(data.provider_name or "")[:200]
    if (
        data.provider_id is not None
        and not Organisation.objects.filter(pk=data.provider_id, region_id=region_id).exists()
    ):
        errors.append(ValidationError(_("Choose a provider of the region."), code="provider"))
    if data.provider_id is None and not provider_name:
        errors.append(
            ValidationError(_("Say who offers it: an organisation or a name."), code="provider")
        )
    if not (data.for_adults or data.for_minors):
        errors.append(
            ValidationError(_("Say whether it is for adults, minors or both."), code="age")
        )
    if not (data.for_dutch or data.for_eu or data.for_non_eu):
        errors.append(ValidationError(_("Say for which nationalities it is."), code="origin"))
    codes = set(data.form_codes)
    if not codes or codes - set(CARE_FORMS):
        errors.append(
            ValidationError(_("Choose the forms of exploitation it is for."), code="forms")
        )
    if errors:
        raise ValidationError(errors)
    values: dict[str, object] = {
        "title": title,
        "domain": data.domain,
        "provider_id": data.provider_id,
        "provider_name": provider_name,
        "for_adults": data.for_adults,
        "for_minors": data.for_minors,
        "for_dutch": data.for_dutch,
        "for_eu": data.for_eu,
        "for_non_eu": data.for_non_eu,
        "description": clean_text(data.description or ""),
        "contact": clean_text(data.contact or "")[:200],
        "is_active": data.is_active,
    }
    return values, list(ExploitationForm.objects.filter(code__in=codes))


@transaction.atomic
def care_offer_add(*, context: AccessContext, data: CareOfferInput) -> CareOffer:
    """An offer of the care map of the keeper's region."""
    region = region_of(context.actor)
    if not care_map_policy.can(context.actor, Action.CREATE) or region is None:
        raise PermissionDenied
    values, forms = _offer_values(region, data)
    offer = CareOffer.objects.create(region_id=region, updated_by_id=context.user_id(), **values)
    offer.exploitation_forms.set(forms)
    _audit(context, AuditAction.CREATE, offer, "care offer added")
    return offer


@transaction.atomic
def care_offer_update(*, context: AccessContext, offer_id: int, data: CareOfferInput) -> CareOffer:
    """Change an offer; `is_active` False deactivates it (it stays, out of the map's coverage)."""
    try:
        offer = care_map_policy.visible_to(context.actor).select_for_update().get(pk=offer_id)
    except CareOffer.DoesNotExist:
        raise NotFound from None
    if not care_map_policy.can(context.actor, Action.CHANGE, offer):
        raise PermissionDenied
    was_active = offer.is_active
    values, forms = _offer_values(offer.region_id, data)
    for name, value in values.items():
        setattr(offer, name, value)
    offer.updated_by_id = context.user_id()
    offer.save()
    offer.exploitation_forms.set(forms)
    purpose = (
        "care offer deactivated" if was_active and not offer.is_active else "care offer changed"
    )
    _audit(context, AuditAction.CHANGE, offer, purpose)
    return offer

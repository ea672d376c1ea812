"""Every write to signals goes through here."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from schakel.audit.choices import AuditAction
from schakel.audit.services import audit_record
from schakel.catalogue.choices import RECORDED_KINDS, ExploitationFormCode
from schakel.catalogue.models import ExploitationForm, Indicator
from schakel.core.calendar import working_days_between
from schakel.core.context import AccessContext
from schakel.core.crypto import blind_index
from schakel.core.policies import Action
from schakel.core.text import clean_text, has_reason, reason_text
from schakel.organisations.models import Municipality, Organisation
from schakel.organisations.roles import Capability, roles_with

from . import attachments
from .addresses import address_keys, parse_place, postcode_key, town_key
from .choices import (
    ENTRY_POINT_BY_ROLE,
    FIRST_JUDGEMENTS_BY_ENTRY_POINT,
    CloseReason,
    EnrichmentKind,
    EntryPoint,
    LinkBasis,
    PersonRole,
    ReporterSector,
    Routing,
    SignalEventKind,
    SignalStatus,
)
from .codes import REFERENCE_ALPHABET, hash_feedback_code, new_feedback_code
from .models import (
    Signal,
    SignalAddressKey,
    SignalAttachment,
    SignalEvent,
    SignalLink,
    SignalPerson,
)
from .nationality import nationality_code
from .pii import (
    DESCRIPTION_MESSAGE,
    FEEDBACK_MESSAGE,
    PERSON_NAME,
    PLACE_MESSAGE,
    mentions_a_name,
    refuse_personal_data,
)
from .policies import SignalAction, signal_access, signal_policy, subject_access_policy
from .selectors import same_address
from .workflow import TransitionRefused, check_transition, guard_close, guard_route


@dataclass(frozen=True)
class PersonInput:
    """Someone the signal is about, as the reporter describes them."""

    role: str
    sex: str = ""
    approximate_age: int | None = None
    nationality: str = ""  # the language or other details; the country is read from it when
    nationality_country: str | None = None  # … no country was chosen (None: an older caller)
    appearance: str = ""
    name: str = ""  # identifying: only reporters entitled to it (Capability.NAME_PERSONS)
    date_of_birth: str = ""  # identifying, as above; a date or a year


@dataclass(frozen=True)
class SignalDetails:
    """What may come with a report besides its text: persons, ticked indicators, files."""

    persons: tuple[PersonInput, ...] = ()
    indicator_codes: tuple[str, ...] = ()
    attachments: tuple[UploadedFile[bytes], ...] = ()


@dataclass(frozen=True)
class SignalReport:
    organisation_id: int
    role: str
    municipality_id: int
    description: str
    place: str
    exploitation_form_codes: tuple[str, ...]
    observed_on: date
    submission_token: uuid.UUID
    first_judgement: str = ""  # police and care entry points only
    details: SignalDetails = SignalDetails()


@dataclass(frozen=True)
class PublicSignalReport:
    """A report through the public form: no account, no organisation, no personal data."""

    municipality_id: int
    sector: str  # a ReporterSector value, or "" when the reporter did not say
    description: str
    place: str
    exploitation_form_codes: tuple[str, ...]
    observed_on: date
    submission_token: uuid.UUID
    indicator_codes: tuple[str, ...] = ()


def new_reference(year: int) -> str:
    """A reference that is short to read out and reveals neither order nor volume."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"MH-{year}-{code}"


def reporting_municipalities(organisation: Organisation) -> list[Municipality]:
    """A local organisation reports to its own municipality; a regional one to any in its region."""
    if organisation.municipality_id is not None:
        return [organisation.municipality]  # type: ignore[list-item]
    return list(organisation.region.municipalities.all())


def _check_report(context: AccessContext, report: SignalReport) -> Organisation:
    actor = context.actor
    if report.role not in roles_with(Capability.REPORT) or report.organisation_id not in (
        actor.organisations_where(report.role)
    ):
        raise PermissionDenied
    organisation = Organisation.objects.select_related("region").get(pk=report.organisation_id)
    if report.municipality_id not in {m.pk for m in reporting_municipalities(organisation)}:
        raise PermissionDenied
    _check_forms_and_date(report.exploitation_form_codes, report.observed_on)
    return organisation


def _check_forms_and_date(form_codes: tuple[str, ...], observed_on: date) -> None:
    codes = set(form_codes)
    if not codes or not codes <= set(ExploitationFormCode.values):
        raise ValidationError(_("Choose at least one form of exploitation, or 'unknown'."))
    if ExploitationFormCode.UNKNOWN in codes and len(codes) > 1:
        raise ValidationError(_("'Unknown' cannot be combined with other forms."))
    if observed_on > timezone.localdate():
        raise ValidationError(_("The date observed cannot be in the future."))


def signal_report(*, context: AccessContext, report: SignalReport) -> Signal:
    """Store a new signal. Submitting the same form twice returns the signal stored the first
    time; the signal is committed before this returns, so an acknowledged signal is never lost."""
    if not signal_policy.can(context.actor, Action.CREATE):
        raise PermissionDenied
    existing = _existing_submission(context, report.submission_token)
    if existing is not None:
        return existing
    organisation = _check_report(context, report)
    entry_point = ENTRY_POINT_BY_ROLE[report.role]
    if report.first_judgement and report.first_judgement not in (
        FIRST_JUDGEMENTS_BY_ENTRY_POINT.get(entry_point, ())
    ):
        raise ValidationError(_("This first judgement does not fit your role."))
    _check_details(report.role, report.details)
    signal, _created = _insert_signal(
        context=context,
        details=report.details,
        find_existing=lambda: _existing_submission(context, report.submission_token),
        exploitation_form_codes=report.exploitation_form_codes,
        audited_fields=None,
        purpose="report signal",
        municipality_id=report.municipality_id,
        entry_point=entry_point,
        first_judgement=report.first_judgement,
        reporter_id=context.actor.user_id,
        reporter_organisation=organisation,
        description=report.description,
        place=report.place,
        observed_on=report.observed_on,
        submission_token=report.submission_token,
    )
    return signal


# What a public reporter enters; recorded as the fields of the creation's audit entry.
PUBLIC_REPORT_FIELDS = frozenset(
    {"municipality", "reporter_sector", "observed_on", "place", "exploitation_forms", "description"}
)


def signal_report_public(
    *, context: AccessContext, report: PublicSignalReport
) -> tuple[Signal, str | None]:
    """Store a report from the public form, open to anyone (the view adds the rate limit and the
    spam guard). The reporter stays anonymous: no user, no organisation. Returns the signal and
    its feedback code, which exists only here: Schakel keeps a hash. Submitting the same form
    twice returns the first signal and no code (None): it was shown the first time."""
    existing = _existing_public_submission(report.submission_token)
    if existing is not None:
        return existing, None
    _check_public_report(report)
    code = new_feedback_code()
    citizen = report.sector in ("", ReporterSector.GENERAL_PUBLIC)
    details = SignalDetails(indicator_codes=report.indicator_codes)
    _check_details(ReporterSector.GENERAL_PUBLIC, details)
    signal, created = _insert_signal(
        context=context,
        details=details,
        find_existing=lambda: _existing_public_submission(report.submission_token),
        exploitation_form_codes=report.exploitation_form_codes,
        audited_fields=PUBLIC_REPORT_FIELDS,
        purpose="public report",
        municipality_id=report.municipality_id,
        entry_point=EntryPoint.PUBLIC if citizen else EntryPoint.PARTNER,
        reporter_sector=report.sector,
        description=report.description,
        place=report.place,
        observed_on=report.observed_on,
        submission_token=report.submission_token,
        feedback_code=code,
    )
    return signal, code if created else None


def _check_public_report(report: PublicSignalReport) -> None:
    if not Municipality.objects.filter(pk=report.municipality_id).exists():
        raise ValidationError(_("Choose the municipality where you saw it."))
    if report.sector and report.sector not in ReporterSector.values:
        raise ValidationError(_("Choose a sector from the list."))
    _check_forms_and_date(report.exploitation_form_codes, report.observed_on)
    errors: dict[str, ValidationError] = {}
    for field, text, message in (
        ("description", report.description, DESCRIPTION_MESSAGE),
        ("place", report.place, PLACE_MESSAGE),
    ):
        try:
            refuse_personal_data(text, message)
        except ValidationError as error:
            errors[field] = error
    if errors:
        raise ValidationError(errors)


def _check_details(role: str, details: SignalDetails) -> None:
    """Persons only with the fields the reporter may enter; known indicators; real files."""
    if any(p.role not in PersonRole.values for p in details.persons):
        raise ValidationError(_("Choose the role of each person."))
    if role not in roles_with(Capability.NAME_PERSONS) and any(
        p.name or p.date_of_birth for p in details.persons
    ):
        raise PermissionDenied
    known = set(
        Indicator.objects.filter(code__in=details.indicator_codes, is_active=True).values_list(
            "code", flat=True
        )
    )
    if known != set(details.indicator_codes):
        raise ValidationError(_("One of the ticked indicators does not exist (any more)."))
    if len(details.attachments) > attachments.max_files():
        raise ValidationError(
            _("Send at most %(count)s files with one report.") % {"count": attachments.max_files()}
        )
    for upload in details.attachments:
        attachments.checked(upload)


def _store_details(signal: Signal, details: SignalDetails) -> list[str]:
    """Write the persons, indicators and files of a new signal; return the stored file names,
    so that they can be removed again if the transaction fails."""
    signal.indicators.set(Indicator.objects.filter(code__in=details.indicator_codes))
    for person in details.persons:
        SignalPerson.objects.create(
            signal=signal,
            role=person.role,
            sex=person.sex,
            approximate_age=person.approximate_age,
            nationality_country=nationality_code(person.nationality_country, person.nationality),
            nationality=person.nationality,
            appearance=person.appearance,
            name=person.name,
            name_index=blind_index(person.name, purpose="person-name") if person.name else "",
            date_of_birth=person.date_of_birth,
        )
    stored: list[str] = []
    for upload in details.attachments:
        stored_file = attachments.checked(upload)  # what is stored: a photo re-encoded
        attachment = SignalAttachment(
            signal=signal,
            original_name=upload.name or "",
            content_type=stored_file.content_type or "",
            size=stored_file.size or 0,
            sha256=attachments.sha256_of(stored_file),
        )
        attachment.file.save("upload", stored_file, save=False)
        stored.append(str(attachment.file.name))
        attachment.save()
    return stored


def index_address(signal: Signal) -> None:
    """Index the signal's place when it is an address (keyed hashes only, intake/addresses.py)."""
    address = parse_place(signal.place)
    if address is None:
        return
    town, postcode = town_key(address), postcode_key(address)
    SignalAddressKey.objects.bulk_create(
        SignalAddressKey(signal=signal, key=key, town=town, postcode=postcode)
        for key in address_keys(address)
    )


def _insert_signal(
    *,
    context: AccessContext,
    details: SignalDetails,
    find_existing: Callable[[], Signal | None],
    exploitation_form_codes: tuple[str, ...],
    audited_fields: frozenset[str] | None,
    purpose: str,
    feedback_code: str = "",
    **values: Any,
) -> tuple[Signal, bool]:
    """Insert the signal, its forms and its audit entry in one transaction, under a fresh
    reference. Returns (signal, created); not created when a concurrent request stored the
    same form first. `audited_fields` None: the fields the policy lets the actor see. A
    `feedback_code` is stored as its keyed hash, bound to the reference."""
    now = timezone.now()
    for _attempt in range(5):
        stored: list[str] = []
        reference = new_reference(timezone.localtime(now).year)
        if feedback_code:
            values["feedback_code_hash"] = hash_feedback_code(feedback_code, reference=reference)
        try:
            with transaction.atomic():
                signal = Signal.objects.create(reference=reference, reported_at=now, **values)
                signal.exploitation_forms.set(
                    ExploitationForm.objects.filter(code__in=exploitation_form_codes)
                )
                stored = _store_details(signal, details)
                index_address(signal)
                if audited_fields is None:
                    audited_fields = signal_policy.fields(context.actor, signal)
                audit_record(
                    context=context,
                    action=AuditAction.CREATE,
                    objects=[signal],
                    fields=audited_fields,
                    purpose=purpose,
                    subjects=signal.persons.all(),
                )
            return signal, True
        except IntegrityError:
            # Either the same form was submitted concurrently or the reference collided.
            attachments.delete_files(stored)
            existing = find_existing()
            if existing is not None:
                return existing, False
        except BaseException:
            attachments.delete_files(stored)
            raise
    raise RuntimeError("Could not allocate a unique signal reference")


def _existing_submission(context: AccessContext, token: uuid.UUID) -> Signal | None:
    signal = Signal.objects.filter(submission_token=token).first()
    if signal is not None and signal.reporter_id != context.actor.user_id:
        raise PermissionDenied
    return signal


def _existing_public_submission(token: uuid.UUID) -> Signal | None:
    """A public form's token answers only with a public report: it never reveals the reference
    of a signal reported by someone logged in."""
    signal = Signal.objects.filter(submission_token=token).first()
    if signal is not None and not signal.feedback_code_hash:
        raise PermissionDenied
    return signal


# --- Handling by the reporting point (the AF's step plan) ---------------------------------------


def _log(
    context: AccessContext, signal: Signal, kind: SignalEventKind, text: str = "", **parameters: Any
) -> SignalEvent:
    """The step on the signal's history, with the codes and ids it concerns (rendered when
    read, intake/events.py) and only what a person typed as text; and its audit entry."""
    audit_record(
        context=context,
        action=AuditAction.CHANGE,
        objects=[signal],
        fields=("status", "events"),
        purpose=f"signal {kind}",
        subjects=signal.persons.all(),
    )
    return SignalEvent.objects.create(
        signal=signal,
        kind=kind,
        parameters=parameters,
        actor_id=context.actor.user_id,
        organisation_id=context.actor.organisation_id,
        text=text,
    )


def days_since_report(signal: Signal, at: datetime) -> int:
    """Working days from the day of the report to the day of `at`, in local time."""
    return working_days_between(timezone.localdate(signal.reported_at), timezone.localdate(at))


def _move(signal: Signal, target: SignalStatus, **fields: Any) -> None:
    check_transition(signal.status, target)
    signal.status = target
    for name, value in fields.items():
        setattr(signal, name, value)
    signal.save(update_fields=["status", "updated_at", *fields])


def _pick_up(context: AccessContext, signal: Signal) -> None:
    if signal.status == SignalStatus.NEW:
        now = timezone.now()
        _move(
            signal,
            SignalStatus.IN_PROGRESS,
            picked_up_at=now,
            days_to_pickup=days_since_report(signal, now),
        )
        _log(context, signal, SignalEventKind.PICKED_UP)


@transaction.atomic
def signal_pick_up(*, context: AccessContext, signal: Signal) -> Signal:
    """Step 1: the AF takes the signal on; the first-action deadline is met."""
    signal = signal_access(context, signal, SignalAction.PICK_UP, lock=True)
    _pick_up(context, signal)
    return signal


@transaction.atomic
def signal_enrich(*, context: AccessContext, signal: Signal, kind: str, text: str) -> Signal:
    """Step 2: add what the AF found out (sources, address facts, earlier sanctions)."""
    if kind not in EnrichmentKind.values or not text.strip():
        raise ValidationError(_("Choose what you add and describe it."))
    signal = signal_access(context, signal, SignalAction.ENRICH, lock=True)
    _pick_up(context, signal)
    _log(context, signal, SignalEventKind.ENRICHED, text.strip(), enrichment=kind)
    return signal


@transaction.atomic
def signal_add_indicators(
    *, context: AccessContext, signal: Signal, indicator_codes: tuple[str, ...]
) -> Signal:
    """Step 2 too: indicators the AF found while enriching. They count with the reporter's in
    the assessment and are shown apart, as the reporting point's; one already recorded on the
    signal is not added twice, and a question to ask is guidance, not an indicator."""
    signal = signal_access(context, signal, SignalAction.ENRICH, lock=True)
    recorded = set(signal.indicators.values_list("pk", flat=True)) | set(
        signal.added_indicators.values_list("pk", flat=True)
    )
    indicators = list(
        Indicator.objects.filter(
            code__in=set(indicator_codes), is_active=True, kind__in=RECORDED_KINDS
        ).exclude(pk__in=recorded)
    )
    if not indicators:
        raise ValidationError(_("Tick at least one indicator that is not recorded yet."))
    _pick_up(context, signal)
    signal.added_indicators.add(*indicators)
    _log(
        context,
        signal,
        SignalEventKind.INDICATORS_ADDED,
        indicators=sorted(indicator.code for indicator in indicators),
    )
    return signal


@transaction.atomic
def signal_link(
    *,
    context: AccessContext,
    signal: Signal,
    other: Signal,
    basis: str = LinkBasis.SAME_ADDRESS,
    reason: str = "",
) -> Signal:
    """Link another signal of the AF's own on the same address, premises or people.

    "Same address" needs no reason when the address index finds both signals at one address
    (the system proved it); every other basis, and an address the index does not confirm,
    needs the AF's reason."""
    if basis not in LinkBasis.values:
        raise ValidationError(_("Choose why these signals belong together."))
    signal = signal_access(context, signal, SignalAction.LINK, lock=True)
    other = signal_access(context, other, SignalAction.VIEW)
    if other.pk == signal.pk or not signal_policy.receives(context.actor, other):
        raise PermissionDenied
    proven = basis == LinkBasis.SAME_ADDRESS and same_address(signal, other)
    if not proven:
        reason = reason_text(reason, message=_("Say why these signals belong together."))
    reason = reason.strip()[:300]
    if SignalLink.objects.filter(
        Q(signal=signal, linked=other) | Q(signal=other, linked=signal)
    ).exists():
        return signal
    SignalLink.objects.create(signal=signal, linked=other, basis=basis, reason=reason)
    _log(context, signal, SignalEventKind.LINKED, reason, linked=other.reference, basis=basis)
    return signal


@transaction.atomic
def signal_route(
    *, context: AccessContext, signal: Signal, destination: str, reason: str
) -> Signal:
    """Step 3: pass the signal to the case meeting, the PCT or Veilig Thuis."""
    if destination not in Routing.values:
        raise ValidationError(_("Choose where the signal goes."))
    signal = signal_access(context, signal, SignalAction.ROUTE, lock=True)
    _pick_up(context, signal)
    guard_route(
        destination=destination,
        form_codes=set(signal.exploitation_forms.values_list("code", flat=True)),
    )
    now = timezone.now()
    _move(
        signal,
        SignalStatus.ROUTED,
        routing=destination,
        routed_at=now,
        days_to_routing=days_since_report(signal, now),
    )
    _log(context, signal, SignalEventKind.ROUTED, reason.strip(), destination=destination)
    return signal


@transaction.atomic
def signal_record_triage(
    *,
    context: AccessContext,
    signal: Signal,
    decision: str,
    meeting: int,
    deviates: bool = False,
    deviation_reason: str = "",
) -> Signal:
    """The case meeting's decision on a routed signal, on the signal's own timeline: the
    decision's code (the meetings app renders it), the meeting, and why it deviates from the
    assessment framework's advice when it does."""
    signal = signal_access(context, signal, SignalAction.RECORD_TRIAGE, lock=True)
    if signal.routing != Routing.CASE_MEETING:
        raise TransitionRefused(_("Only a signal routed to the case meeting is triaged there."))
    _log(
        context,
        signal,
        SignalEventKind.TRIAGED,
        deviation_reason if deviates else "",
        decision=decision,
        meeting=meeting,
        deviates=deviates,
    )
    return signal


# The reporters who read feedback without being entitled to personal data: a citizen (the public
# form) and a secondary partner (a partner reporter, who may name nobody, or a sector reporting
# through the public form). A signal's entry point records which reporter it was when it came in;
# the card is no guide, as the care card, though 'situation only', also guides Veilig Thuis.
FEEDBACK_WITHOUT_PERSONAL_DATA = frozenset({EntryPoint.PUBLIC, EntryPoint.PARTNER})


def _refuse_personal_data_in_feedback(signal: Signal, feedback: str) -> None:
    """Refuse feedback for such a reporter that contains a phone number, an e-mail address, a
    BSN or an IBAN (the reporting point's own number and mailbox excepted) or the name of a
    person in the signal or in a signal linked to it: the AF knows those names, the reporter may
    not learn them. The message says what kind was found, never what."""
    municipality = signal.municipality
    refuse_personal_data(
        feedback,
        FEEDBACK_MESSAGE,
        allowed=(municipality.reporting_point_phone, municipality.reporting_point_email),
    )
    persons = SignalPerson.objects.filter(
        Q(signal=signal) | Q(signal__links_in__signal=signal) | Q(signal__links_out__linked=signal)
    )
    if mentions_a_name(feedback, persons.distinct().values_list("name", flat=True)):
        raise ValidationError(FEEDBACK_MESSAGE, code="personal_data", params={"kind": PERSON_NAME})


@transaction.atomic
def signal_give_feedback(
    *, context: AccessContext, signal: Signal, feedback: str = "", withheld_reason: str = ""
) -> Signal:
    """Step 5: tell the reporter what was done, or record why that cannot be said (for example
    a criminal investigation). A logged-in reporter gets an e-mail that feedback is waiting,
    without its content: mailboxes are not always private. Feedback for a citizen or a secondary
    partner carries no personal data (`_refuse_personal_data_in_feedback`); the reason it is
    withheld is not checked: only the reporting point reads it, the reporter is told no more than
    that feedback cannot be given."""
    signal = signal_access(context, signal, SignalAction.GIVE_FEEDBACK, lock=True)
    # Invisible characters are neither feedback nor a reason: the deadline is not met by them.
    feedback, withheld_reason = clean_text(feedback), clean_text(withheld_reason)
    if bool(feedback) == bool(withheld_reason) or not has_reason(feedback or withheld_reason):
        raise ValidationError(
            _("Write the feedback, or the reason why no feedback can be given (not both).")
        )
    if feedback and signal.entry_point in FEEDBACK_WITHOUT_PERSONAL_DATA:
        _refuse_personal_data_in_feedback(signal, feedback)
    signal.feedback, signal.feedback_withheld_reason = feedback, withheld_reason
    signal.feedback_at = timezone.now()
    signal.days_to_feedback = days_since_report(signal, signal.feedback_at)
    signal.save(
        update_fields=[
            "feedback",
            "feedback_withheld_reason",
            "feedback_at",
            "days_to_feedback",
            "updated_at",
        ]
    )
    if feedback:
        _log(context, signal, SignalEventKind.FEEDBACK_GIVEN, feedback)
        transaction.on_commit(lambda: notify_reporter_of_feedback(signal_id=signal.pk))
    else:
        _log(context, signal, SignalEventKind.FEEDBACK_WITHHELD, withheld_reason)
    return signal


@transaction.atomic
def signal_close(
    *, context: AccessContext, signal: Signal, reason: str, explanation: str = ""
) -> Signal:
    """Close the signal, never before feedback to the reporter is recorded."""
    if reason not in CloseReason.values:
        raise ValidationError(_("Choose why the signal is closed."))
    signal = signal_access(context, signal, SignalAction.CLOSE, lock=True)
    guard_close(
        feedback_recorded=signal.feedback_at is not None, reason=reason, explanation=explanation
    )
    _move(signal, SignalStatus.CLOSED, close_reason=reason, closed_at=timezone.now())
    _log(context, signal, SignalEventKind.CLOSED, explanation.strip(), reason=reason)
    return signal


def notify_reporter_of_feedback(*, signal_id: int) -> None:
    signal = Signal.objects.select_related("reporter", "municipality").get(pk=signal_id)
    reporter = signal.reporter
    if reporter is None or not reporter.email:
        return  # public reporters read feedback on the code-protected page only
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Feedback on your report %(reference)s") % {"reference": signal.reference}
        body = _(
            "The reporting point of %(municipality)s has given feedback on your report "
            "%(reference)s. Log in to Schakel and open 'My reports' to read it."
        ) % {"municipality": signal.municipality, "reference": signal.reference}
    send_mail(subject, body, None, [reporter.email])


# --- Correction (AVG art. 16) -----------------------------------------------------------------

CORRECTABLE_PERSON_FIELDS = (
    "name",
    "date_of_birth",
    "sex",
    "approximate_age",
    "nationality_country",
    "nationality",
    "appearance",
)


@transaction.atomic
def signal_person_correct(
    *, context: AccessContext, person: SignalPerson, changes: dict[str, Any], reason: str
) -> SignalPerson:
    """Correct what is recorded about a person, at their request, with the reason kept in the
    audit trail (the old values are not kept: the point of a correction is that they go)."""
    if not subject_access_policy.can(context.actor, Action.CHANGE, person):
        raise PermissionDenied
    reason = reason_text(reason, message=_("Give the reason for the correction."))
    unknown = set(changes) - set(CORRECTABLE_PERSON_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be corrected here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    if "nationality_country" in changes:
        changes = {
            **changes,
            "nationality_country": nationality_code(changes["nationality_country"]),
        }
    person = SignalPerson.objects.select_for_update().get(pk=person.pk)
    changed = [name for name, value in changes.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, changes[name])
    if "name" in changed:
        person.name_index = blind_index(person.name, purpose="person-name") if person.name else ""
    person.save()
    audit_record(
        context=context,
        action=AuditAction.CHANGE,
        objects=[person],
        fields=changed,
        purpose=f"correction (AVG art. 16): {reason.strip()}"[:200],
        subjects=[person],
    )
    return person

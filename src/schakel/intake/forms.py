from __future__ import annotations

import copy
import json
import time
import uuid
from dataclasses import replace
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.forms.utils import ErrorDict
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from schakel.catalogue.cards import CARD_SECTORS, card_for, card_groups, checklist_for
from schakel.catalogue.choices import ExploitationFormCode
from schakel.catalogue.models import Indicator
from schakel.core.filters import ListFilterForm
from schakel.core.forms import DutchDateField
from schakel.intake.nationality import details_field, nationality_field
from schakel.organisations.models import Membership, Municipality
from schakel.organisations.roles import Capability, roles_with

from . import attachments
from .cards import card_code_for, card_for_reporter_sector
from .choices import (
    ENTRY_POINT_BY_ROLE,
    FIRST_JUDGEMENTS_BY_ENTRY_POINT,
    EntryPoint,
    FirstJudgement,
    PersonRole,
    ReporterSector,
    Sex,
    SignalStatus,
)
from .pii import DESCRIPTION_MESSAGE, PLACE_MESSAGE, refuse_personal_data
from .selectors import MY_SIGNALS_SORTING, QUEUE_SORTING, DeadlineFilter, SignalQuery
from .services import (
    PersonInput,
    PublicSignalReport,
    SignalDetails,
    SignalReport,
    reporting_municipalities,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input; each is checked on its real type and size."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(AttachmentsField, self).clean(upload, initial) for upload in uploads]
        if len(cleaned) > attachments.max_files():
            raise forms.ValidationError(
                _("Send at most %(count)s files with one report.")
                % {"count": attachments.max_files()}
            )
        if sum(upload.size or 0 for upload in cleaned) > attachments.max_total_bytes():
            raise forms.ValidationError(
                _("The files are larger than %(limit)s together: leave one out or send smaller.")
                % {"limit": filesizeformat(attachments.max_total_bytes())}
            )
        # The checked files (photos re-encoded) go on to the service, which stores them as they are.
        checked, errors = [], []
        for upload in cleaned:
            try:
                checked.append(attachments.checked(upload))
            except forms.ValidationError as error:
                errors.extend(error.error_list)  # every refused file is named, not just the first
        if errors:
            raise forms.ValidationError(errors)
        return checked


def _grouped(number: int) -> str:
    return number_format(number, force_grouping=True)


grouped = lazy(_grouped, str)  # in the reader's language (10.000 in Dutch), when rendered


class LongTextField(forms.CharField):
    """Free text with a limit that the server, not the browser, enforces. A `maxlength` attribute
    would make the browser cut a long paste without a word; here the text comes back whole with
    how much too long it is. The widget carries the limit for a live counter (intake's static
    js/char-counter.js) and the help text says it for a page without JavaScript."""

    def __init__(self, *, max_length: int, help_text: Any = "", **kwargs: Any) -> None:
        self.limit = max_length
        hint = format_lazy(_("At most {} characters."), grouped(max_length))
        super().__init__(help_text=format_lazy("{} {}", help_text, hint), **kwargs)

    def to_python(self, value: Any) -> str:
        # Browsers send a new line as CRLF: count it once, as the counter and the reader do.
        text = super().to_python(value) or ""
        return text.replace("\r\n", "\n")

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs["data-max-length"] = str(self.limit)
        attrs["data-counter"] = _("{count} of {limit} characters")
        attrs["data-counter-over"] = _(
            "That is more than fits: shorten the text before you send it."
        )
        return attrs

    def validate(self, value: Any) -> None:
        super().validate(value)
        if len(value) > self.limit:
            over = len(value) - self.limit
            raise forms.ValidationError(
                ngettext_lazy(
                    "Your text has %(given)s characters and at most %(limit)s fit: shorten it by "
                    "%(shorten)s character. Nothing was sent; your text is still here.",
                    "Your text has %(given)s characters and at most %(limit)s fit: shorten it by "
                    "%(shorten)s characters. Nothing was sent; your text is still here.",
                    "over",
                ),
                code="max_length",
                params={
                    "given": _grouped(len(value)),
                    "limit": _grouped(self.limit),
                    "over": over,  # picks singular or plural
                    "shorten": _grouped(over),
                },
            )


class ChecklistMixin:
    """The indicators of the reporter's signal card (the card drives the checklist): its signs
    and facts to tick, its questions as guidance without a box."""

    checklist: list[Indicator]

    def add_checklist(self, card_code: str) -> None:
        self.checklist = checklist_for(card_code)
        self.card = card_for(card_code)
        fields: Any = self.fields  # type: ignore[attr-defined]
        fields["indicators"] = forms.MultipleChoiceField(
            label=_("What did you notice?"),
            required=False,
            choices=[(i.code, i.text) for i in self.checklist if i.is_recorded],
            widget=forms.CheckboxSelectMultiple,
        )

    def checklist_groups(self) -> list[Any]:
        return card_groups(self.checklist)


class PersonForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *PersonRole.choices])
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, required=False)
    approximate_age = forms.IntegerField(
        label=_("Approximate age"), required=False, min_value=0, max_value=120
    )
    nationality_country = nationality_field()
    nationality = details_field()
    appearance = forms.CharField(
        label=_("Appearance and other details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    date_of_birth = forms.CharField(label=_("Date or year of birth"), required=False, max_length=20)

    def __init__(self, *args: Any, identifying: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not identifying:  # secondary partners describe people, they do not name them
            del self.fields["name"], self.fields["date_of_birth"]

    def to_input(self) -> PersonInput:
        data = self.cleaned_data
        return PersonInput(
            role=data["role"],
            sex=data.get("sex", ""),
            approximate_age=data.get("approximate_age"),
            nationality_country=data.get("nationality_country", ""),
            nationality=data.get("nationality", ""),
            appearance=data.get("appearance", ""),
            name=data.get("name", ""),
            date_of_birth=data.get("date_of_birth", ""),
        )


PersonFormSet = forms.formset_factory(PersonForm, extra=2, max_num=5, validate_max=True)


class ObservationForm(ChecklistMixin, forms.Form):
    """What every report asks: when and where it was seen, and which form of exploitation."""

    observed_on = DutchDateField(label=_("Date observed"))
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        help_text=_("Address or neighbourhood where you saw it."),
    )
    exploitation_forms = forms.MultipleChoiceField(
        label=_("Possible form of exploitation"),
        choices=ExploitationFormCode.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick what you suspect; choose 'Unknown' if you cannot tell."),
    )

    def clean_observed_on(self) -> Any:
        observed_on = self.cleaned_data["observed_on"]
        if observed_on > timezone.localdate():
            raise forms.ValidationError(_("The date observed cannot be in the future."))
        return observed_on

    def clean_exploitation_forms(self) -> list[str]:
        codes: list[str] = self.cleaned_data["exploitation_forms"]
        if ExploitationFormCode.UNKNOWN in codes and len(codes) > 1:
            raise forms.ValidationError(_("'Unknown' cannot be combined with other forms."))
        return codes


class SignalReportForm(ObservationForm):
    field_order = [
        "reporting_as",
        "municipality",
        "observed_on",
        "place",
        "exploitation_forms",
        "description",
    ]
    reporting_as = forms.ChoiceField(label=_("Reporting on behalf of"))
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), empty_label=None
    )
    description = LongTextField(
        label=_("What did you observe?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10_000,
        help_text=_("Describe what you saw or heard, when, and who was there."),
    )
    first_judgement = forms.ChoiceField(
        label=_("Your first judgement"),
        required=False,
        choices=[("", "—"), *FirstJudgement.choices],
        help_text=_("Police and care partners: what you think should happen with this signal."),
    )
    attachments = AttachmentsField(
        label=_("Photos or documents"),
        required=False,
        help_text=_("JPEG, PNG or PDF: at most 5 files, 10 MB each and 25 MB together."),
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, memberships: list[Membership], card_code: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        default_card = card_code_for(memberships[0]) if memberships else "public"
        self.add_checklist(card_code if card_code in CARD_SECTORS else default_card)
        self.memberships = {f"{m.organisation_id}:{m.role}": m for m in memberships}
        field: Any = self.fields["reporting_as"]
        field.choices = [
            (key, f"{m.organisation} · {m.get_role_display()}")
            for key, m in self.memberships.items()
        ]
        municipalities = {
            mun.pk: mun for m in memberships for mun in reporting_municipalities(m.organisation)
        }
        municipality_field: Any = self.fields["municipality"]
        municipality_field.queryset = Municipality.objects.filter(pk__in=municipalities)
        self.initial.setdefault("submission_token", uuid.uuid4())
        self.initial.setdefault("observed_on", timezone.localdate())
        entry_points = {ENTRY_POINT_BY_ROLE[m.role] for m in memberships}
        judgements = {j for e in entry_points for j in FIRST_JUDGEMENTS_BY_ENTRY_POINT.get(e, ())}
        if judgements:
            judgement_field: Any = self.fields["first_judgement"]
            judgement_field.choices = [
                ("", "—"),
                *((value, label) for value, label in FirstJudgement.choices if value in judgements),
            ]
        else:
            del self.fields["first_judgement"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        membership = self.memberships.get(data.get("reporting_as", ""))
        municipality = data.get("municipality")
        if membership and municipality:
            allowed = reporting_municipalities(membership.organisation)
            if municipality not in allowed:
                self.add_error(
                    "municipality",
                    _("%(organisation)s does not report signals to %(municipality)s.")
                    % {"organisation": membership.organisation, "municipality": municipality},
                )
        return data

    def identifying(self) -> bool:
        """May the chosen membership name people? (Not a secondary partner.)"""
        membership = self.memberships.get(self.data.get("reporting_as", "")) or next(
            iter(self.memberships.values()), None
        )
        return membership is not None and membership.role in roles_with(Capability.NAME_PERSONS)

    def to_report(self, persons: list[PersonInput]) -> SignalReport:
        data = self.cleaned_data
        membership = self.memberships[data["reporting_as"]]
        return SignalReport(
            organisation_id=membership.organisation_id,
            role=membership.role,
            municipality_id=data["municipality"].pk,
            description=data["description"],
            place=data["place"],
            exploitation_form_codes=tuple(data["exploitation_forms"]),
            observed_on=data["observed_on"],
            submission_token=data["submission_token"],
            first_judgement=data.get("first_judgement", ""),
            details=SignalDetails(
                persons=tuple(persons),
                indicator_codes=tuple(data.get("indicators", ())),
                attachments=tuple(data.get("attachments", ())),
            ),
        )


# The public form carries one signed hidden value: the submission token and when the form was
# rendered. Signed, so a bot can neither forge an old start time nor pick a token.
PUBLIC_FORM_SALT = "schakel.intake.public-report"
PUBLIC_FORM_MAX_AGE = 24 * 60 * 60


# The name of the public form's second submit button: show the chosen sector's checklist.
SHOW_CHECKLIST = "show_checklist"
CHECKLIST_CARD = "checklist_card"  # the card whose checklist the page shows


def new_form_token() -> str:
    return signing.dumps(
        {"token": str(uuid.uuid4()), "started": time.time()}, salt=PUBLIC_FORM_SALT
    )


class PublicSignalReportForm(ObservationForm):
    """Reporting without an account: citizens and secondary partners (no personal data)."""

    field_order = [
        "municipality",
        "sector",
        "observed_on",
        "place",
        "exploitation_forms",
        "description",
    ]

    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        empty_label=_("Choose a municipality"),
        help_text=_("The municipality where you saw it."),
    )
    sector = forms.ChoiceField(
        label=_("You report as"),
        choices=ReporterSector.choices,
        initial=ReporterSector.GENERAL_PUBLIC,
        required=False,
        help_text=_("If you report from your work, choose your sector. We do not ask your name."),
    )
    description = LongTextField(
        label=_("Describe the situation"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10_000,
        help_text=_(
            "Describe the situation, not the people: what you saw or heard, when and how often. "
            "Do not write names, phone numbers, e-mail addresses or citizen service numbers "
            "(BSN)."
        ),
    )
    # Honeypot: hidden from sight; people using a screen reader are told to leave it empty.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        cbs_code: str = "",
        sector: str = "",
        only_show: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The sector switch (SHOW_CHECKLIST) renders what was typed, judges nothing, stores nothing.
        self.only_show = only_show
        self.add_checklist(card_for_reporter_sector(sector).code)
        if sector in ReporterSector.values:
            self.initial.setdefault("sector", sector)
        self.initial.setdefault("form_token", new_form_token())
        self.initial.setdefault("observed_on", timezone.localdate())
        if cbs_code:
            chosen = Municipality.objects.filter(cbs_code__iexact=cbs_code).first()
            if chosen is not None:
                self.initial.setdefault("municipality", chosen.pk)

    def full_clean(self) -> None:
        if self.only_show:
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()

    def card_by_sector(self) -> str:
        """Which card's checklist each reporter sector gets, for the page's sector switch."""
        return json.dumps(
            {sector: card_for_reporter_sector(sector).code for sector in ReporterSector.values}
        )

    def other_checklists(self) -> list[tuple[str, PublicSignalReportForm]]:
        """This form once more per other card, with that card's checklist: rendered inert
        (a <template>) for the sector switch in the browser. Ticks follow the same data, so an
        indicator ticked on one card stays ticked on another card that has it."""
        codes = dict.fromkeys(
            card_for_reporter_sector(sector).code for sector in ReporterSector.values
        )
        variants = []
        for code in codes:
            if code == self.card.code:
                continue
            variant = copy.copy(self)
            variant.fields = copy.copy(self.fields)
            variant._bound_fields_cache = {}  # type: ignore[attr-defined]
            variant.add_checklist(code)
            variants.append((code, variant))
        return variants

    def clean_description(self) -> str:
        description: str = self.cleaned_data["description"]
        refuse_personal_data(description, DESCRIPTION_MESSAGE)
        return description

    def clean_place(self) -> str:
        place: str = self.cleaned_data["place"]
        refuse_personal_data(place, PLACE_MESSAGE)
        return place

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            self.add_error(None, _("Your report could not be sent. Please try again."))
        try:
            signed = signing.loads(
                data.get("form_token", ""), salt=PUBLIC_FORM_SALT, max_age=PUBLIC_FORM_MAX_AGE
            )
            data["submission_token"] = uuid.UUID(signed["token"])
            started = float(signed["started"])
        except signing.SignatureExpired:
            self._renew_form_token(
                _("This form was opened more than a day ago. Check your answers and send it again.")
            )
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            self._renew_form_token(_("Something went wrong with this form. Please send it again."))
        else:
            if time.time() - started < min_fill_seconds():
                self.add_error(
                    None,
                    _("That was very quick. Please check your answers and send the form again."),
                )
        return data

    def _renew_form_token(self, message: Any) -> None:
        self.add_error(None, message)
        data: Any = copy.copy(self.data)  # a mutable copy, of a QueryDict or a dict
        data[self.add_prefix("form_token")] = new_form_token()
        self.data = data

    def to_report(self) -> PublicSignalReport:
        data = self.cleaned_data
        return PublicSignalReport(
            municipality_id=data["municipality"].pk,
            sector=data["sector"],
            description=data["description"],
            place=data["place"],
            exploitation_form_codes=tuple(data["exploitation_forms"]),
            observed_on=data["observed_on"],
            submission_token=data["submission_token"],
            indicator_codes=tuple(data.get("indicators", ())),
        )


def min_fill_seconds() -> float:
    """Nobody fills in the public form faster than this; bots do."""
    seconds: float = getattr(settings, "SCHAKEL_PUBLIC_MIN_FILL_SECONDS", 3)
    return seconds


class PublicFeedbackForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference number"), max_length=20, help_text=_("For example MH-2026-K7QM3X.")
    )
    code = forms.CharField(
        label=_("Feedback code"),
        max_length=40,
        help_text=_("The code of 16 characters you received with the reference number."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_reference(self) -> str:
        reference: str = self.cleaned_data["reference"]
        return reference.strip().upper()


# --- Filters above the signal lists ------------------------------------------------------------

DEADLINE_CHOICES = [
    ("", _("All")),
    (DeadlineFilter.OVERDUE, _("Overdue")),
    (DeadlineFilter.THIS_WEEK, _("Due this week")),
]


def _all(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("All")), *choices]


class SignalFilterForm(ListFilterForm):
    """'Mijn meldingen': by status, entry point and form of exploitation."""

    sorting = MY_SIGNALS_SORTING
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_all(SignalStatus.choices)
    )
    entry_point = forms.ChoiceField(
        label=_("Entry point"), required=False, choices=_all(EntryPoint.choices)
    )
    exploitation_form = forms.ChoiceField(
        label=_("Form of exploitation"),
        required=False,
        choices=_all(ExploitationFormCode.choices),
    )

    def to_query(self) -> SignalQuery:
        data = self.values()
        return SignalQuery(
            status=data.get("status", ""),
            entry_point=data.get("entry_point", ""),
            exploitation_form=data.get("exploitation_form", ""),
            sort=data["sort"],
        )


class QueueFilterForm(SignalFilterForm):
    """The reporting point's queue: also by deadline, and by municipality for a reporting point
    of more than one."""

    sorting = QUEUE_SORTING
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_all(c for c in SignalStatus.choices if c[0] != SignalStatus.CLOSED),
    )
    deadline = forms.ChoiceField(label=_("Deadline"), required=False, choices=DEADLINE_CHOICES)
    municipality = forms.TypedChoiceField(
        label=_("Municipality"), required=False, coerce=int, empty_value=None
    )
    field_order = ["status", "deadline", "entry_point", "exploitation_form", "municipality"]

    def __init__(
        self, data: Any = None, *, municipalities: list[Municipality], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        if len(municipalities) > 1:
            field: Any = self.fields["municipality"]
            field.choices = _all((m.pk, m.name) for m in municipalities)
        else:
            del self.fields["municipality"]

    def to_query(self) -> SignalQuery:
        data = self.values()
        return replace(
            super().to_query(),
            deadline=data.get("deadline", ""),
            municipality=data.get("municipality"),
        )

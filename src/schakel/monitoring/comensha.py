"""The export for CoMensha's national registration of possible victims (docs/comensha.md): per
victim one line with the fields the registration asks, as far as Schakel holds them. The fields
Schakel does not hold are columns too, left empty and marked in their header, so the registering
professional sees at a glance what to add from their own file.

The victims come from the cases app's selector, which applies the policy and writes the audit
entry; this module only maps them onto CoMensha's fields and names the period."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from schakel.cases.choices import PersonOutcome
from schakel.cases.selectors import VictimForRegistration, victims_for_registration
from schakel.catalogue.choices import ExploitationFormCode
from schakel.core.context import AccessContext
from schakel.intake.choices import Sex
from schakel.organisations.selectors import organisation_name_of

from .exports import table_csv, table_xlsx
from .periods import Period

Value = str | int
ADULT_AT = 18


@dataclass(frozen=True)
class Column:
    """One field of CoMensha's registration: its header, and how Schakel fills it (None: Schakel
    does not hold it, the column stays empty)."""

    header: str | Promise
    value: Callable[[VictimForRegistration, str], Value] | None = None


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def birth_year(date_of_birth: str) -> int | None:
    """The year of a date of birth recorded as 2009, 2009-05-01, 01-05-2009 or 1/5/2009."""
    for part in date_of_birth.replace("/", "-").replace(".", "-").split("-"):
        part = part.strip()
        if len(part) == 4 and part.isdecimal() and 1900 <= int(part) <= date.today().year:
            return int(part)
    return None


def age_at_first_signal(victim: VictimForRegistration) -> int | None:
    """Whole years between the year of birth and the year of the first signal (a year of birth
    gives no more precision); else the approximate age the reporter gave in the signal."""
    born = birth_year(victim.date_of_birth)
    on = victim.first_signal_on or victim.known_since
    if born is not None:
        return max(on.year - born, 0)
    return victim.approximate_age


def _age(victim: VictimForRegistration, _organisation: str) -> Value:
    age = age_at_first_signal(victim)
    return "" if age is None else age


def _minor(victim: VictimForRegistration, _organisation: str) -> Value:
    age = age_at_first_signal(victim)
    if age is None:
        return ""
    return _("minor") if age < ADULT_AT else _("adult")


def _year(victim: VictimForRegistration, _organisation: str) -> Value:
    return birth_year(victim.date_of_birth) or ""


def _sex(victim: VictimForRegistration, _organisation: str) -> Value:
    return str(Sex(victim.sex).label) if victim.sex in Sex.values and victim.sex else ""


def _nationality(victim: VictimForRegistration, _organisation: str) -> Value:
    return str(countries.name(victim.nationality_country)) if victim.nationality_country else ""


def _forms(victim: VictimForRegistration, _organisation: str) -> Value:
    known = [c for c in ExploitationFormCode.values if c in victim.exploitation_forms]
    return "; ".join(str(ExploitationFormCode(c).label) for c in known)


def _outcome(outcome: PersonOutcome) -> Callable[[VictimForRegistration, str], Value]:
    """Yes where the outcome is recorded; empty (not "no") where it is not: Schakel knows what
    happened, not what did not."""
    return lambda victim, _organisation: _("yes") if outcome in victim.outcomes else ""


def _not_held(header: str | Promise) -> Column:
    return Column(format_lazy(gettext_lazy("{field} [not recorded in Schakel]"), field=header))


# In the order of docs/comensha.md's table.
COLUMNS: tuple[Column, ...] = (
    Column(gettext_lazy("Reporting organisation"), lambda v, organisation: organisation),
    Column(gettext_lazy("Schakel case number"), lambda v, o: v.case_reference),
    Column(gettext_lazy("Person in the case"), lambda v, o: v.pseudonym),
    Column(gettext_lazy("Date of the first signal"), lambda v, o: _iso(v.first_signal_on)),
    Column(gettext_lazy("Victim in Schakel since"), lambda v, o: _iso(v.known_since)),
    Column(gettext_lazy("Name"), lambda v, o: v.name),
    Column(gettext_lazy("Date of birth"), lambda v, o: v.date_of_birth),
    Column(gettext_lazy("Year of birth"), _year),
    Column(gettext_lazy("Age at the first signal"), _age),
    Column(gettext_lazy("Minor or adult"), _minor),
    Column(gettext_lazy("Sex"), _sex),
    Column(gettext_lazy("Nationality"), _nationality),
    Column(gettext_lazy("Nationality (country code)"), lambda v, o: v.nationality_country),
    _not_held(gettext_lazy("Country of birth")),
    Column(gettext_lazy("Form of exploitation"), _forms),
    _not_held(gettext_lazy("Sector of exploitation")),
    Column(gettext_lazy("Municipality of the case"), lambda v, o: v.municipality),
    _not_held(gettext_lazy("Exploited in the Netherlands or abroad")),
    Column(gettext_lazy("Sheltered"), _outcome(PersonOutcome.SHELTERED)),
    Column(gettext_lazy("Referred to care"), _outcome(PersonOutcome.REFERRED_TO_CARE)),
    _not_held(gettext_lazy("Request for shelter through CoMensha")),
    _not_held(gettext_lazy("Residence scheme for victims (B8), reflection period")),
    _not_held(gettext_lazy("Police report by the victim")),
    _not_held(gettext_lazy("Consent of the victim to the registration")),
    Column(
        gettext_lazy("Registration with CoMensha recorded on"),
        lambda v, o: _iso(v.outcomes.get(PersonOutcome.REGISTERED_COMENSHA)),
    ),
)


def header() -> list[str]:
    return [str(column.header) for column in COLUMNS]


def row(victim: VictimForRegistration, organisation: str) -> list[Value]:
    return [
        column.value(victim, organisation) if column.value is not None else "" for column in COLUMNS
    ]


@dataclass(frozen=True)
class RegistrationQuery:
    """Which victims: those added to a case in the period, with or without a registration."""

    period: Period
    registered: bool | None = None


def victims(
    context: AccessContext, query: RegistrationQuery, *, export: str = ""
) -> list[VictimForRegistration]:
    start, end = query.period.bounds()
    return victims_for_registration(
        context, start=start, end=end, registered=query.registered, export=export
    )


def _rows(context: AccessContext, query: RegistrationQuery, kind: str) -> list[list[Value]]:
    organisation = organisation_name(context)
    return [row(v, organisation) for v in victims(context, query, export=kind)]


def organisation_name(context: AccessContext) -> str:
    return organisation_name_of(context.actor.organisation_id)


def registration_csv(context: AccessContext, query: RegistrationQuery) -> str:
    """The file and its audit entry in one transaction: no entry without the file, and no file
    without its entry."""
    with transaction.atomic():
        return table_csv(header(), _rows(context, query, "csv"))


def registration_xlsx(context: AccessContext, query: RegistrationQuery) -> bytes:
    with transaction.atomic():
        return table_xlsx(sheet_title(), header(), _rows(context, query, "xlsx"))


def sheet_title() -> str:
    return _("CoMensha registration")


def filename(query: RegistrationQuery, extension: str) -> str:
    return f"comensha-{query.period.start.isoformat()}-{query.period.end.isoformat()}.{extension}"


def columns_not_held() -> Sequence[str]:
    return [str(column.header) for column in COLUMNS if column.value is None]

"""The CoMensha export (docs/comensha.md): the zorgcoördinator and AVIM export the possible
victims of the cases they see by name, with the fields CoMensha's registration asks, as CSV and
XLSX; every export is on the audit log with every person in it."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from schakel.audit.models import AuditEvent
from schakel.cases.choices import LegalBasis, PersonOutcome
from schakel.cases.models import Case, CaseParticipant, CasePerson, CasePersonOutcome
from schakel.catalogue.models import ExploitationForm
from schakel.core.crypto import blind_index
from schakel.core.policies import Action
from schakel.intake.models import SignalPerson
from schakel.monitoring import comensha
from schakel.organisations.choices import OrganisationKind, Role
from schakel.organisations.roles import Capability, roles_with

from .factories import MunicipalityFactory, OrganisationFactory, SignalFactory, user_with_role

ENTITLED = {Role.ZORGCOORDINATOR, Role.AVIM}
INJECTED = '=HYPERLINK("http://evil.example","klik")'


def person(case, role, number, name, **fields):
    return CasePerson.objects.create(
        case=case,
        role=role,
        number=number,
        name=name,
        name_index=blind_index(name, purpose="person-name"),
        **fields,
    )


def a_case(municipality, reference, *, participant=None, basis=LegalBasis.COVENANT, forms=()):
    case = Case.objects.create(reference=reference, municipality=municipality, summary="-")
    case.exploitation_forms.set(ExploitationForm.objects.filter(code__in=forms))
    if participant is not None:
        CaseParticipant.objects.create(
            case=case,
            organisation=participant,
            legal_basis=basis,
            justification="convenant",
            added_by=user_with_role(Role.AF_OOV, municipality=municipality),
        )
    return case


@pytest.fixture
def world(db):
    own = MunicipalityFactory(name="Eigenstad")
    other = MunicipalityFactory(name="Anderdorp", region=own.region)
    zc_organisation = OrganisationFactory(
        name="Zorgcoördinatie Oost",
        kind=OrganisationKind.CARE_COORDINATION,
        municipality=None,
        region=own.region,
    )
    zc = user_with_role(Role.ZORGCOORDINATOR, organisation=zc_organisation)

    signal = SignalFactory(municipality=own, reported_at=timezone.now() - timedelta(days=3))
    first = a_case(own, "ZK-C-1", participant=zc_organisation, forms=["sexual", "labour"])
    first.signals.add(signal)
    anna = person(
        first, "victim", 1, "Anna Kowalska", date_of_birth="1990-03-04", sex="f",
        nationality_country="PL",
    )  # fmt: skip
    CasePersonOutcome.objects.create(person=anna, outcome=PersonOutcome.SHELTERED)
    CasePersonOutcome.objects.create(person=anna, outcome=PersonOutcome.REGISTERED_COMENSHA)
    perpetrator = person(first, "perpetrator", 1, "Piet Dader", sex="m")

    second = a_case(own, "ZK-C-2", participant=zc_organisation, forms=["criminal"])
    told = SignalPerson.objects.create(
        signal=signal,
        role="victim",
        name=INJECTED,
        name_index=blind_index(INJECTED, purpose="person-name"),
        approximate_age=16,
    )
    minor = person(second, "victim", 1, INJECTED, from_signal_person=told)

    # A case the ZC takes part in without personal data, and one of another municipality.
    hidden = a_case(own, "ZK-C-3", participant=zc_organisation, basis=LegalBasis.PSEUDONYMS_ONLY)
    pseudonymised = person(hidden, "victim", 1, "Verborgen Persoon")
    elsewhere = a_case(other, "ZK-C-4", participant=OrganisationFactory(municipality=other))
    foreign = person(elsewhere, "victim", 1, "Elders Persoon")
    return {
        "zc": zc,
        "anna": anna,
        "minor": minor,
        "perpetrator": perpetrator,
        "pseudonymised": pseudonymised,
        "foreign": foreign,
        "signal": signal,
    }


def rows_for(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("monitoring:comensha_csv"), params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content[:500]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_only_the_zorgcoordinator_and_avim_register_victims():
    assert roles_with(Capability.REGISTER_VICTIMS) == {str(r) for r in ENTITLED}


def test_the_mapping_of_a_victim_onto_comensha_fields(client, world):
    header, *rows = rows_for(client, world["zc"], year=timezone.localdate().year)
    with translation.override("en"):
        assert header == comensha.header()
    by_field = [dict(zip(header, row, strict=True)) for row in rows]
    signal_day = timezone.localdate(world["signal"].reported_at).isoformat()
    today = timezone.localdate().isoformat()
    not_held = "[not recorded in Schakel]"
    anna, minor = by_field
    assert anna == {
        "Reporting organisation": "Zorgcoördinatie Oost",
        "Schakel case number": "ZK-C-1",
        "Person in the case": world["anna"].pseudonym,
        "Date of the first signal": signal_day,
        "Victim in Schakel since": today,
        "Name": "Anna Kowalska",
        "Date of birth": "1990-03-04",
        "Year of birth": "1990",
        "Age at the first signal": str(timezone.localdate(world["signal"].reported_at).year - 1990),
        "Minor or adult": "adult",
        "Sex": "Female",
        "Nationality": "Poland",
        "Nationality (country code)": "PL",
        f"Country of birth {not_held}": "",
        "Form of exploitation": "Sexual exploitation; Labour exploitation",
        f"Sector of exploitation {not_held}": "",
        "Municipality of the case": "Eigenstad",
        f"Exploited in the Netherlands or abroad {not_held}": "",
        "Sheltered": "yes",
        "Referred to care": "",
        f"Request for shelter through CoMensha {not_held}": "",
        f"Residence scheme for victims (B8), reflection period {not_held}": "",
        f"Police report by the victim {not_held}": "",
        f"Consent of the victim to the registration {not_held}": "",
        "Registration with CoMensha recorded on": today,
    }
    # No signal of its own, no date of birth: the age the reporter gave in the signal.
    assert minor["Schakel case number"] == "ZK-C-2"
    assert minor["Date of the first signal"] == ""
    assert minor["Year of birth"] == "" and minor["Age at the first signal"] == "16"
    assert minor["Minor or adult"] == "minor"
    assert minor["Sex"] == minor["Nationality"] == ""
    assert minor["Form of exploitation"] == "Criminal exploitation"
    assert minor["Sheltered"] == minor["Registration with CoMensha recorded on"] == ""


def test_a_zorgcoordinator_exports_only_the_victims_of_cases_it_sees_by_name(client, world):
    _header, *rows = rows_for(client, world["zc"], year=timezone.localdate().year)
    names = {row[comensha.header().index(str(comensha.COLUMNS[5].header))] for row in rows}
    assert names == {"Anna Kowalska", "'" + INJECTED}
    text = str(rows)
    for absent in ("Piet Dader", "Verborgen Persoon", "Elders Persoon"):
        assert absent not in text


def test_the_registration_filter_narrows_to_recorded_or_not_recorded(client, world):
    this = timezone.localdate().year
    _h, *registered = rows_for(client, world["zc"], year=this, registration="registered")
    _h, *open_ = rows_for(client, world["zc"], year=this, registration="open")
    assert [r[1] for r in registered] == ["ZK-C-1"]
    assert [r[1] for r in open_] == ["ZK-C-2"]


def test_every_export_is_audited_with_every_person_in_it(client, world):
    before = AuditEvent.objects.count()
    rows_for(client, world["zc"], year=timezone.localdate().year)
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert len(events) == 1
    event = events[0]
    assert event.action == "export"
    assert event.purpose == "CoMensha registration csv"
    assert sorted(event.subjects) == sorted(
        f"cases.CasePerson:{p.pk}" for p in (world["anna"], world["minor"])
    )
    assert sorted(event.object_ids) == sorted(
        str(p.case_id) for p in (world["anna"], world["minor"])
    )
    assert "name" in event.fields and "date_of_birth" in event.fields


def test_the_page_is_audited_as_a_list_and_shows_no_names(client, world):
    client.force_login(world["zc"])
    before = AuditEvent.objects.count()
    response = client.get(reverse("monitoring:comensha"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "ZK-C-1" in body and "ZK-C-2" in body and "ZK-C-3" not in body
    assert "Anna Kowalska" not in body
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [e.action for e in events] == ["list"]
    assert len(events[0].subjects) == 2


def test_csv_cells_cannot_start_a_formula(client, world):
    _header, *rows = rows_for(client, world["zc"], year=timezone.localdate().year)
    cells = [cell for row in rows for cell in row]
    assert "'" + INJECTED in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_the_workbook_opens_and_has_the_same_rows_as_the_csv(client, world):
    from openpyxl import load_workbook

    this = timezone.localdate().year
    csv_rows = rows_for(client, world["zc"], year=this)
    response = client.get(
        reverse("monitoring:comensha_xlsx"), {"year": this}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    xlsx_rows = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    # The CSV guards a formula with an apostrophe; the workbook stores that cell as text.
    unguarded = [[c[1:] if c.startswith("'=") else c for c in row] for row in csv_rows]
    assert xlsx_rows == unguarded
    name = sheet.cell(row=3, column=6)
    assert name.value == INJECTED and name.data_type == "s"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_empty_period_gives_only_the_header(client, world, kind):
    client.force_login(world["zc"])
    response = client.get(reverse(f"monitoring:comensha_{kind}"), {"year": 2016})
    assert response.status_code == 200
    if kind == "csv":
        lines = response.content.decode("utf-8").lstrip("\ufeff").splitlines()
        assert len(lines) == 1
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.max_row == 1
        assert [c.value for c in sheet[1]] == comensha.header()


@pytest.mark.parametrize(
    "params", [{"year": "abc"}, {"year": "1800"}, {"year": "2026", "registration": "x"}]
)
@pytest.mark.parametrize("name", ["comensha", "comensha_csv", "comensha_xlsx"])
def test_bad_parameters_are_a_400_in_dutch(client, world, name, params):
    client.force_login(world["zc"])
    before = AuditEvent.objects.count()
    response = client.get(reverse(f"monitoring:{name}"), params)
    assert response.status_code == 400
    assert "geldige keuze" in response.content.decode()
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("role", list(Role))
def test_every_role_is_let_in_or_refused_by_the_capability(client, db, role):
    municipality = MunicipalityFactory()
    client.force_login(user_with_role(role, municipality=municipality))
    want = 200 if role in ENTITLED else 403
    for name in ("comensha", "comensha_csv", "comensha_xlsx"):
        response = client.get(reverse(f"monitoring:{name}"))
        assert response.status_code == want, (name, response.status_code)
    home = client.get(reverse("home"))
    assert (reverse("monitoring:comensha") in home.content.decode()) == (role in ENTITLED)


def test_the_policy_answers_per_victim(world):
    from schakel.cases.policies import victim_registration_policy
    from schakel.core.policies import actor_for

    actor = actor_for(world["zc"])
    assert victim_registration_policy.can(actor, Action.LIST)
    assert victim_registration_policy.can(actor, Action.VIEW, world["anna"])
    for refused in ("perpetrator", "pseudonymised", "foreign"):
        assert not victim_registration_policy.can(actor, Action.VIEW, world[refused])
    assert not victim_registration_policy.can(actor, Action.CHANGE)


def test_the_query_count_does_not_grow_with_the_victims(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["zc"])
    url = reverse("monitoring:comensha_csv")
    client.get(url)  # the session and the membership are looked up once

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    case = world["anna"].case
    for number in range(2, 8):
        victim = person(case, "victim", number, f"Slachtoffer Nummer {number}", sex="m")
        CasePersonOutcome.objects.create(person=victim, outcome=PersonOutcome.REFERRED_TO_CARE)
    assert queries() == few

"""Inspections as the field runs them (DOMAIN.md §4, §10): a kind and the organisations taking
part, AVIM informed and the zorgcoördinatie asked to stand by as notices their staff
acknowledge, findings from the planned date on, ticked on a checklist grouped by exploitation
form and strength, an evaluation afterwards, and one policy for who sees and does what."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from schakel.cases.workflow import TransitionRefused
from schakel.catalogue.cards import SOURCE_COUNTRY, card_for, full_checklist
from schakel.catalogue.choices import IndicatorStrength
from schakel.catalogue.models import Indicator
from schakel.core.policies import NotFound, actor_for
from schakel.inspections import services
from schakel.inspections.choices import InspectionKind, InspectionStatus, NoticeKind
from schakel.inspections.models import Inspection
from schakel.inspections.policies import InspectionAction, inspection_policy
from schakel.organisations.choices import OrganisationKind, Role
from schakel.organisations.models import Membership

from .conftest import mailed
from .factories import OrganisationFactory, RegionFactory, user_with_role
from .world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Services answer in the source language here; a test asks for Dutch where it checks it."""
    with translation.override("en"):
        yield


PREMISES, PURPOSE = "Loods Oosthaven 12", "Huisvesting van arbeidsmigranten controleren"
FINDINGS = "Twaalf slaapplaatsen in de loods; paspoorten bij de uitzender"


def staff(world, key, role, org_key):
    user = user_with_role(role, organisation=world.orgs[org_key])
    user.email = f"{key}@example.test"
    user.first_name, user.last_name = key.upper(), "Test"
    user.save()
    world.users[key] = user
    return user


@pytest.fixture
def world(db):
    """The shared test world plus toezicht & handhaving of the municipality, the tax authority
    and a basisteam officer in the police organisation that holds AVIM."""
    world = build_world()
    world.orgs["tax"] = OrganisationFactory(
        name="Org tax",
        kind=OrganisationKind.TAX_AUTHORITY,
        region=world.municipality.region,
        municipality=None,
    )
    staff(world, "th", Role.TOEZICHT_HANDHAVING, "municipality")
    staff(world, "tax", Role.BELASTINGDIENST, "tax")
    staff(world, "basisteam", Role.BASISTEAM, "avim")
    return world


def today_at(hour, days=0):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def plan(world, by="af", *, kind=InspectionKind.BIT, participants=("iszw", "tax"), **extra):
    fields = {"planned_for": today_at(14), "premises": PREMISES, "purpose": PURPOSE} | extra
    return services.inspection_plan(
        context=world.context(by),
        kind=kind,
        participants=[world.orgs[k] for k in participants],
        **fields,
    )


def record(world, inspection, by="af", codes=(), text=FINDINGS):
    return services.inspection_record_findings(
        context=world.context(by), inspection=inspection, indicator_codes=codes, findings=text
    )


def acknowledge(world, inspection, by):
    return services.inspection_acknowledge_notice(context=world.context(by), inspection=inspection)


def login(client, world, key):
    """Logged in as `key`, reading the screens in English (their source strings)."""
    client.force_login(world.users.get(key, world.other_af))
    client.cookies["django_language"] = "en"


def page(client, world, key, inspection):
    login(client, world, key)
    return client.get(reverse("inspections:detail", args=[inspection.pk]))


def step(client, world, key, inspection, action, data=None):
    login(client, world, key)
    return client.post(reverse("inspections:act", args=[inspection.pk, action]), data or {})


# --- 1. The kind of inspection and who takes part ------------------------------------------


def test_the_kinds_of_inspection_are_bit_administrative_and_labour_with_dutch_labels():
    with translation.override("nl"):
        labels = {kind: str(kind.label) for kind in InspectionKind}
    assert set(InspectionKind.values) == {"bit", "administrative", "labour"}
    assert labels[InspectionKind.BIT].startswith("BIT: multidisciplinaire controle")
    assert labels[InspectionKind.ADMINISTRATIVE].startswith("Bestuurlijke controle")
    assert "Arbeidsinspectie" in labels[InspectionKind.LABOUR]


def test_a_bit_inspection_takes_partners_of_the_region_and_always_the_planners_organisation(
    world,
):
    inspection = plan(world, participants=("iszw", "tax"))
    assert set(inspection.participants.all()) == {
        world.orgs["municipality"],
        world.orgs["iszw"],
        world.orgs["tax"],
    }
    with pytest.raises(ValidationError, match="at least one other organisation"):
        plan(world, participants=())
    elsewhere = OrganisationFactory(region=RegionFactory(), municipality=None)
    user_with_role(Role.AVIM, organisation=elsewhere)
    with pytest.raises(ValidationError, match="Only organisations of the region"):
        services.inspection_plan(
            context=world.context("af"),
            kind=InspectionKind.BIT,
            planned_for=today_at(14),
            premises=PREMISES,
            purpose=PURPOSE,
            participants=[elsewhere],
        )


def test_an_administrative_inspection_is_done_by_the_municipality_alone(world):
    with pytest.raises(ValidationError, match="by the municipality alone"):
        plan(world, kind=InspectionKind.ADMINISTRATIVE, participants=("iszw",))
    inspection = plan(world, "th", kind=InspectionKind.ADMINISTRATIVE, participants=())
    assert list(inspection.participants.all()) == [world.orgs["municipality"]]


def test_a_labour_inspection_needs_the_labour_inspectorate(world):
    with pytest.raises(ValidationError, match="labour inspectorate"):
        plan(world, kind=InspectionKind.LABOUR, participants=("tax",))
    inspection = plan(world, kind=InspectionKind.LABOUR, participants=("iszw",))
    assert world.orgs["iszw"] in inspection.participants.all()


def test_planning_is_for_those_who_inspect_in_their_own_municipality(client, world):
    with pytest.raises(PermissionDenied):
        plan(world, "iszw")
    login(client, world, "iszw")
    assert client.post(reverse("inspections:list"), {"premises": PREMISES}).status_code == 403
    assert plan(world, "th").municipality == world.municipality


# --- 2. Who sees it ------------------------------------------------------------------------


def test_staff_of_participating_organisations_see_the_inspection_and_its_findings_nobody_else(
    client, world
):
    inspection = plan(world, participants=("iszw", "tax"))
    record(world, inspection)
    for key in ("af", "th", "iszw", "tax"):
        response = page(client, world, key, inspection)
        assert response.status_code == 200, key
        assert FINDINGS in response.content.decode(), key
        login(client, world, key)
        assert PREMISES in client.get(reverse("inspections:list")).content.decode(), key
    for key in ("care", "ovj", "vt", "other_af"):
        assert page(client, world, key, inspection).status_code == 404, key
        login(client, world, key)
        assert PREMISES not in client.get(reverse("inspections:list")).content.decode(), key
    # The planner's organisation, but in a role that works on no case: nothing at all.
    assert page(client, world, "reporter", inspection).status_code == 403


def test_the_notified_see_date_premises_and_purpose_but_not_the_findings(client, world):
    inspection = plan(world)
    record(world, inspection)
    services.inspection_evaluate(
        context=world.context("af"), inspection=inspection, evaluation="Goed samengewerkt"
    )
    for key in ("avim", "zc"):
        text = page(client, world, key, inspection).content.decode()
        assert PREMISES in text and PURPOSE in text, key
        assert FINDINGS not in text and "Goed samengewerkt" not in text, key
    # The notice went to AVIM's organisation for the AVIM role, not to its other staff.
    assert page(client, world, "basisteam", inspection).status_code == 404


# --- 3. AVIM informed, the zorgcoördinatie on stand-by -------------------------------------


def test_planning_tells_avim_and_the_zc_at_once_without_content(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        inspection = plan(world)
    notices = {n.kind: n for n in inspection.notices.all()}
    assert notices[NoticeKind.AVIM_INFORMED].organisation == world.orgs["avim"]
    assert notices[NoticeKind.ZC_STANDBY].organisation == world.orgs["zc"]
    assert all(n.sent_at and n.acknowledged_at is None for n in notices.values())
    assert mailed() == {"avim@example.test", "zc@example.test"}
    assert all(len(message.to) == 1 for message in mail.outbox)
    planned_on = f"{timezone.localdate():%d-%m-%Y}"
    for message in mail.outbox:
        content = message.subject + message.body
        assert PREMISES not in content and PURPOSE not in content and planned_on not in content
        assert world.municipality.name in content


def test_with_several_avim_in_the_region_the_planner_chooses_which(world):
    second = OrganisationFactory(
        name="Org avim 2", kind=OrganisationKind.POLICE, region=world.municipality.region
    )
    user_with_role(Role.AVIM, organisation=second)
    with pytest.raises(ValidationError, match="Choose which AVIM to inform"):
        plan(world)
    with pytest.raises(ValidationError, match="with staff in that role"):
        plan(world, avim=world.orgs["iszw"])
    inspection = plan(world, avim=second)
    assert inspection.notices.get(kind=NoticeKind.AVIM_INFORMED).organisation == second


def test_the_plan_form_offers_the_regions_avim_and_zorgcoordinatie(client, world):
    login(client, world, "af")
    form = client.get(reverse("inspections:list")).context["form"]
    assert list(form.fields["avim"].queryset) == [world.orgs["avim"]]
    assert list(form.fields["zorgcoordination"].queryset) == [world.orgs["zc"]]
    offered = set(form.fields["participants"].queryset)
    assert {world.orgs["iszw"], world.orgs["tax"], world.orgs["avim"]} <= offered
    assert world.orgs["municipality"] not in offered  # it always takes part
    assert world.orgs["school"] not in offered  # nobody there works on cases


def test_a_region_without_zorgcoordinatie_in_schakel_plans_without_it_and_the_page_says_so(
    client, world
):
    Membership.objects.filter(role=Role.ZORGCOORDINATOR).update(is_active=False)
    inspection = plan(world)
    assert [n.kind for n in inspection.notices.all()] == [NoticeKind.AVIM_INFORMED]
    text = page(client, world, "af", inspection).content.decode()
    assert 'data-testid="unacknowledged"' in text
    assert "nobody was told through Schakel" in text


def test_the_notified_acknowledge_with_one_button_and_the_planner_sees_who_and_when(client, world):
    inspection = plan(world)
    text = page(client, world, "zc", inspection).content.decode()
    assert reverse("inspections:act", args=[inspection.pk, "acknowledge"]) in text
    response = step(client, world, "zc", inspection, "acknowledge")
    assert response.status_code == 302
    notice = inspection.notices.get(kind=NoticeKind.ZC_STANDBY)
    assert notice.acknowledged_by == world.users["zc"] and notice.acknowledged_at
    text = page(client, world, "af", inspection).content.decode()
    ours = re.search(r'data-testid="notice-zc_standby">(.*?)</span>', text, re.S).group(1)
    assert "acknowledged by ZC Test on" in ours and "Org zc" in ours
    theirs = re.search(r'data-testid="notice-avim_informed">(.*?)</span>', text, re.S).group(1)
    assert "not yet acknowledged" in theirs


def test_only_the_told_role_of_the_told_organisation_acknowledges_and_only_once(world):
    inspection = plan(world)
    for outsider in ("basisteam", "vt", "iszw"):
        with pytest.raises((NotFound, PermissionDenied)):
            acknowledge(world, inspection, outsider)
    assert acknowledge(world, inspection, "avim").kind == NoticeKind.AVIM_INFORMED
    with pytest.raises(PermissionDenied):
        acknowledge(world, inspection, "avim")
    assert not inspection.notices.get(kind=NoticeKind.ZC_STANDBY).acknowledged_at


def test_who_may_acknowledge_is_exactly_whom_the_plan_mailed(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        inspection = plan(world)

    def who():
        found = inspection_policy.who_may(InspectionAction.ACKNOWLEDGE_NOTICE, inspection)
        return {m.user.email for m in found.select_related("user")}

    assert who() == mailed() == {"avim@example.test", "zc@example.test"}
    acknowledge(world, inspection, "zc")
    assert who() == {"avim@example.test"}
    record(world, inspection)
    inspection.refresh_from_db()
    assert who() == set()


def test_a_notice_is_acknowledged_only_before_the_inspection_is_held(world):
    inspection = plan(world)
    record(world, inspection)
    with pytest.raises(TransitionRefused):
        acknowledge(world, inspection, "avim")


def test_findings_without_acknowledgement_are_recorded_with_a_warning_and_the_evaluation_shows_it(
    client, world
):
    case = world.open_case(share=("zc",))
    inspection = plan(world, case=case)
    acknowledge(world, inspection, "zc")
    text = page(client, world, "af", inspection).content.decode()
    warning = re.search(r'data-testid="unacknowledged">(.*?)</div>', text, re.S).group(1)
    assert "AVIM informed" in warning and "Org avim" in warning
    assert "Zorgcoördinator" not in warning
    response = step(client, world, "af", inspection, "findings", {"findings-findings": FINDINGS})
    assert response.status_code == 302
    text = page(client, world, "af", inspection).content.decode()
    assert 'data-testid="evaluate-unacknowledged"' in text
    assert "not acknowledged before the inspection" in text
    step(client, world, "af", inspection, "evaluate", {"evaluate-evaluation": "AVIM niet bereikt"})
    entries = list(case.timeline.filter(kind="inspection").values_list("text", flat=True))
    assert [e for e in entries if "not acknowledged beforehand: AVIM informed" in e] == [
        e for e in entries if "findings recorded" in e or "evaluated" in e
    ]
    assert len(entries) == 4  # planned, acknowledged, findings, evaluated


# --- 4. Findings from the planned date on --------------------------------------------------


def test_findings_are_refused_before_the_planned_date(client, world):
    inspection = plan(world, planned_for=today_at(9, days=1))
    with translation.override("nl"), pytest.raises(TransitionRefused) as refused:
        record(world, inspection)
    assert str(refused.value).startswith("De bevindingen kunt u vastleggen vanaf de geplande datum")
    text = page(client, world, "af", inspection).content.decode()
    assert 'data-testid="findings-later"' in text
    assert reverse("inspections:act", args=[inspection.pk, "findings"]) not in text
    response = step(client, world, "af", inspection, "findings", {"findings-findings": FINDINGS})
    assert response.status_code == 400
    Inspection.objects.filter(pk=inspection.pk).update(planned_for=today_at(0))
    assert record(world, inspection).status == InspectionStatus.HELD


def test_an_inspection_is_not_planned_in_the_past(world):
    with pytest.raises(ValidationError, match="today or later"):
        plan(world, planned_for=today_at(9, days=-1))


# --- 5. The checklist of findings ----------------------------------------------------------


class ChecklistParser(HTMLParser):
    """The checkboxes of the findings form, each with the legends of its fieldsets."""

    def __init__(self):
        super().__init__()
        self.legends, self.depth_legend, self.in_legend = [], [], False
        self.boxes, self.labels, self.label_for, self.label_text = [], {}, None, ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "fieldset":
            self.depth_legend.append("")
        elif tag == "legend":
            self.in_legend = True
        elif tag == "input" and attrs.get("name") == "findings-indicators":
            self.boxes.append((attrs["value"], attrs.get("id"), tuple(self.depth_legend)))
        elif tag == "label" and attrs.get("for"):
            self.label_for, self.label_text = attrs["for"], ""

    def handle_endtag(self, tag):
        if tag == "fieldset":
            self.depth_legend.pop()
        elif tag == "legend":
            self.in_legend = False
        elif tag == "label" and self.label_for:
            self.labels[self.label_for] = self.label_text.strip()
            self.label_for = None

    def handle_data(self, data):
        if self.in_legend and self.depth_legend:
            self.depth_legend[-1] += data.strip()
        if self.label_for:
            self.label_text += data


def test_the_findings_checklist_is_grouped_by_form_and_strength_without_what_the_card_leaves_out(
    client, world
):
    inspection = plan(world)
    text = page(client, world, "af", inspection).content.decode()
    parser = ChecklistParser()
    parser.feed(text)
    codes = [code for code, _id, _legends in parser.boxes]
    expected = full_checklist(card_for("inspection"))
    assert sorted(codes) == sorted(i.code for i in expected)  # each once
    assert SOURCE_COUNTRY not in codes
    assert len(codes) > len(card_for("inspection").exclude) + 40  # the whole catalogue, not a card
    for _code, box_id, _legends in parser.boxes:
        assert parser.labels.get(box_id), f"checkbox {box_id} has no label"
    by_code = {i.code: i for i in expected}
    groups = []
    for code, _id, legends in parser.boxes:
        assert len(legends) == 3, legends  # indicators seen > form > strength
        _all, form, strength = legends
        assert strength == ("Hard signals" if by_code[code].strength == "hard" else "Soft signals")
        if not groups or groups[-1][:2] != (form, strength):
            groups.append((form, strength, []))
        groups[-1][2].append(by_code[code].position)
    forms = list(dict.fromkeys(form for form, _s, _p in groups))
    assert forms == [
        "Signs of more than one form of exploitation",
        "Sexual exploitation",
        "Labour exploitation",
        "Criminal exploitation",
    ]
    assert len(groups) == len({(f, s) for f, s, _p in groups})  # one block per form and strength
    for form in forms:
        assert [s for f, s, _p in groups if f == form] in (
            ["Hard signals", "Soft signals"],
            ["Hard signals"],
            ["Soft signals"],
        )
    assert all(positions == sorted(positions) for _f, _s, positions in groups)


def test_only_indicators_of_the_checklist_can_be_recorded(client, world):
    inspection = plan(world)
    with pytest.raises(ValidationError, match="checklist"):
        record(world, inspection, codes=[SOURCE_COUNTRY])
    hard = next(i for i in full_checklist(card_for("inspection")) if i.strength == "hard")
    response = step(
        client,
        world,
        "af",
        inspection,
        "findings",
        {"findings-findings": FINDINGS, "findings-indicators": [SOURCE_COUNTRY]},
    )
    assert response.status_code == 400
    record(world, inspection, codes=[hard.code])
    assert list(inspection.indicators_seen.all()) == [hard]
    assert Indicator.objects.get(code=hard.code).strength == IndicatorStrength.HARD


# --- 6. One action policy ------------------------------------------------------------------

VIEWING = {InspectionAction.VIEW, InspectionAction.SEE_FINDINGS}
TOLD = {InspectionAction.VIEW}
# A colleague of AVIM in another role, a care partner not taking part, another municipality's AF.
NOBODY = {"basisteam": set(), "care": set(), "other_af": set()}
ACTIONS = {
    # state: who → what they may do
    InspectionStatus.PLANNED: {
        "af": VIEWING | {InspectionAction.RECORD_FINDINGS},
        "th": VIEWING | {InspectionAction.RECORD_FINDINGS},
        "iszw": VIEWING,
        "avim": TOLD | {InspectionAction.ACKNOWLEDGE_NOTICE},
        "zc": TOLD | {InspectionAction.ACKNOWLEDGE_NOTICE},
    }
    | NOBODY,
    InspectionStatus.HELD: {
        "af": VIEWING | {InspectionAction.EVALUATE},
        "th": VIEWING | {InspectionAction.EVALUATE},
        "iszw": VIEWING,
        "avim": TOLD,
        "zc": TOLD,
    }
    | NOBODY,
    InspectionStatus.EVALUATED: {
        "af": VIEWING,
        "th": VIEWING,
        "iszw": VIEWING,
        "avim": TOLD,
        "zc": TOLD,
    }
    | NOBODY,
}


@pytest.mark.parametrize("status", list(InspectionStatus))
def test_the_inspection_rules_per_relation_and_state(world, status):
    inspection = plan(world, participants=("iszw",))
    Inspection.objects.filter(pk=inspection.pk).update(status=status)
    inspection.refresh_from_db()
    for key, expected in ACTIONS[status].items():
        actor = actor_for(world.users.get(key, world.other_af))
        assert inspection_policy.actions_for(actor, inspection) == expected, key


def test_an_evaluated_inspection_changes_no_more(client, world):
    inspection = plan(world)
    record(world, inspection)
    services.inspection_evaluate(
        context=world.context("af"), inspection=inspection, evaluation="Goed"
    )
    attempts = [
        lambda: record(world, inspection),
        lambda: services.inspection_evaluate(
            context=world.context("af"), inspection=inspection, evaluation="Nog eens"
        ),
        lambda: acknowledge(world, inspection, "avim"),
    ]
    for attempt in attempts:
        with pytest.raises(TransitionRefused):
            attempt()
    text = page(client, world, "af", inspection).content.decode()
    assert "/findings/" not in text and "/evaluate/" not in text and "/acknowledge/" not in text
    response = step(client, world, "af", inspection, "evaluate", {"evaluate-evaluation": "Nog"})
    assert response.status_code == 400
    assert "nothing in it changes any more" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.evaluation == "Goed"


def test_the_page_offers_only_the_steps_the_policy_allows(client, world):
    inspection = plan(world)
    steps = ("acknowledge", "findings", "evaluate")
    urls = {a: reverse("inspections:act", args=[inspection.pk, a]) for a in steps}

    def offered(key):
        text = page(client, world, key, inspection).content.decode()
        return {action for action, url in urls.items() if url in text}

    assert offered("af") == {"findings"}
    assert offered("iszw") == set()
    assert offered("zc") == {"acknowledge"}
    findings = {"findings-findings": FINDINGS}
    for key in ("iszw", "zc"):  # they see it, but may not take the step
        assert step(client, world, key, inspection, "findings", findings).status_code == 403
    assert step(client, world, "care", inspection, "acknowledge").status_code == 404
    assert step(client, world, "af", inspection, "nonsense").status_code == 404
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.PLANNED


# --- Unusable input --------------------------------------------------------------------------


def test_every_inspection_form_refuses_empty_invalid_and_invisible_input(client, world):
    login(client, world, "af")
    url = reverse("inspections:list")
    valid = {
        "kind": "bit",
        "planned_for": f"{timezone.localdate():%Y-%m-%d}T23:00",
        "participants": [world.orgs["iszw"].pk],
        "premises": PREMISES,
        "purpose": PURPOSE,
    }

    def plan_with(**changes):
        return client.post(url, valid | changes)

    assert client.post(url, {}).status_code == 400
    for invisible in ({"premises": "\u200b\u200b\u200b"}, {"purpose": "\u3000\u00a0\u2060"}):
        response = plan_with(**invisible)
        assert response.status_code == 400
        assert "Give the premises and the purpose" in response.content.decode()
    for invalid in (
        {"kind": "raid"},
        {"planned_for": "gisteren"},
        {"premises": "Loods\x00"},
        {"participants": ["999999"]},
        {"avim": world.orgs["iszw"].pk},
    ):
        assert plan_with(**invalid).status_code == 400, invalid
    assert not Inspection.objects.exists()
    # Full-width letters are letters: an address typed that way is still an address.
    assert plan_with(premises="ＬＯＯＳ　１２").status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.premises == "ＬＯＯＳ １２"
    for data in (
        {},
        {"findings-findings": "\u200b\u200d\ufeff"},
        {"findings-findings": FINDINGS, "findings-indicators": ["x" * 90]},
    ):
        assert step(client, world, "af", inspection, "findings", data).status_code == 400
    record(world, inspection)
    for data in ({}, {"evaluate-evaluation": "\u200b \u200b"}):
        assert step(client, world, "af", inspection, "evaluate", data).status_code == 400
    evaluate = reverse("inspections:act", args=[inspection.pk, "evaluate"])
    assert client.get(evaluate).status_code == 405
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.HELD and inspection.evaluation == ""


def test_the_inspection_list_reads_in_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.users["af"])
    plan(world)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("inspections:list"))
    for _ in range(5):
        plan(world)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("inspections:list")).status_code == 200

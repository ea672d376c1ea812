"""Retention: expired personal content goes, the counts for the annual report stay, a legal hold
keeps a signal, and the audit log keeps at least five years and still verifies."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from schakel.audit.choices import AuditAction
from schakel.audit.models import AuditEvent
from schakel.audit.services import audit_record
from schakel.intake.choices import CloseReason, SignalStatus
from schakel.intake.models import Signal, SignalAttachment, SignalPerson
from schakel.organisations.choices import Role
from schakel.retention.services import legal_hold_by_reference as signal_set_legal_hold

from .conftest import context_for
from .factories import SignalFactory, user_with_role

pytestmark = pytest.mark.django_db


def closed_signal(municipality, *, days_ago, reason=CloseReason.NOT_TRAFFICKING, **extra):
    signal = SignalFactory(
        municipality=municipality,
        status=SignalStatus.CLOSED,
        close_reason=reason,
        closed_at=timezone.now() - timedelta(days=days_ago),
        feedback="Bedankt, wij hebben het bekeken.",
        **extra,
    )
    SignalPerson.objects.create(signal=signal, role="victim", name="Irina Kowalczyk")
    return signal


def test_an_expired_signal_loses_its_personal_content_but_is_still_counted(
    municipality, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    old = closed_signal(municipality, days_ago=400)
    attachment = SignalAttachment(
        signal=old, original_name="foto.png", content_type="image/png", size=3, sha256="x"
    )
    attachment.file.save("upload", ContentFile(b"png"), save=True)
    path = attachment.file.path
    recent = closed_signal(municipality, days_ago=100)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention")
    old.refresh_from_db()
    assert (old.description, old.place, old.feedback, old.reporter) == ("", "", "", None)
    assert old.anonymised_at is not None
    assert not old.persons.exists() and not old.attachments.exists()
    assert not (tmp_path / path).exists()  # the file is gone once the change is committed
    # What the annual report counts is still there.
    assert (old.status, old.close_reason, old.entry_point) == (
        SignalStatus.CLOSED,
        CloseReason.NOT_TRAFFICKING,
        "municipality",
    )
    assert list(old.exploitation_forms.values_list("code", flat=True)) == ["labour"]
    assert Signal.objects.count() == 2
    recent.refresh_from_db()
    assert recent.description and recent.persons.exists()


def test_other_closed_signals_are_kept_five_years(municipality):
    handled = closed_signal(municipality, days_ago=400, reason=CloseReason.HANDED_OVER)
    call_command("apply_retention")
    handled.refresh_from_db()
    assert handled.anonymised_at is None
    call_command("apply_retention", date=(timezone.localdate() + timedelta(days=5 * 365)))
    handled.refresh_from_db()
    assert handled.anonymised_at is not None


def test_open_signals_are_never_touched(municipality):
    open_signal = SignalFactory(
        municipality=municipality, reported_at=timezone.now() - timedelta(days=3000)
    )
    call_command("apply_retention")
    open_signal.refresh_from_db()
    assert open_signal.anonymised_at is None


def test_a_legal_hold_keeps_a_signal_and_only_the_privacy_officer_sets_it(municipality, af_oov):
    held = closed_signal(municipality, days_ago=400)
    officer = user_with_role(Role.PRIVACY_OFFICER, municipality=municipality)
    with pytest.raises(PermissionDenied):
        signal_set_legal_hold(
            context=context_for(af_oov), reference=held.reference, hold=True, reason="Rechtszaak"
        )
    signal_set_legal_hold(
        context=context_for(officer), reference=held.reference, hold=True, reason="Rechtszaak"
    )
    call_command("apply_retention")
    held.refresh_from_db()
    assert held.anonymised_at is None and held.persons.exists()


def test_a_dry_run_changes_nothing(municipality, capsys):
    old = closed_signal(municipality, days_ago=400)
    call_command("apply_retention", dry_run=True)
    assert "Would anonymise 1 signal" in capsys.readouterr().out
    old.refresh_from_db()
    assert old.anonymised_at is None


def test_old_audit_entries_go_and_the_rest_still_verifies(municipality, af_oov, capsys, seal):
    from schakel.audit.models import AuditRetentionCut

    signal = SignalFactory(municipality=municipality)
    for _ in range(4):
        audit_record(context=context_for(af_oov), action=AuditAction.READ, objects=[signal])
    seal()
    call_command("apply_retention", date=timezone.localdate() + timedelta(days=5 * 365))
    assert AuditEvent.objects.count() == 4  # within seven years: all kept
    latest = audit_record(context=context_for(af_oov), action=AuditAction.READ, objects=[signal])
    call_command("apply_retention", date=timezone.localdate() + timedelta(days=7 * 365 + 1))
    # All sealed entries are old now and go; the one not sealed yet waits for the sealer.
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [latest.pk]
    cut = AuditRetentionCut.objects.get()
    assert (cut.first, cut.last) == (1, 4)
    seal()
    call_command("verify_audit_log")
    out = capsys.readouterr().out
    assert "intact: 1 sealed (#5–#5), #1–#4 removed by retention, 0 not sealed yet" in out


def test_a_dry_run_counts_the_audit_entries_that_would_go(municipality, af_oov, capsys, seal):
    signal = SignalFactory(municipality=municipality)
    for _ in range(3):
        audit_record(context=context_for(af_oov), action=AuditAction.READ, objects=[signal])
    seal()
    call_command(
        "apply_retention", dry_run=True, date=timezone.localdate() + timedelta(days=7 * 365 + 1)
    )
    assert "remove 3 audit entries" in capsys.readouterr().out
    assert AuditEvent.objects.count() == 3


def test_the_audit_term_cannot_be_set_below_five_years(settings):
    settings.SCHAKEL_RETENTION_DAYS = {**settings.SCHAKEL_RETENTION_DAYS, "audit_event": 365}
    with pytest.raises(ImproperlyConfigured):
        call_command("apply_retention")


def test_the_legal_hold_command_needs_a_privacy_officer_and_a_reason(municipality, af_oov, capsys):
    from django.core.management import CommandError

    held = closed_signal(municipality, days_ago=400)
    officer = user_with_role(Role.PRIVACY_OFFICER, municipality=municipality)
    with pytest.raises(CommandError):
        call_command("legal_hold", held.reference, by=af_oov.username, reason="x")
    with pytest.raises(CommandError):
        call_command("legal_hold", held.reference, by=officer.username)
    call_command("legal_hold", held.reference, by=officer.username, reason="Rechtszaak")
    assert "under a legal hold" in capsys.readouterr().out
    held.refresh_from_db()
    assert held.legal_hold
    call_command("legal_hold", held.reference, by=officer.username, release=True)
    held.refresh_from_db()
    assert not held.legal_hold


def test_a_signal_in_an_open_case_waits_for_the_case_and_its_minutes_go_with_it(
    municipality, af_oov
):
    from schakel.cases.services import case_open
    from schakel.meetings.models import AgendaItem, Meeting

    in_case = closed_signal(municipality, days_ago=400)
    case_open(
        context=context_for(af_oov),
        signals=[in_case],
    )
    discussed = closed_signal(municipality, days_ago=400)
    meeting = Meeting.objects.create(
        municipality=municipality,
        meeting_type="case_meeting",
        scheduled_for=timezone.now() - timedelta(days=500),
        created_by=af_oov,
    )
    AgendaItem.objects.create(
        meeting=meeting,
        position=1,
        signal=discussed,
        discussion="Irina Kowalczyk wil niet praten.",
        decisions="Monitoren",
        triage_decision="monitor",
    )
    call_command("apply_retention")
    in_case.refresh_from_db()
    assert in_case.anonymised_at is None and in_case.persons.exists()
    item = AgendaItem.objects.get(signal=discussed)
    assert (item.discussion, item.decisions, item.triage_decision) == ("", "", "monitor")


# --- Cases --------------------------------------------------------------------------------------


def closed_case(municipality, af_oov, *, days_ago, outcome):
    from schakel.cases import services as case_services
    from schakel.cases.models import Case

    context = context_for(af_oov)
    case = case_services.case_open(
        context=context,
        signals=[SignalFactory(municipality=municipality)],
        summary="Irina Kowalczyk werkte zonder contract in de loods.",
    )
    person = case_services.case_person_add(
        context=context, case=case, role="victim", name="Irina Kowalczyk", sex="f"
    )
    case_services.timeline_post(
        context=context, case=case, kind="contact", text="Gesprek met Irina Kowalczyk."
    )
    case_services.case_close(
        context=context,
        case=case,
        summary="Afgerond",
        outcomes={person.pk: outcome},
        feedback_withheld_reason="Onderzoek loopt",
    )
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=days_ago))
    return case


def test_an_expired_case_loses_its_persons_names_and_texts_but_keeps_the_counts(
    municipality, af_oov
):
    from schakel.matching.models import Involvement

    no_trafficking = closed_case(municipality, af_oov, days_ago=400, outcome="none")
    helped_recently = closed_case(municipality, af_oov, days_ago=400, outcome="care")
    helped_long_ago = closed_case(municipality, af_oov, days_ago=6 * 365, outcome="care")
    assert Involvement.objects.filter(case_person__case=no_trafficking).exists()
    call_command("apply_retention")
    for case in (no_trafficking, helped_long_ago):
        case.refresh_from_db()
        assert case.anonymised_at is not None and case.summary == ""
        person = case.persons.get()
        assert (person.name, person.name_index, person.date_of_birth) == ("", "", "")
        assert (person.role, person.sex) == ("victim", "f")  # still counted
        assert not case.timeline.exclude(text="").exists()
        assert not Involvement.objects.filter(case_person__case=case).exists()
    assert no_trafficking.persons.get().outcomes.get().outcome == "none"  # still counted
    helped_recently.refresh_from_db()
    assert helped_recently.anonymised_at is None
    assert helped_recently.persons.get().name == "Irina Kowalczyk"
    event = AuditEvent.objects.filter(purpose="retention: anonymised").latest("id")
    assert event.subjects  # the persons concerned are named in the log


def test_a_legal_hold_keeps_a_case(municipality, af_oov, capsys):
    case = closed_case(municipality, af_oov, days_ago=6 * 365, outcome="care")
    privacy = user_with_role(Role.PRIVACY_OFFICER)
    call_command(
        "legal_hold", case.reference, "--by", privacy.username, "--reason", "Strafzaak loopt"
    )
    assert "under a legal hold" in capsys.readouterr().out
    call_command("apply_retention")
    case.refresh_from_db()
    assert case.anonymised_at is None and case.legal_hold_reason == "Strafzaak loopt"

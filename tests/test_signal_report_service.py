"""The one write path for a new signal."""

import re
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from schakel.audit.models import AuditEvent
from schakel.intake.models import Signal
from schakel.intake.services import REFERENCE_ALPHABET, SignalReport, new_reference, signal_report
from schakel.organisations.choices import Role

from .conftest import context_for
from .factories import user_with_role

pytestmark = pytest.mark.django_db


def report_for(user, **overrides):
    membership = user.memberships.get()
    values = {
        "organisation_id": membership.organisation_id,
        "role": membership.role,
        "municipality_id": membership.organisation.municipality_id,
        "description": "Slaapplaatsen in een bedrijfshal.",
        "place": "Oosthaven",
        "exploitation_form_codes": ("labour",),
        "observed_on": timezone.localdate(),
        "submission_token": uuid.uuid4(),
    }
    values.update(overrides)
    return SignalReport(**values)


def test_reference_numbers_are_short_unambiguous_and_not_sequential():
    references = {new_reference(2026) for _ in range(200)}
    assert len(references) == 200
    for reference in references:
        assert re.fullmatch(rf"MH-2026-[{REFERENCE_ALPHABET}]{{6}}", reference)


def test_a_report_is_stored_with_its_creation_audited(municipal_reporter):
    signal = signal_report(
        context=context_for(municipal_reporter), report=report_for(municipal_reporter)
    )
    assert Signal.objects.get() == signal
    event = AuditEvent.objects.get()
    assert (event.action, event.user, event.object_ids) == (
        "create",
        municipal_reporter,
        [str(signal.pk)],
    )


def test_the_same_submission_token_returns_the_first_signal(municipal_reporter):
    report = report_for(municipal_reporter)
    first = signal_report(context=context_for(municipal_reporter), report=report)
    second = signal_report(context=context_for(municipal_reporter), report=report)
    assert first == second
    assert Signal.objects.count() == 1


def test_someone_elses_submission_token_is_refused(municipal_reporter, municipality):
    report = report_for(municipal_reporter)
    signal_report(context=context_for(municipal_reporter), report=report)
    colleague = user_with_role(Role.MUNICIPAL_REPORTER, municipality=municipality)
    with pytest.raises(PermissionDenied):
        signal_report(
            context=context_for(colleague),
            report=report_for(colleague, submission_token=report.submission_token),
        )


def test_a_role_the_reporter_does_not_hold_is_refused(municipal_reporter):
    with pytest.raises(PermissionDenied):
        signal_report(
            context=context_for(municipal_reporter),
            report=report_for(municipal_reporter, role=Role.AVIM),
        )


def test_a_local_organisation_reports_only_to_its_own_municipality(
    municipal_reporter, other_municipality
):
    with pytest.raises(PermissionDenied):
        signal_report(
            context=context_for(municipal_reporter),
            report=report_for(municipal_reporter, municipality_id=other_municipality.pk),
        )


@pytest.mark.parametrize(
    "codes", [(), ("unknown", "labour"), ("slavery",)], ids=["none", "unknown+labour", "bogus"]
)
def test_exploitation_forms_must_be_valid(municipal_reporter, codes):
    with pytest.raises(ValidationError):
        signal_report(
            context=context_for(municipal_reporter),
            report=report_for(municipal_reporter, exploitation_form_codes=codes),
        )
    assert not Signal.objects.exists()


def test_a_board_viewer_cannot_report(municipality):
    viewer = user_with_role(Role.BOARD_VIEWER, municipality=municipality)
    with pytest.raises(PermissionDenied):
        signal_report(context=context_for(viewer), report=report_for(viewer))

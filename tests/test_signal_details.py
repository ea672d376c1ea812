"""What may come with a report: the people involved (only the fields the reporter may enter,
encrypted at rest), the indicators of the signal card, and photos or PDFs."""

import io
import uuid

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from schakel.audit.models import AuditEvent
from schakel.catalogue.cards import checklist_for
from schakel.core.crypto import blind_index
from schakel.intake.models import Signal, SignalAttachment, SignalPerson

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PNG = _png()
PDF = _pdf()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def report(client, user, *, persons=(), indicators=(), files=(), **extra):
    membership = user.memberships.get()
    data = {
        "reporting_as": f"{membership.organisation_id}:{membership.role}",
        "municipality": membership.organisation.municipality_id,
        "observed_on": timezone.localdate().isoformat(),
        "place": "Havenweg 12",
        "exploitation_forms": ["labour"],
        "description": "Zes mensen slapen in de loods.",
        "submission_token": str(uuid.uuid4()),
        "indicators": list(indicators),
        "persons-TOTAL_FORMS": str(max(len(persons), 1)),
        "persons-INITIAL_FORMS": "0",
        "persons-MIN_NUM_FORMS": "0",
        "persons-MAX_NUM_FORMS": "5",
        "attachments": list(files),
    }
    for number, person in enumerate(persons):
        data.update({f"persons-{number}-{key}": value for key, value in person.items()})
    data.update(extra)
    return client.post(reverse("intake:report"), data)


def test_a_municipal_reporter_names_a_possible_victim_and_it_is_encrypted_at_rest(
    client, municipal_reporter, af_oov
):
    client.force_login(municipal_reporter)
    person = {"role": "victim", "name": "Irina Kowalczyk", "date_of_birth": "1999", "sex": "f"}
    assert report(client, municipal_reporter, persons=[person]).status_code == 302
    stored = SignalPerson.objects.get()
    assert stored.name == "Irina Kowalczyk"
    assert stored.name_index == blind_index("irina kowalczyk", purpose="person-name")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, date_of_birth FROM intake_signalperson")
        raw_name, raw_birth = cursor.fetchone()
    assert "Irina" not in raw_name and "Kowalczyk" not in raw_name
    assert "1999" not in raw_birth
    client.force_login(af_oov)
    page = client.get(reverse("intake:detail", args=[stored.signal.reference]))
    assert "Irina Kowalczyk" in page.content.decode()
    read = AuditEvent.objects.filter(action="read").last()
    assert "persons" in read.fields


def test_a_secondary_partner_describes_people_but_cannot_name_them(client, hotel_reporter):
    client.force_login(hotel_reporter)
    form_page = client.get(reverse("intake:report"))
    assert 'name="persons-0-name"' not in form_page.content.decode()
    person = {"role": "victim", "name": "Irina Kowalczyk", "approximate_age": "20"}
    response = report(client, hotel_reporter, persons=[person])
    assert response.status_code == 302  # the name field does not exist for them: it is ignored
    stored = SignalPerson.objects.get()
    assert (stored.name, stored.approximate_age) == ("", 20)


def test_the_service_refuses_names_from_a_secondary_partner(hotel_reporter):
    from django.core.exceptions import PermissionDenied

    from schakel.intake.services import PersonInput, SignalDetails, SignalReport, signal_report

    from .conftest import context_for

    membership = hotel_reporter.memberships.get()
    with pytest.raises(PermissionDenied):
        signal_report(
            context=context_for(hotel_reporter),
            report=SignalReport(
                organisation_id=membership.organisation_id,
                role=membership.role,
                municipality_id=membership.organisation.municipality_id,
                description="x",
                place="y",
                exploitation_form_codes=("sexual",),
                observed_on=timezone.localdate(),
                submission_token=uuid.uuid4(),
                details=SignalDetails(persons=(PersonInput(role="victim", name="Irina"),)),
            ),
        )
    assert not Signal.objects.exists()


def test_the_checklist_is_the_reporters_signal_card(client, municipal_reporter, hotel_reporter):
    client.force_login(municipal_reporter)
    form = client.get(reverse("intake:report")).context["form"]
    assert [i.code for i in form.checklist] == [i.code for i in checklist_for("brp")]
    client.force_login(hotel_reporter)
    form = client.get(reverse("intake:report")).context["form"]
    assert [i.code for i in form.checklist] == [i.code for i in checklist_for("hospitality")]
    form = client.get(reverse("intake:report"), {"kaart": "housing"}).context["form"]
    assert [i.code for i in form.checklist] == [i.code for i in checklist_for("housing")]


def test_ticked_indicators_are_stored_and_shown_to_the_af(client, municipal_reporter, af_oov):
    tickable = [i for i in checklist_for("brp") if i.is_recorded]  # the questions are not
    ticked = [i.code for i in tickable[:3]]
    client.force_login(municipal_reporter)
    report(client, municipal_reporter, indicators=ticked)
    signal = Signal.objects.get()
    assert sorted(signal.indicators.values_list("code", flat=True)) == sorted(ticked)
    client.force_login(af_oov)
    page = client.get(reverse("intake:detail", args=[signal.reference])).content.decode()
    assert tickable[0].text in page


def test_a_photo_is_stored_outside_the_web_root_and_downloaded_only_through_the_policy(
    client, municipal_reporter, af_oov, other_af_oov, private_media
):
    client.force_login(municipal_reporter)
    photo = SimpleUploadedFile("busje.png", PNG, content_type="image/png")
    assert report(client, municipal_reporter, files=[photo]).status_code == 302
    attachment = SignalAttachment.objects.get()
    assert str(private_media) in attachment.file.path
    assert "busje" not in attachment.file.name  # stored under a random name
    url = reverse("intake:attachment", args=[attachment.signal.reference, attachment.pk])
    client.force_login(af_oov)
    response = client.get(url)
    assert response.status_code == 200
    downloaded = Image.open(io.BytesIO(b"".join(response.streaming_content)))  # re-encoded
    assert downloaded.format == "PNG" and downloaded.getpixel((0, 0)) == (10, 120, 200)
    assert 'filename="busje.png"' in response["Content-Disposition"]
    assert AuditEvent.objects.filter(purpose="download attachment", user=af_oov).exists()
    client.force_login(other_af_oov)
    assert client.get(url).status_code == 404


def test_a_file_that_is_not_a_photo_or_pdf_is_refused_next_to_the_field(client, municipal_reporter):
    client.force_login(municipal_reporter)
    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    response = report(client, municipal_reporter, files=[fake])
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"]
    assert "Zes mensen slapen" in response.content.decode()  # what was typed is kept
    assert not Signal.objects.exists() and not SignalAttachment.objects.exists()


def test_too_large_or_too_many_files_are_refused(client, municipal_reporter, settings):
    settings.SCHAKEL_ATTACHMENT_MAX_BYTES = len(PDF) - 1
    client.force_login(municipal_reporter)
    big = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    assert report(client, municipal_reporter, files=[big]).status_code == 200
    settings.SCHAKEL_ATTACHMENT_MAX_BYTES = 10 * len(PDF)
    six = [SimpleUploadedFile(f"{n}.pdf", PDF, content_type="application/pdf") for n in range(6)]
    assert report(client, municipal_reporter, files=six).status_code == 200
    assert not Signal.objects.exists()


def test_the_public_form_offers_the_sectors_checklist(client):
    page = client.get(reverse("intake:public_report"), {"sector": "school"})
    assert [i.code for i in page.context["form"].checklist] == [
        i.code for i in checklist_for("school")
    ]

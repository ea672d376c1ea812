"""Load the default indicator catalogue (Bijlage 6 of the study) shipped in data/indicators.yaml.

Self-contained on purpose: it uses the historical models and reads only the fields that existed
when it was written, so later changes to the live code cannot break it. The shipped file is
validated by the test suite through the import service; later changes to the file are loaded
with `manage.py import_indicators`.
"""

from pathlib import Path

import yaml
from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "indicators.yaml"
FORM_CODES = ["sexual", "labour", "criminal", "organ_removal"]
TEXT_FIELDS = ["text_nl", "text_en", "category", "strength", "ilo_indicator", "source_note"]


def _records():
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return data["indicators"] if isinstance(data, dict) else data


def load_defaults(apps, schema_editor):
    ExploitationForm = apps.get_model("catalogue", "ExploitationForm")
    Indicator = apps.get_model("catalogue", "Indicator")
    forms = {form.code: form for form in ExploitationForm.objects.filter(code__in=FORM_CODES)}
    for index, record in enumerate(_records()):
        defaults = {field: str(record.get(field) or "").strip() for field in TEXT_FIELDS}
        defaults.update(
            kind=record.get("kind") or "signal",
            subject=record.get("subject") or "person",
            ilo_grade=record.get("ilo_grade") or "",
            sources=[str(source) for source in record.get("sources") or []],
            is_active=record.get("is_active", True),
            position=record.get("position", (index + 1) * 10),
        )
        indicator, _ = Indicator.objects.update_or_create(code=record["code"], defaults=defaults)
        codes = FORM_CODES if record["forms"] == "all" else record["forms"]
        indicator.exploitation_forms.set([forms[code] for code in codes])


def unload_defaults(apps, schema_editor):
    Indicator = apps.get_model("catalogue", "Indicator")
    Indicator.objects.filter(code__in=[record["code"] for record in _records()]).delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_indicator")]

    operations = [migrations.RunPython(load_defaults, unload_defaults)]

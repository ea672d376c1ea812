"""The first version of the model (data/model-2026.1.yaml), loaded with the historical models.

A released version's file is never edited (a change is a new file with a new version, loaded
with `manage.py load_assessment_model`), so reading it here loads the same rows every time."""

from django.db import migrations

VERSION = "2026.1"


def load(apps, schema_editor):
    from schakel.assessment.model_loader import DATA_DIR, load_model

    load_model(DATA_DIR / f"model-{VERSION}.yaml", apps=apps)


def unload(apps, schema_editor):
    apps.get_model("assessment", "ModelVersion").objects.filter(version=VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]

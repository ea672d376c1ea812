"""Loading a version of the self-assessment model: the file is checked as a whole, a version in
use never changes, and the migration's version is there from the start."""

from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from schakel.assessment.model_loader import ModelFileError, load_model, read_file
from schakel.assessment.models import Assessment, Condition, ModelVersion

from .factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "assessment"
V1, V2 = DATA / "model-v1.yaml", DATA / "model-v2.yaml"


def raw(path=V1):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_migration_loads_a_version_of_four_elements_and_fifteen_conditions():
    version = ModelVersion.objects.get(version="2026.1")
    assert [e.code for e in version.elements.all()] == [
        "network",
        "prevention",
        "care",
        "perpetrator",
    ]
    assert version.conditions.count() == 15
    assert version.basis_criteria.count() == 4
    assert version.vng_themes.count() == 5
    assert version.levels.count() == 4
    for condition in version.conditions.all():
        assert sorted(c.level for c in condition.criteria.all()) == [1, 2, 3]


def test_a_file_loads_as_a_new_version_with_all_its_parts():
    version = load_model(V1)
    assert version.version == "test.1"
    condition = version.conditions.get(code="network-learning")
    assert condition.instruments.count() == 1
    practice = condition.best_practices.get()
    assert practice.counts == {"amsterdam": 1, "tilburg": 2} and practice.total == 3
    assert version.references.count() == 5
    assert version.references.first().levels.count() == 15
    criterion = version.basis_criteria.get(code="active-signalling")
    assert criterion.requirements.count() == 2


def test_texts_follow_the_active_language(settings):
    from django.utils import translation

    version = load_model(V1)
    condition = version.conditions.get(code="network-direction")
    with translation.override("en"):
        assert condition.name == "Network direction"
    with translation.override("nl"):
        assert condition.name == "Netwerkregie"


def test_a_version_not_used_yet_can_be_loaded_again():
    load_model(V1)
    load_model(V1)
    assert ModelVersion.objects.filter(version="test.1").count() == 1


def test_a_version_in_use_is_refused_with_the_advice_to_number_it_anew():
    version = load_model(V1)
    Assessment.objects.create(municipality=MunicipalityFactory(), year=2025, model_version=version)
    with pytest.raises(ModelFileError, match="new version number"):
        load_model(V1)
    assert Condition.objects.filter(model_version=version).count() == 15


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda d: d.pop("version"), "version"),
        (lambda d: d["elements"].pop(), "elements"),
        (lambda d: d["elements"][0]["conditions"].pop(), "15 conditions"),
        (lambda d: d["elements"][0]["conditions"][0].update(tier="sometimes"), "tier"),
        (lambda d: d["elements"][0]["conditions"][0]["criteria"].pop(), "levels 1, 2 and 3"),
        (lambda d: d["elements"][0]["conditions"][0].update(facts=["weather"]), "unknown fact"),
        (
            lambda d: d["elements"][0]["conditions"][1].update(
                priority=d["elements"][0]["conditions"][0]["priority"]
            ),
            "priority",
        ),
        (lambda d: d["basisniveau"].pop(), "basisniveau"),
        (lambda d: d["basisniveau"][0]["requires"][0].update(condition="nope"), "unknown"),
        (lambda d: d["vng_themes"].pop(), "5 themes"),
        (lambda d: d["references"][0]["levels"][0].update(level=7), "level must be"),
        (lambda d: d["levels"].pop(), "0, 1, 2 and 3"),
        (lambda d: d["elements"][1].update(name_en=""), "name_en"),
    ],
)
def test_a_file_off_the_schema_loads_nothing_and_says_where(spoil, message):
    data = raw()
    spoil(data)
    with pytest.raises(ModelFileError, match=message):
        load_model(data)
    assert not ModelVersion.objects.filter(version="test.1").exists()


def test_the_placeholder_and_the_test_files_follow_the_schema():
    from schakel.assessment.model_loader import DATA_DIR

    for path in (DATA_DIR / "model-2026.1.yaml", V1, V2):
        assert read_file(path)["version"]


def test_the_command_loads_a_file_and_refuses_a_bad_one(tmp_path, capsys):
    call_command("load_assessment_model", str(V2))
    assert ModelVersion.objects.filter(version="test.2").exists()
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing loaded"):
        call_command("load_assessment_model", str(bad))


def test_the_shipped_model_comes_back_into_an_emptied_database_and_is_loaded_once():
    from schakel.assessment.model_loader import load_shipped_models

    assert load_shipped_models() == []  # the migration loaded it
    ModelVersion.objects.all().delete()
    assert load_shipped_models() == ["2026.1"]
    assert load_shipped_models() == []
    assert Condition.objects.filter(model_version__version="2026.1").count() == 15

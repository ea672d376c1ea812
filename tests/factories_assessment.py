"""Helpers for the self-assessment tests: the test model files, and assessments filled by hand
through the services."""

from __future__ import annotations

from pathlib import Path

from schakel.assessment import services
from schakel.assessment.model_loader import load_model
from schakel.assessment.models import Assessment, Condition, ModelVersion
from schakel.core.context import AccessContext

DATA = Path(__file__).parent / "data" / "assessment"
V1, V2 = DATA / "model-v1.yaml", DATA / "model-v2.yaml"


def load_v1() -> ModelVersion:
    return load_model(V1)


def load_v2() -> ModelVersion:
    return load_model(V2)


def fill(
    context: AccessContext,
    assessment: Assessment,
    levels: dict[str, int],
    default: int | None = None,
) -> Assessment:
    """Answer the named conditions at their levels, the others at `default` (None: leave open)."""
    for condition in Condition.objects.filter(model_version_id=assessment.model_version_id):
        level = levels.get(condition.code, default)
        if level is not None:
            services.answer_record(
                context=context,
                assessment=assessment,
                condition=condition.code,
                level=level,
                notes=f"Toelichting bij {condition.code}",
            )
    assessment.refresh_from_db()
    return assessment

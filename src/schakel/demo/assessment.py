"""The demo municipality's self-assessments: last year's, final with every condition answered,
notes and some evidence; this year's a draft partly filled, so the comparison shows. Levels
follow the conditions' order in the newest model version (the demo names no condition: the
model is data and may change). Invented text; loading twice changes nothing."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from schakel.assessment import services
from schakel.assessment.model_loader import load_shipped_models
from schakel.assessment.models import Assessment, Condition
from schakel.core.context import AccessContext
from schakel.organisations.models import Municipality

# Last year's levels by the conditions' position; this year's for the first ones answered.
LAST_YEAR = (2, 1, 2, 1, 2, 0, 2, 1, 2, 2, 1, 0, 1, 2, 1)
THIS_YEAR = (3, 2, 2, 1, 2, 1, 3)
NOTES = {
    0: "Nog niet geregeld; staat op de planning voor volgend jaar.",
    1: "Er is een begin gemaakt, maar het hangt nog van één persoon af.",
    2: "Geregeld en in gebruik; nog niet geëvalueerd.",
    3: "Vastgelegd en dit jaar met de partners geëvalueerd.",
}


def load_assessments(context: AccessContext, municipality: Municipality) -> None:
    load_shipped_models()
    year = timezone.localdate().year
    if Assessment.objects.filter(municipality=municipality, year=year - 1).exists():
        return
    last = services.assessment_start(
        context=context, year=year - 1, municipality_id=municipality.pk
    )
    conditions = list(
        Condition.objects.filter(model_version_id=last.model_version_id).order_by(
            "element__position", "position"
        )
    )
    for index, condition in enumerate(conditions):
        level = LAST_YEAR[index % len(LAST_YEAR)]
        services.answer_record(
            context=context,
            assessment=last,
            condition=condition,
            level=level,
            notes=NOTES[level],
        )
    for condition, kind, title, url, on in (
        (
            conditions[0],
            "document",
            "Beleidsplan mensenhandel, vastgesteld door het college",
            "",
            None,
        ),
        (
            conditions[0],
            "date",
            "Convenant zorg en veiligheid ondertekend",
            "",
            date(year - 1, 3, 14),
        ),
        (conditions[2], "link", "Vergaderschema casusoverleg", "https://example.org/schema", None),
    ):
        services.evidence_add(
            context=context,
            assessment=last,
            condition=condition,
            kind=kind,
            title=title,
            url=url,
            on=on,
        )
    services.assessment_finalise(context=context, assessment=last)
    draft = services.assessment_start(context=context, year=year, municipality_id=municipality.pk)
    for condition, level in zip(conditions, THIS_YEAR, strict=False):
        services.answer_record(
            context=context,
            assessment=draft,
            condition=condition.code,
            level=level,
            notes=NOTES[level],
        )

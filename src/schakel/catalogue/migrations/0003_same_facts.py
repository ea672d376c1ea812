"""Facts and questions of the BRP desk card apart (issue 12): the escort holding the registrant's
identity document is a fact found, and counts as the general "does not hold their own documents"
(one fact, not two hard indicators); what the card's questions bring to light can be ticked as
facts. Frozen data, like 0002: a later change to data/indicators.yaml does not change this."""

import django.db.models.deletion
from django.db import migrations, models


AFTER = "brp-question-own-identity-document"
NEW_FACTS = [
    {
        "code": "brp-fact-many-registered-at-address",
        "text_nl": "Er staan opvallend veel mensen ingeschreven op dit adres.",
        "text_en": "An unusually large number of people are registered at this address.",
        "subject": "setting",
    },
    {
        "code": "brp-fact-does-not-know-address",
        "text_nl": "De persoon die zich inschrijft kent het adres niet of weet niet waar de "
        "woning is.",
        "text_en": "The person registering does not know the address or where the home is.",
        "subject": "person",
    },
    {
        "code": "brp-fact-escort-registers-others",
        "text_nl": "Dezelfde begeleider komt met verschillende mensen mee om ze in te schrijven.",
        "text_en": "The same escort accompanies different people to register them.",
        "subject": "escort",
    },
]
INDICATOR_FORMS = ["sexual", "labour", "criminal", "organ_removal"]


def forward(apps, schema_editor):
    Indicator = apps.get_model("catalogue", "Indicator")
    ExploitationForm = apps.get_model("catalogue", "ExploitationForm")
    after = Indicator.objects.filter(code=AFTER).first()
    if after is None:  # a catalogue that was replaced by hand: leave it as it is
        return
    general = Indicator.objects.filter(code="identity-no-control-over-documents").first()
    Indicator.objects.filter(code="brp-escort-holds-identity-document").update(
        kind="fact", counts_as=general
    )
    step = 10
    Indicator.objects.filter(position__gt=after.position).update(
        position=models.F("position") + step * len(NEW_FACTS)
    )
    forms = list(ExploitationForm.objects.filter(code__in=INDICATOR_FORMS))
    for offset, fact in enumerate(NEW_FACTS, start=1):
        indicator, _ = Indicator.objects.get_or_create(
            code=fact["code"],
            defaults={
                **fact,
                "category": "brp_desk",
                "kind": "fact",
                "strength": "soft",
                "sources": ["1"],
                "position": after.position + step * offset,
            },
        )
        indicator.exploitation_forms.set(forms)


def backward(apps, schema_editor):
    Indicator = apps.get_model("catalogue", "Indicator")
    Indicator.objects.filter(code__in=[fact["code"] for fact in NEW_FACTS]).delete()
    Indicator.objects.filter(code="brp-escort-holds-identity-document").update(kind="signal")
    after = Indicator.objects.filter(code=AFTER).first()
    if after is not None:
        Indicator.objects.filter(position__gt=after.position).update(
            position=models.F("position") - 10 * len(NEW_FACTS)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0002_reference_data'),
    ]

    operations = [
        migrations.AddField(
            model_name='indicator',
            name='counts_as',
            field=models.ForeignKey(blank=True, help_text='The broader indicator this one records the same fact as: a signal that has both counts the fact once.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='counted_by', to='catalogue.indicator', verbose_name='counts as'),
        ),
        migrations.AlterField(
            model_name='indicator',
            name='kind',
            field=models.CharField(choices=[('signal', 'Sign to notice'), ('fact', 'Fact found'), ('question', 'Question to ask')], default='signal', max_length=12, verbose_name='kind'),
        ),
        migrations.RunPython(forward, backward),
    ]

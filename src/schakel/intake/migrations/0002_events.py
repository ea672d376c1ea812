"""Signal events become structured (core.events): the old `detail` code moves into
`parameters` under the name the renderer reads, the reminder's count of addresses and the case
meeting's decision are taken out of the sentences that were written at the time, and
`actor_label` goes (the name is read from the actor when shown)."""

import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
import re

from django.db import migrations, models

DETAIL_PARAMETER = {
    "enriched": "enrichment",
    "linked": "linked",
    "routed": "destination",
    "closed": "reason",
}
# The case meeting's decisions as they were written, in Dutch and English.
TRIAGE_LABELS = {
    "not_trafficking": ("Geen mensenhandel", "Not trafficking"),
    "monitor": ("Monitoren", "Monitor"),
    "care": ("Zorgspoor", "Care track"),
    "perpetrator": ("Daderspoor", "Perpetrator track"),
    "both": ("Zorg- en daderspoor", "Care and perpetrator track"),
}


def triage_parameters(text):
    """'Zorgspoor (…) · wijkt af van het advies: reden' → the decision's code, whether it
    deviates, and the reason as the typed text."""
    head, _sep, rest = text.partition(" · ")
    decision = next(
        (
            code
            for code, labels in sorted(TRIAGE_LABELS.items(), key=lambda kv: -len(kv[1][0]))
            if any(head.startswith(label) for label in labels)
        ),
        "",
    )
    reason = rest.split(": ", 1)[1] if ": " in rest else rest
    return {"decision": decision, "deviates": bool(rest)}, reason


def events_from_details(apps, schema_editor):
    SignalEvent = apps.get_model("intake", "SignalEvent")
    for event in SignalEvent.objects.all().iterator():
        parameters, text = {}, event.text
        if event.kind in DETAIL_PARAMETER and event.detail:
            parameters[DETAIL_PARAMETER[event.kind]] = event.detail
        elif event.kind == "reminder":
            deadline, _sep, level = event.detail.rpartition("-")
            count = re.search(r"\d+", text)
            parameters = {
                "deadline": deadline,
                "level": int(level) if level.isdigit() else None,
                "recipients": int(count.group()) if count else None,
                "shared_mailbox": "mailbox" in text.casefold(),
            }
            text = ""
        elif event.kind == "triaged":
            parameters, text = triage_parameters(text)
        event.parameters, event.text = parameters, text
        event.save(update_fields=["parameters", "text"])


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0001_initial'),
        ('organisations', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='signalevent',
            name='organisation',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation'),
        ),
        migrations.AddField(
            model_name='signalevent',
            name='parameters',
            field=models.JSONField(blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder),
        ),
        migrations.AlterField(
            model_name='signalevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='signalevent',
            name='kind',
            field=models.CharField(choices=[('reported', 'Reported'), ('picked_up', 'Picked up'), ('enriched', 'Enriched'), ('linked', 'Linked to another signal'), ('routed', 'Routed'), ('triaged', 'Discussed in the case meeting'), ('feedback', 'Feedback given to the reporter'), ('feedback_withheld', 'Feedback withheld'), ('closed', 'Closed'), ('reminder', 'Reminder sent')], max_length=24, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='signalevent',
            name='occurred_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded at'),
        ),
        migrations.AlterField(
            model_name='signalevent',
            name='text',
            field=models.TextField(blank=True, verbose_name='text'),
        ),
        migrations.AddIndex(
            model_name='signalevent',
            index=models.Index(fields=['kind', 'occurred_at'], name='signal_event_kind_idx'),
        ),
        migrations.RunPython(events_from_details, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='signalevent',
            name='actor_label',
        ),
        migrations.RemoveField(
            model_name='signalevent',
            name='detail',
        ),
    ]

"""Timeline entries become structured (core.events): a `parameters` JSON of ids and codes, the
kind limited to the known kinds. Entries written before keep what was written; the codes and
organisations that can be read back out of the sentences (the signals a case was opened from,
the organisation and basis of sharing, the direction holder, an agreement's owner and due
date) move into `parameters`, and the
rest of the sentence stays as the entry's text."""

import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# The labels as they were written, in Dutch and English, by code.
BASIS_LABELS = {
    "covenant": ("Convenantsartikel", "Covenant article"),
    "avg_6_1_e": ("AVG art. 6 lid 1 sub e", "AVG art. 6(1)(e)"),
    "avg_6_1_c": ("AVG art. 6 lid 1 sub c", "AVG art. 6(1)(c)"),
    "consent": ("Toestemming", "Consent"),
    "override": ("Doorbraak", "Override"),
    "pseudonyms": ("Alleen pseudoniemen", "Pseudonyms only"),
}
HOLDER_LABELS = {
    "netwerkregisseur": ("Netwerkregisseur", "Netwerkregisseur"),
    "veilig_thuis": ("Veilig Thuis", "Veilig Thuis"),
    "zvh": ("Zorg- en Veiligheidshuis", "Zorg- en Veiligheidshuis"),
}


def code_of(labels, text):
    return next(
        (code for code, names in labels.items() if any(text.startswith(n) for n in names)), ""
    )


def parameters_from_text(entry, organisations):
    """What can be read back out of an entry written as a sentence: (parameters, text)."""
    text = entry.text
    if entry.kind == "opened":
        return {"signals": [ref.strip() for ref in text.split(",") if ref.strip()]}, ""
    if entry.kind == "direction":
        holder, _sep, reason = text.partition(": ")
        return {"holder": code_of(HOLDER_LABELS, holder)}, reason
    if entry.kind in ("shared", "revealed", "unshared"):
        parts = text.split(" · ", 2 if entry.kind != "unshared" else 1)
        parameters = {"organisation": organisations.get(parts[0])}
        if entry.kind != "unshared" and len(parts) == 3:
            parameters["basis"] = code_of(BASIS_LABELS, parts[1])
            return parameters, parts[2]
        return parameters, parts[-1] if len(parts) > 1 else ""
    if entry.kind == "agreement":
        parts = text.split(" · ", 2)
        if len(parts) == 3 and parts[0] in organisations:
            day, month, year = (parts[1].split("-") + ["", "", ""])[:3]
            return {
                "owner_organisation": organisations[parts[0]],
                "due_on": f"{year}-{month}-{day}",
            }, parts[2]
    return {}, text


def entries_structured(apps, schema_editor):
    TimelineEntry = apps.get_model("cases", "TimelineEntry")
    Organisation = apps.get_model("organisations", "Organisation")
    organisations = dict(Organisation.objects.values_list("name", "pk"))
    for entry in TimelineEntry.objects.all().iterator():
        entry.parameters, entry.text = parameters_from_text(entry, organisations)
        entry.save(update_fields=["parameters", "text"])


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0001_initial'),
        ('organisations', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='timelineentry',
            name='parameters',
            field=models.JSONField(blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder),
        ),
        migrations.AlterField(
            model_name='timelineentry',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='timelineentry',
            name='kind',
            field=models.CharField(choices=[('contact', 'Contact'), ('action', 'Action'), ('decision', 'Decision'), ('referral', 'Referral'), ('intervention', 'Intervention'), ('note', 'Note'), ('opened', 'Case opened'), ('shared', 'Shared with an organisation'), ('revealed', 'Personal data revealed to a participant'), ('unshared', 'An organisation no longer takes part'), ('direction', 'Direction changed'), ('updated', 'Case details changed'), ('person', 'Person added'), ('agreement', 'Agreement made'), ('agreement_done', 'Agreement done'), ('agreement_cancelled', 'Agreement cancelled'), ('referral_proposed', 'Referral made'), ('referral_accepted', 'Referral accepted'), ('referral_rejected', 'Referral rejected'), ('referral_revoked', 'Referral revoked'), ('intervention_proposed', 'Intervention proposed'), ('intervention_acknowledged', 'Intervention acknowledged by the care side'), ('intervention_executed', 'Intervention executed'), ('intervention_outcome', 'Outcome of the intervention'), ('intervention_withdrawn', 'Intervention withdrawn'), ('proposal', 'Proposal for the case meeting'), ('proposal_approved', 'Proposal approved in the case meeting'), ('proposal_rejected', 'Proposal rejected in the case meeting'), ('inspection', 'Inspection'), ('closed', 'Case closed'), ('corrected', 'Data of a person corrected (AVG art. 16)')], max_length=32, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='timelineentry',
            name='occurred_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded at'),
        ),
        migrations.AlterField(
            model_name='timelineentry',
            name='organisation',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation'),
        ),
        migrations.AlterField(
            model_name='timelineentry',
            name='text',
            field=models.TextField(blank=True, verbose_name='text'),
        ),
        migrations.AddIndex(
            model_name='timelineentry',
            index=models.Index(fields=['kind', 'occurred_at'], name='case_event_kind_idx'),
        ),
        migrations.RunPython(entries_structured, migrations.RunPython.noop),
    ]

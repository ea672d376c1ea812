"""An own reference on a lookup; a follow-up task per person and pair of organisations.

Existing tasks learn their person (the hit's involvement) and the other organisation; where a
person was confirmed more than once, the newest task is kept and pointed at the newest hit."""

import django.db.models.deletion
from django.db import migrations, models


def fill_and_merge(apps, schema_editor):
    HitTask = apps.get_model("matching", "HitTask")
    kept: dict[tuple[int, int, int], int] = {}
    for task in HitTask.objects.select_related("hit__lookup", "hit__involvement").order_by(
        "-created_at", "-pk"
    ):
        hit = task.hit
        holder = hit.involvement.organisation_id
        seeker = hit.lookup.organisation_id
        counterpart = holder if task.organisation_id == seeker else seeker
        key = (hit.involvement_id, task.organisation_id, counterpart)
        if key in kept:
            task.delete()
            continue
        kept[key] = task.pk
        task.involvement_id = hit.involvement_id
        task.counterpart_id = counterpart
        task.save(update_fields=["involvement", "counterpart"])


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0001_initial"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="lookup",
            name="reference",
            field=models.CharField(blank=True, max_length=50, verbose_name="own reference"),
        ),
        migrations.AddField(
            model_name="hittask",
            name="involvement",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="tasks",
                to="matching.involvement",
            ),
        ),
        migrations.AddField(
            model_name="hittask",
            name="counterpart",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organisations.organisation",
            ),
        ),
        migrations.RunPython(fill_and_merge, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="hittask",
            name="involvement",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="tasks",
                to="matching.involvement",
            ),
        ),
        migrations.AlterField(
            model_name="hittask",
            name="counterpart",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organisations.organisation",
            ),
        ),
        migrations.AddConstraint(
            model_name="hittask",
            constraint=models.UniqueConstraint(
                fields=("involvement", "organisation", "counterpart"),
                name="one_task_per_person_and_pair",
            ),
        ),
    ]

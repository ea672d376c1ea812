"""Inspections get a kind, the organisations that take part and real notices to AVIM and the
zorgcoördinatie (with their acknowledgement), instead of two ticks.

The ticks `avim_informed` and `zc_standby` named no organisation and nobody acknowledged them,
so they cannot become notices: a tick becomes nothing. There are no installations with
inspections yet; on one that has them, the inspection page shows the notices as missing. An
existing inspection becomes an administrative inspection with the planner's own organisation
(their membership in the inspection's municipality) as its only participant, so the same people
keep seeing it.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def planners_organisation_takes_part(apps, schema_editor):
    Inspection = apps.get_model("cases", "Inspection")
    Membership = apps.get_model("organisations", "Membership")
    for inspection in Inspection.objects.all():
        organisations = Membership.objects.filter(
            user_id=inspection.planned_by_id,
            organisation__municipality_id=inspection.municipality_id,
        ).values_list("organisation_id", flat=True)
        inspection.participants.add(*set(organisations))


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0007_proposal_proposer_and_municipal_decision'),
        ('organisations', '0004_big_decisions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='inspection',
            name='kind',
            field=models.CharField(choices=[('bit', 'BIT: multidisciplinary inspection with partners'), ('administrative', 'Administrative inspection by the municipality (toezicht & handhaving)'), ('labour', 'Inspection with the labour inspectorate')], default='administrative', max_length=16, verbose_name='kind of inspection'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='inspection',
            name='held_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='findings recorded at'),
        ),
        migrations.AddField(
            model_name='inspection',
            name='participants',
            field=models.ManyToManyField(related_name='inspections', to='organisations.organisation', verbose_name='organisations taking part'),
        ),
        migrations.CreateModel(
            name='InspectionNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('avim_informed', 'AVIM informed'), ('zc_standby', 'Zorgcoördinator asked to stand by')], max_length=16, verbose_name='kind')),
                ('sent_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='sent at')),
                ('acknowledged_at', models.DateTimeField(blank=True, null=True, verbose_name='acknowledged at')),
                ('acknowledged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('inspection', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='cases.inspection')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation')),
            ],
            options={
                'verbose_name': 'notice of an inspection',
                'verbose_name_plural': 'notices of inspections',
                'ordering': ['kind'],
                'constraints': [models.UniqueConstraint(fields=('inspection', 'kind'), name='one_notice_per_kind'), models.CheckConstraint(condition=models.Q(models.Q(('acknowledged_at__isnull', True), ('acknowledged_by__isnull', True)), models.Q(('acknowledged_at__isnull', False), ('acknowledged_by__isnull', False)), _connector='OR'), name='notice_acknowledged_by_someone')],
            },
        ),
        migrations.RunPython(planners_organisation_takes_part, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='inspection',
            name='avim_informed',
        ),
        migrations.RemoveField(
            model_name='inspection',
            name='zc_standby',
        ),
    ]

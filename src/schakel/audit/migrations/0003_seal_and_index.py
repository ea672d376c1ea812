"""The audit log without a shared lock: each entry gets its own keyed hash (`entry_mac`) and the
id of its transaction (`txid`); the chain moves into `AuditSeal`, written by the sealer; the
index tables of persons concerned and object numbers; checkpoints, retention cuts, the sealer's
lock row and the removal gate.

The update trigger of 0002 is dropped here so that 0004 can give the existing entries their
`entry_mac`; 0005 puts it back with the others."""

import django.db.models.deletion
import schakel.audit.models
from django.conf import settings
from django.db import migrations, models

# As in 0002_append_only_trigger; the function stays, only the trigger goes for a while.
POSTGRES_DROP = "DROP TRIGGER IF EXISTS audit_auditevent_no_update ON audit_auditevent;"
POSTGRES_CREATE = """
CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS audit_auditevent_no_update;"
SQLITE_CREATE = """
CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
"""


def drop_update_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


def create_update_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_trigger'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_update_trigger, create_update_trigger),
        migrations.CreateModel(
            name='AuditCheckpoint',
            fields=[
                ('sequence', models.PositiveBigIntegerField(primary_key=True, serialize=False, verbose_name='sequence number')),
                ('chain_hash', models.CharField(max_length=64, verbose_name='chain hash')),
                ('count', models.PositiveBigIntegerField(verbose_name='entries sealed')),
                ('created_at', models.DateTimeField(verbose_name='created at')),
                ('mac', models.CharField(max_length=64, verbose_name='signature')),
            ],
            options={
                'verbose_name': 'audit checkpoint',
                'verbose_name_plural': 'audit checkpoints',
                'ordering': ['sequence'],
            },
        ),
        migrations.CreateModel(
            name='AuditGate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('txid', models.BigIntegerField(db_default=schakel.audit.models.CurrentTransaction(), editable=False, null=True)),
            ],
            options={
                'verbose_name': 'audit removal gate',
            },
        ),
        migrations.CreateModel(
            name='AuditObject',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.CharField(max_length=64)),
            ],
            options={
                'verbose_name': 'audit object',
                'verbose_name_plural': 'audit objects',
            },
        ),
        migrations.CreateModel(
            name='AuditRetentionCut',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('first', models.PositiveBigIntegerField(unique=True, verbose_name='first sequence number')),
                ('last', models.PositiveBigIntegerField(unique=True, verbose_name='last sequence number')),
                ('last_hash', models.CharField(max_length=64, verbose_name='chain hash of the last')),
                ('removed_at', models.DateTimeField(verbose_name='removed at')),
                ('mac', models.CharField(max_length=64, verbose_name='signature')),
            ],
            options={
                'verbose_name': 'audit retention cut',
                'verbose_name_plural': 'audit retention cuts',
                'ordering': ['first'],
            },
        ),
        migrations.CreateModel(
            name='AuditSeal',
            fields=[
                ('sequence', models.PositiveBigIntegerField(primary_key=True, serialize=False, verbose_name='sequence number')),
                ('previous_hash', models.CharField(max_length=64, verbose_name='previous hash')),
                ('chain_hash', models.CharField(max_length=64, verbose_name='chain hash')),
            ],
            options={
                'verbose_name': 'audit seal',
                'verbose_name_plural': 'audit seals',
                'ordering': ['sequence'],
            },
        ),
        migrations.CreateModel(
            name='AuditSealer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('horizon', models.BigIntegerField(default=0)),
                ('locked_at', models.DateTimeField(null=True)),
            ],
            options={
                'verbose_name': 'audit sealer',
            },
        ),
        migrations.CreateModel(
            name='AuditSubject',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject_key', models.CharField(max_length=150)),
            ],
            options={
                'verbose_name': 'audit subject',
                'verbose_name_plural': 'audit subjects',
            },
        ),
        migrations.AddField(
            model_name='auditevent',
            name='entry_mac',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='hash'),
            preserve_default=False,
        ),
        # Added empty, then given its default: existing rows keep NULL (the next migration seals
        # them) and PostgreSQL does not rewrite the table to evaluate a volatile default.
        migrations.AddField(
            model_name='auditevent',
            name='txid',
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='txid',
            field=models.BigIntegerField(db_default=schakel.audit.models.CurrentTransaction(), editable=False, null=True),
        ),
        migrations.AlterModelOptions(
            name='auditevent',
            options={'ordering': ['id'], 'verbose_name': 'audit event', 'verbose_name_plural': 'audit events'},
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['txid', 'id'], name='audit_event_txid_idx'),
        ),
        migrations.AddField(
            model_name='auditobject',
            name='event',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='object_rows', to='audit.auditevent'),
        ),
        migrations.AddField(
            model_name='auditseal',
            name='event',
            field=models.OneToOneField(on_delete=django.db.models.deletion.DO_NOTHING, related_name='seal', to='audit.auditevent', verbose_name='audit event'),
        ),
        migrations.AddField(
            model_name='auditsubject',
            name='event',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='subject_rows', to='audit.auditevent'),
        ),
        migrations.AddIndex(
            model_name='auditobject',
            index=models.Index(fields=['object_id', 'event'], name='audit_object_id_idx'),
        ),
        migrations.AddIndex(
            model_name='auditsubject',
            index=models.Index(fields=['subject_key', 'event'], name='audit_subject_key_idx'),
        ),
    ]

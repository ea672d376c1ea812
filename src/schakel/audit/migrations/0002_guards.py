"""The database refuses to change or remove audit rows, whatever code or tool connects.

On every audit table except the sealer's lock row and the gate itself:

- UPDATE is refused, always;
- DELETE is refused row by row, and on PostgreSQL TRUNCATE per statement, unless the current
  transaction has opened the removal gate (a row in `audit_auditgate`, on PostgreSQL carrying
  the current transaction's id). Only retention opens it (audit/gate.py).

On SQLite, Django rebuilds a table for many schema changes and the rebuild drops its triggers:
a later migration that alters an audit table there must create its triggers again. The tests of
the triggers catch a miss.
"""

from django.db import migrations

POSTGRES_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;
"""

GUARDED = (
    "audit_auditevent",
    "audit_auditseal",
    "audit_auditsubject",
    "audit_auditobject",
    "audit_auditcheckpoint",
    "audit_auditretentioncut",
)
REFUSAL = "the audit log is append-only: entries are removed by retention only"

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION audit_removal_guard() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM audit_auditgate WHERE txid = pg_current_xact_id()::text::bigint
    ) THEN
        IF TG_LEVEL = 'ROW' THEN
            RETURN OLD;
        END IF;
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '{REFUSAL}';
END;
$$ LANGUAGE plpgsql;
"""


def postgres_up(table):
    return f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION audit_removal_guard();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_removal_guard();
"""


def postgres_down(table):
    return "".join(
        f"DROP TRIGGER IF EXISTS {table}_{kind} ON {table};\n"
        for kind in ("no_update", "no_delete", "no_truncate")
    )


def sqlite_up(table):
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_update",
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
WHEN NOT EXISTS (SELECT 1 FROM audit_auditgate)
BEGIN
    SELECT RAISE(ABORT, '{REFUSAL}');
END""",
    ]


def sqlite_down(table):
    return [f"DROP TRIGGER IF EXISTS {table}_{kind}" for kind in ("no_update", "no_delete")]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_APPEND_ONLY)
        schema_editor.execute(POSTGRES_FUNCTION)
        for table in GUARDED:
            schema_editor.execute(postgres_up(table))
    elif vendor == "sqlite":
        for table in GUARDED:
            for statement in sqlite_up(table):
                schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in GUARDED:
            schema_editor.execute(postgres_down(table))
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_removal_guard();")
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_auditevent_append_only();")
    elif vendor == "sqlite":
        for table in GUARDED:
            for statement in sqlite_down(table):
                schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]

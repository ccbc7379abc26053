"""The history's version counters, and the trigger that bumps them on every history write."""

from typing import Any

from django.db import migrations, models

SQLITE_CREATE = """
CREATE TRIGGER core_changerecord_bump_scope AFTER INSERT ON core_changerecord
BEGIN
    INSERT INTO core_scopeversion (scope, version)
    VALUES (COALESCE(NEW.municipality_id, 0), 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS core_changerecord_bump_scope"

# One statement-level trigger per INSERT (an import's million rows bump each scope once);
# the scopes in order, so that two writers lock the counters in the same order.
POSTGRESQL_CREATE = (
    """
CREATE FUNCTION core_changerecord_bump_scope() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core_scopeversion (scope, version)
    SELECT DISTINCT COALESCE(municipality_id, 0), 1 FROM inserted_changes ORDER BY 1
    ON CONFLICT (scope) DO UPDATE SET version = core_scopeversion.version + 1;
    RETURN NULL;
END
$$
""",
    """
CREATE TRIGGER core_changerecord_bump_scope AFTER INSERT ON core_changerecord
REFERENCING NEW TABLE AS inserted_changes
FOR EACH STATEMENT EXECUTE FUNCTION core_changerecord_bump_scope()
""",
)
POSTGRESQL_DROP = (
    "DROP TRIGGER IF EXISTS core_changerecord_bump_scope ON core_changerecord",
    "DROP FUNCTION IF EXISTS core_changerecord_bump_scope()",
)


def _run(schema_editor: Any, statements: dict[str, tuple[str, ...]]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in statements:
        raise NotImplementedError(f"No history version trigger for {vendor}.")
    for statement in statements[vendor]:
        schema_editor.execute(statement)


def create_trigger(apps: Any, schema_editor: Any) -> None:
    """Bump the scope's version in the transaction of every statement writing history."""
    _run(schema_editor, {"sqlite": (SQLITE_CREATE,), "postgresql": POSTGRESQL_CREATE})


def drop_trigger(apps: Any, schema_editor: Any) -> None:
    """Remove the trigger (and PostgreSQL's function)."""
    _run(schema_editor, {"sqlite": (SQLITE_DROP,), "postgresql": POSTGRESQL_DROP})


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_job_fan_out'),
    ]

    operations = [
        migrations.CreateModel(
            name='ScopeVersion',
            fields=[
                ('scope', models.BigIntegerField(primary_key=True, serialize=False)),
                ('version', models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]

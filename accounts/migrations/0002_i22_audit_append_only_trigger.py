"""PostgreSQL: the audit log is append-only in the database itself.

A trigger refuses UPDATE and DELETE of any row of ``accounts_auditentry``,
whoever asks — the application, a shell, a
``psql`` session of the application's database role. The one exception is
the pruning done by ``manage.py archive_audit_log`` after it has written,
signed and verified the archive of the rows it removes: that command sets
``portal.audit_prune = 'on'`` with ``SET LOCAL`` (for its own transaction
only) and the trigger then lets DELETE through, never UPDATE.

TRUNCATE is not refused: Django's ``flush`` (and so the test suite) empties
tables with it, and it is, like DROP TABLE, an owner's schema-level act;
grant the application's database role no TRUNCATE where the deployment
separates owner and user (docs/deploy.md). A database owner can also drop
the trigger; that is a schema change, which
the deployment's migrations and the yearly ``manage.py security_report``
(it checks the trigger is present) make visible.

On SQLite nothing is installed: there the admin's read-only view and the
model's lack of add/change/delete permissions are the protection.
"""

from django.db import migrations

FUNCTION = "accounts_auditentry_append_only"

INSTALL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('portal.audit_prune', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'accounts_auditentry is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS accounts_auditentry_no_update_delete ON accounts_auditentry;
CREATE TRIGGER accounts_auditentry_no_update_delete
    BEFORE UPDATE OR DELETE ON accounts_auditentry
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
"""

UNINSTALL = f"""
DROP TRIGGER IF EXISTS accounts_auditentry_no_update_delete ON accounts_auditentry;
DROP FUNCTION IF EXISTS {FUNCTION}();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNINSTALL)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_i22_audit_auditentry")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]

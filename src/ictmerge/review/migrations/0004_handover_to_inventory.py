# The handover ledger moved to the inventory app (inventory 0002); its table stays.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('review', '0003_takeover_documents'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Handover')],
            database_operations=[],
        ),
    ]

# The handover ledger, moved here from the review app (review 0004): state only, the
# table review_handover and its rows stay as they are.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inventory', '0001_initial'),
        ('reforms', '0001_initial'),
        ('review', '0004_handover_to_inventory'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Handover',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('model', models.CharField(max_length=60, verbose_name='record type')),
                        ('object_id', models.BigIntegerField()),
                        ('time', models.DateTimeField(auto_now_add=True, verbose_name='time')),
                        ('act', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='handovers', to='review.takeoveract')),
                        ('from_municipality', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reforms.municipality')),
                        ('to_municipality', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reforms.municipality')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'handover',
                        'verbose_name_plural': 'handovers',
                        'db_table': 'review_handover',
                        'indexes': [models.Index(fields=['model', 'object_id'], name='review_hand_model_5c6910_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

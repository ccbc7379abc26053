"""Generated task titles as the engine's code and parameters, so they show in the reader's
language; the titles stored before are read back into codes where they still read as their
template's (a title edited by hand stays as written)."""

from typing import Any

from django.db import migrations, models


def explain_stored_titles(apps: Any, schema_editor: Any) -> None:
    """Give every generated task whose title reads as its template's the title's code."""
    from ictmerge.engine.explain import english, to_json
    from ictmerge.engine.planning.tasks import explain_written_title, load_templates

    templates = load_templates()
    Task = apps.get_model("planning", "Task")
    changed = []
    for task in Task.objects.filter(generated=True).exclude(template="").iterator():
        template = templates.get(task.template)
        explained = explain_written_title(template, task.title) if template else None
        if explained is None:
            continue
        task.title_explained = to_json(explained)
        task.title = english(explained)[:300]
        changed.append(task)
    Task.objects.bulk_update(changed, ["title_explained", "title"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('planning', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='task',
            name='title_explained',
            field=models.JSONField(blank=True, editable=False, null=True, verbose_name='title (code and parameters)'),
        ),
        migrations.RunPython(explain_stored_titles, migrations.RunPython.noop),
    ]

"""Stored security classes "A", "B", "C" (the labels of the former "lv" configuration) become
the level that configuration read them as: A, B and C are no security classes of Latvian law
(they are critical-infrastructure categories of Cabinet Regulation No. 508), so no page may
show them as one. The level keeps the meaning the re-assessment gave them; under the rule set
of the date it reads as that set's class (e.g. Regulation No. 442's basic or increased security).
"""

from typing import Any

from django.db import migrations, models

import ictmerge.inventory.models.systems

#: The former "lv" rule set's labels and the level each stood for.
LETTER_LEVELS = {"a": "high", "b": "medium", "c": "low"}
LEVEL_LETTERS = {level: letter.upper() for letter, level in LETTER_LEVELS.items()}


def _letter(text: str) -> str | None:
    key = text.strip().lower()
    for word in ("klase", "class"):
        key = key.replace(word, "")
    key = key.strip(" .")
    return key if key in LETTER_LEVELS else None


def letters_to_levels(apps: Any, schema_editor: Any) -> None:
    """Rewrite every stored A, B or C class (also "A class", "klase B") as its level."""
    InformationSystem = apps.get_model("inventory", "InformationSystem")
    changed = []
    for system in InformationSystem.objects.exclude(security_class="").only("security_class"):
        letter = _letter(system.security_class)
        if letter is not None:
            system.security_class = LETTER_LEVELS[letter]
            changed.append(system)
    InformationSystem.objects.bulk_update(changed, ["security_class"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0002_handover")]

    operations = [
        migrations.RunPython(letters_to_levels, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="informationsystem",
            name="security_class",
            field=models.CharField(
                blank=True, help_text="As the predecessor assigned it.", max_length=60,
                validators=[ictmerge.inventory.models.systems.not_an_infrastructure_category],
                verbose_name="security class"),
        ),
    ]

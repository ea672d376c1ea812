from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

# Message ids in the code are English, so the English catalogue is the identity. Compiling it
# explicitly matters: without it Django would fall back to the default (Dutch) catalogue.
SOURCE_LANGUAGE = "en"


class Command(BaseCommand):
    help = (
        "Compile the gettext catalogues (.po → .mo) in pure Python, so that neither the demo nor "
        "a deployment needs GNU gettext installed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for locale_dir in map(Path, settings.LOCALE_PATHS):
            for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                if po_path.parent.parent.name == SOURCE_LANGUAGE:
                    for entry in catalogue:
                        if not entry.msgstr and not entry.msgid_plural:
                            entry.msgstr = entry.msgid
                        elif entry.msgid_plural and not any(entry.msgstr_plural.values()):
                            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                count += 1
        self.stdout.write(f"Compiled {count} catalogue(s).")

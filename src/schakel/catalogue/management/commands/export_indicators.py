from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from schakel.catalogue.interchange import FORMATS
from schakel.catalogue.selectors import catalogue_export


class Command(BaseCommand):
    help = "Export the whole indicator catalogue (active and inactive) as YAML or CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=FORMATS, default="yaml")
        parser.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        content = catalogue_export(fmt=options["format"])
        if options["output"]:
            Path(options["output"]).write_text(content, encoding="utf-8")
        else:
            self.stdout.write(content, ending="")

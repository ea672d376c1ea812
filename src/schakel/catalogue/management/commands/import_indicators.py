import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from schakel.catalogue.interchange import FORMATS
from schakel.catalogue.services import catalogue_import


class Command(BaseCommand):
    help = (
        "Import indicators from a YAML or CSV file (upsert by code). A file with any bad row "
        "changes nothing; the problems are listed by row and field."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to the file, or - for standard input.")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="File format; by default taken from the file extension (.yaml, .yml, .csv).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Deactivate indicators that are not in the file.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: str = options["file"]
        fmt = options["format"] or _format_of(path)
        try:
            content = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            result = catalogue_import(content, fmt=fmt, replace=options["replace"])
        except ValidationError as error:
            raise CommandError("Nothing imported:\n  " + "\n  ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Indicators imported: {result.created} created, {result.updated} updated, "
                f"{result.deactivated} deactivated."
            )
        )


def _format_of(path: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".yaml", ".yml") or path == "-":
        return "yaml"
    raise CommandError("Cannot tell the format from the file name: pass --format yaml or csv.")

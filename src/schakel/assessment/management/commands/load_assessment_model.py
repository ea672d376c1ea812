from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from schakel.assessment.model_loader import ModelFileError, load_model


class Command(BaseCommand):
    help = (
        "Load a version of the self-assessment model from its YAML file. New assessments use "
        "the version loaded last; a version an assessment uses cannot be loaded again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to the model file (data/model-<version>.yaml).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            version = load_model(options["file"])
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        except ModelFileError as error:
            raise CommandError(f"Nothing loaded: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Model version {version.version} loaded: {version.conditions.count()} conditions."
            )
        )

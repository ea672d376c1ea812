import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from schakel.audit.sealing import audit_seal
from schakel.demo.dataset import Scale, generate_region, minimum_organisations
from schakel.demo.loader import demo_allowed


def dataset_allowed() -> bool:
    """Under the demo or the test settings only: the region is fictional, but it is a lot of
    it, and an installation with real data should not get it by a slip of the keyboard."""
    return demo_allowed() or getattr(settings, "SCHAKEL_DATASET", False) is True


class Command(BaseCommand):
    help = (
        "Generate a new fictional region with months of history at scale (signals, cases, "
        "timeline, meetings, audit entries) and seal the audit log. Every run makes a new "
        "region ('Datasetregio N'). Runs only under the demo or test settings unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = Scale()
        for name in ("signals", "cases", "timeline", "organisations", "users", "months", "seed"):
            parser.add_argument(f"--{name}", type=int, default=getattr(defaults, name))
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run under other settings too (never on an installation with real data).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (dataset_allowed() or options["force"]):
            raise CommandError(
                "generate_dataset writes a large fictional region and runs only under the demo "
                f"or test settings, not under {settings.SETTINGS_MODULE}; pass --force to run "
                "it anyway. Nothing was written."
            )
        scale = Scale(**{name: options[name] for name in Scale.__dataclass_fields__})
        if scale.organisations < minimum_organisations():
            raise CommandError(f"--organisations must be at least {minimum_organisations()}.")
        if scale.months < 1:
            raise CommandError("--months must be at least 1.")
        started = time.perf_counter()
        bars: dict[str, tqdm] = {}
        totals = {
            "signals": scale.signals,
            "cases": scale.cases,
            "organisations": scale.organisations,
            "users": scale.users,
        }
        quiet = options["verbosity"] == 0

        def progress(what: str, n: int) -> None:
            if quiet:
                return
            if what not in bars:
                bars[what] = tqdm(total=totals.get(what), desc=what, unit=" rows", file=sys.stderr)
            bars[what].update(n)

        try:
            result = generate_region(scale, progress)
            sealed = audit_seal()
        finally:
            for bar in bars.values():
                bar.close()
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Region '{result.region}' generated in {seconds:.1f} s; "
                f"{sealed.sealed} audit entries sealed."
            )
        )
        for kind, n in sorted(result.counts.items()):
            self.stdout.write(f"  {kind:<16} {n}")

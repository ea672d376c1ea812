from typing import Any

from django.core.management.base import BaseCommand, CommandError

from schakel.demo.loader import DEMO_PASSWORD, DemoNotAllowed, load_demo


class Command(BaseCommand):
    help = (
        "Load the fictional demo region Heidemeer (idempotent) and print the demo accounts. "
        "Runs only under the demo settings."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            accounts = load_demo()
        except DemoNotAllowed as refusal:
            raise CommandError(str(refusal)) from refusal
        width = max(len(a.username) for a in accounts)
        self.stdout.write(self.style.SUCCESS("Demo region 'Regio Heidemeer' loaded."))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<{width}}  {account.role} — {account.organisation}"
            )

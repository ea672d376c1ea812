from typing import Any

from django.core.management.base import BaseCommand

from schakel.core.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the fictional demo region Heidemeer (idempotent) and print the demo accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = load_demo()
        width = max(len(a.username) for a in accounts)
        self.stdout.write(self.style.SUCCESS("Demo region 'Regio Heidemeer' loaded."))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<{width}}  {account.role} — {account.organisation}"
            )

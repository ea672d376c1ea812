from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from schakel.accounts.services import second_factor_reset
from schakel.core.context import AccessContext
from schakel.core.policies import ANONYMOUS
from schakel.organisations.models import User


class Command(BaseCommand):
    help = (
        "Remove a user's authenticator app and recovery codes, for someone who lost both. They "
        "set up a new second factor at their next login. Check who is asking before you run it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user with username {options['username']!r}.")
        second_factor_reset(
            context=AccessContext.system(ANONYMOUS, "reset_second_factor"), user=user
        )
        self.stdout.write(f"The second factor of {user.username} is reset.")

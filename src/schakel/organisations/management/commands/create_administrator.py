import getpass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from schakel.organisations import services
from schakel.organisations.choices import OrganisationKind, Ring, Role, SubNetwork


class Command(BaseCommand):
    help = (
        "Create the first functional administrator of a new installation, with the region, "
        "municipality and organisation they work for. Everything else is set up in the "
        "administration screens."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True)
        parser.add_argument("--municipality", required=True)
        parser.add_argument("--cbs-code", required=True, help="For example GM0796.")
        parser.add_argument("--reporting-point-email", required=True)
        parser.add_argument("--reporting-point-phone", required=True)
        parser.add_argument("--organisation", required=True, help="The administrator's department.")
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        region = services.region_ensure(name=options["region"])
        municipality = services.municipality_ensure(
            name=options["municipality"],
            cbs_code=options["cbs_code"],
            region=region,
            reporting_point=(
                f"Meldpunt mensenhandel {options['municipality']}",
                options["reporting_point_phone"],
                options["reporting_point_email"],
            ),
        )
        organisation = services.organisation_ensure(
            name=options["organisation"],
            kind=OrganisationKind.MUNICIPALITY,
            region=region,
            municipality=municipality,
            sub_network=SubNetwork.DIRECTION,
            ring=Ring.SECOND,
        )
        services.account_ensure(
            username=options["username"],
            first_name="",
            last_name="",
            email=options["email"],
            password=password,
            memberships=[(organisation, Role.FUNCTIONAL_ADMIN)],
        )
        self.stdout.write(
            self.style.SUCCESS(f"Functional administrator {options['username']} is ready.")
        )

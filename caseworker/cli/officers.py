"""`caseworker officers`: list officers; a complaints manager adds one, changes a role, links a
login or deactivates a record.

    caseworker officers                                        # the team
    caseworker officers --add --name "Ann Smith" --email ann@council.example \\
        --role investigating-officer --service Waste --login ann.smith
    caseworker officers --set-login ann@council.example --login ann.smith
    caseworker officers --set-role ann@council.example --role line-manager
    caseworker officers --edit ann@council.example --name "Ann Jones" --service Housing
    caseworker officers --deactivate ann@council.example       # --activate undoes it

Each change is the complaints manager's (:mod:`caseworker.services.officers`); nobody changes
their own role, login or status. On an empty database the person running a change is first
recorded as its complaints manager, as when the app first opens it.
"""

from __future__ import annotations

import argparse
import sys

from caseworker.bootstrap import open_app
from caseworker.domain.enums import Role
from caseworker.errors import UserError
from caseworker.services import officers
from caseworker.services.context import Context


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "officers",
        help="list officers; add one, change a role, link a login or deactivate one",
        description="List the officers. A complaints manager adds officers, changes their "
        "roles, links their logins and deactivates them; nobody changes their own role, login "
        "or status.",
    )
    change = parser.add_mutually_exclusive_group()
    change.add_argument("--add", action="store_true", help="record a new officer")
    change.add_argument(
        "--set-login",
        metavar="EMAIL",
        help="map the officer with this email to --login (empty to clear)",
    )
    change.add_argument(
        "--set-role", metavar="EMAIL", help="give the officer with this email --role"
    )
    change.add_argument(
        "--edit",
        metavar="EMAIL",
        help="correct the officer's --name, --service or email (--new-email)",
    )
    change.add_argument(
        "--deactivate",
        metavar="EMAIL",
        help="the officer with this email may no longer act or be given cases",
    )
    change.add_argument(
        "--activate", metavar="EMAIL", help="make the officer with this email active again"
    )
    parser.add_argument("--name")
    parser.add_argument("--email")
    parser.add_argument("--new-email", help="with --edit: the officer's corrected email")
    parser.add_argument("--role", choices=[role.value for role in Role])
    parser.add_argument("--service", help="service area, e.g. 'Waste and Recycling'")
    parser.add_argument(
        "--login", help="their operating-system account, or database login on PostgreSQL"
    )
    parser.set_defaults(handler=run)


def _check_flags(args: argparse.Namespace) -> None:
    """Refuse a change missing what it needs, before anything is opened or recorded."""
    if args.add:
        missing = [
            flag
            for flag, value in (
                ("--name", args.name),
                ("--email", args.email),
                ("--role", args.role),
                ("--service", args.service),
            )
            if not value
        ]
        if missing:
            raise UserError("--add needs " + ", ".join(missing))
    elif args.set_login is not None and args.login is None:
        raise UserError("--set-login needs --login (empty to clear)")
    elif args.set_role is not None and not args.role:
        raise UserError("--set-role needs --role")
    elif args.edit is not None and not (args.name or args.service or args.new_email):
        raise UserError("--edit needs --name, --service or --new-email")


def _database_login(ctx: Context, login: str | None) -> None:
    """On a team database, give the officer's login its place in the team (issue 17): created
    or granted where the person running this may, else the statement for the DBA. The app's
    Officers window does the same (:func:`caseworker.services.officers.give_database_login`)."""
    grant = officers.give_database_login(ctx, login)
    if grant is not None:
        print(grant)


def run(args: argparse.Namespace) -> int:
    _check_flags(args)
    app = open_app(args.db)
    try:
        ctx = app.context()
        changing = args.add or any(
            value is not None
            for value in (args.set_login, args.set_role, args.edit, args.deactivate, args.activate)
        )
        if not changing:
            for officer in officers.list_officers(ctx):
                status = "" if officer.active else "  (inactive)"
                print(
                    f"{officer.name:<28} {officer.email:<36} {officer.role.value:<22} "
                    f"{officer.service_area:<26} {officer.login or '-'}{status}"
                )
            return 0
        with ctx.unit() as uow:  # opening the database, as the app does: the first-run rule
            signed = officers.sign_in(uow)
        if signed.first_run:
            print(f"caseworker: {signed.notice}", file=sys.stderr)
        if args.add:
            officer = officers.add_officer(
                ctx,
                name=args.name,
                email=args.email,
                role=args.role,
                service_area=args.service,
                login=args.login,
            )
            print(
                f"added {officer.name} <{officer.email}> ({officer.role.value}, "
                f"{officer.service_area})"
            )
            _database_login(ctx, officer.login)
        elif args.set_login is not None:
            officer = officers.set_login(ctx, args.set_login, args.login)
            print(f"{officer.name} works under the login '{officer.login or '(none)'}'")
            _database_login(ctx, officer.login)
        elif args.set_role is not None:
            officer = officers.set_role(ctx, args.set_role, args.role)
            print(f"{officer.name} is now a {officer.role.value}")
        elif args.edit is not None:
            officer = officers.set_details(
                ctx,
                args.edit,
                name=args.name,
                new_email=args.new_email,
                service_area=args.service,
            )
            print(f"{officer.name} <{officer.email}>, {officer.service_area}")
        else:
            active = args.activate is not None
            officer = officers.set_active(ctx, args.activate or args.deactivate, active)
            print(
                f"{officer.name}'s record is active"
                if active
                else f"{officer.name}'s record is inactive: they may no longer act or be given "
                "cases"
            )
        return 0
    finally:
        app.close()

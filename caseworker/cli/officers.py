"""`caseworker officers`: list officers, add one, or map one to the login they work under."""

from __future__ import annotations

import argparse

from caseworker.bootstrap import open_app
from caseworker.domain.enums import Role
from caseworker.services.officers import add_officer, list_officers, set_login


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "officers", help="list officers, add one, or set the login an officer works under"
    )
    parser.add_argument("--add", action="store_true", help="record a new officer")
    parser.add_argument("--name")
    parser.add_argument("--email")
    parser.add_argument("--role", choices=[role.value for role in Role])
    parser.add_argument("--service", help="service area, e.g. 'Waste and Recycling'")
    parser.add_argument(
        "--login", help="their operating-system account, or database login on PostgreSQL"
    )
    parser.add_argument(
        "--set-login",
        metavar="EMAIL",
        help="map the officer with this email to --login (empty to clear)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from caseworker.errors import UserError

    app = open_app(args.db)
    try:
        with app.uow() as uow:
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
                officer = add_officer(
                    uow,
                    name=args.name,
                    email=args.email,
                    role=args.role,
                    service_area=args.service,
                    login=args.login,
                )
                uow.commit()
                print(
                    f"added {officer.name} <{officer.email}> ({officer.role.value}, "
                    f"{officer.service_area})"
                )
                return 0
            if args.set_login:
                officer = set_login(uow, args.set_login, args.login)
                uow.commit()
                print(f"{officer.name} works under the login '{officer.login or '(none)'}'")
                return 0
            for officer in list_officers(uow):
                status = "" if officer.active else "  (inactive)"
                print(
                    f"{officer.name:<28} {officer.email:<36} {officer.role.value:<22} "
                    f"{officer.service_area:<26} {officer.login or '-'}{status}"
                )
            return 0
    finally:
        app.close()

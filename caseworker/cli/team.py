"""`caseworker team`: set a shared PostgreSQL database up for a team, with no SQL typed by hand.

    caseworker --db postgresql+psycopg://caseworker_admin@dbhost/caseworker team setup
    caseworker --db postgresql+psycopg://caseworker_admin@dbhost/caseworker team login ann.smith

``setup`` is the database owner's, run once and again after installing a newer Caseworker: it
brings the schema up to date (backing it up first, as ``caseworker upgrade`` does), creates the
officers' group role and grants it what officers need (:mod:`caseworker.storage.teamdb`); the
database itself then enforces who sees and changes which case (row-level security).
``login`` creates an officer's database login in the group, or prints the statement for the DBA
when the person running it may not create roles.
"""

from __future__ import annotations

import argparse

from caseworker.storage.database import database_url, make_engine
from caseworker.storage.teamdb import GROUP, grant_login, setup_team
from caseworker.storage.upgrade import upgrade_database


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "team",
        help="set a shared PostgreSQL database up for a team (roles, grants, row security)",
        description="The database owner sets the shared database up for the team: once, and "
        "again after each upgrade.",
    )
    actions = parser.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    setup = actions.add_parser(
        "setup",
        help="upgrade the schema, create the officers' group role and grant it what it needs",
    )
    setup.add_argument("--group", default=GROUP, help=f"the group role (default {GROUP})")
    setup.set_defaults(handler=run_setup)
    login = actions.add_parser(
        "login", help="give an officer's database login a place in the team (or print how)"
    )
    login.add_argument("login", metavar="LOGIN", help="the officer's database login")
    login.add_argument("--group", default=GROUP, help=f"the group role (default {GROUP})")
    login.set_defaults(handler=run_login)


def run_setup(args: argparse.Namespace) -> int:
    engine = make_engine(database_url(args.db))
    try:
        if engine.dialect.name == "postgresql":
            done = upgrade_database(engine)
            if done.before != done.after:
                print(f"the schema is now at revision {done.after}")
        result = setup_team(engine, args.group)
    finally:
        engine.dispose()
    if result.created_group:
        print(f"created the group role {result.group}")
    print(
        f"granted {result.group} what officers need ({len(result.statements)} statements); "
        "the database enforces the permission rules by row-level security"
    )
    print(
        "next: for each officer, 'caseworker team login LOGIN' (or 'caseworker officers --add "
        "... --login LOGIN'), and run 'caseworker team setup' again after each upgrade"
    )
    return 0


def run_login(args: argparse.Namespace) -> int:
    engine = make_engine(database_url(args.db))
    try:
        grant = grant_login(engine, args.login, args.group)
    finally:
        engine.dispose()
    if grant.done:
        print(f"ran: {grant.statement}")
        return 0
    print(f"this login may not create roles; ask the DBA to run:\n  {grant.statement}")
    return 1

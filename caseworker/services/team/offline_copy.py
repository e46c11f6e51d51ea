"""The officer's offline copy, kept for them by the app: take cases away, open them with no network,
bring them back.

:mod:`caseworker.services.team.offline` does the work (check-out into a SQLite file, three-way
check-in, per case authorised, version-checked and audited); this module is what the app and the
``caseworker offline`` commands add around it, so that nobody has to name or keep track of a file:

* :func:`take_offline` checks the chosen cases (or, with none named, the officer's open cases)
  out into ``offline/cases.sqlite`` in their private data folder, with the council's own policy
  files and letter templates as they are in use (``offline/policies``, ``offline/letter_templates``:
  the wording their letters are built with, while away). The folder is 0700 and every file in it
  0600 (:func:`~caseworker.storage.location.make_private`): the copy holds complainants' personal
  data, and nothing but the cases taken (plus the officers list each case names).
* :func:`find_copy` says whether there is a copy and what is in it, :func:`open_copy` opens it
  for the app (as the officer it was taken by, reading the copy's policies and templates).
* :func:`bring_back` checks the copy in to the team database through
  :func:`~caseworker.services.team.offline.check_in`; once every case is back (nothing left
  changed on both sides, refused or to try again) the whole folder is removed.
* :func:`age_warning`: a copy out longer than the council's ``offline_copy_days`` (a policy
  setting under ``[rules]``, 14 days unless set) is to be brought back.

What protects the copy is the account (only it can read the folder) and the disk's encryption,
which councils rely on for laptops; see the README.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from caseworker.domain.enums import CaseStatus
from caseworker.services.context import Context
from caseworker.services.permissions import OFFLINE_COPY_MARK, acting_officer, visible
from caseworker.services.team.offline import (
    CASES,
    CHECKOUTS,
    COUNTERS,
    CheckinReport,
    CheckoutResult,
    OfflineError,
    Outcome,
    check_in,
    check_out,
)
from caseworker.storage.location import data_dir, make_private, use_council_files
from caseworker.storage.models import Case

if TYPE_CHECKING:
    from caseworker.bootstrap import App

FOLDER = "offline"
COPY_FILE = "cases.sqlite"
COUNCIL_FOLDERS = ("policies", "letter_templates")
"""The council's own files carried with the copy (as read from the data folder)."""
DEFAULT_DAYS = 14
"""How long a copy may be out unless the council's policy says (``[rules] offline_copy_days``)."""
WAITING = (Outcome.CONFLICT, Outcome.TRY_AGAIN, Outcome.REFUSED)
"""What keeps a copy on the laptop after a bring-back: a case not back yet."""


def offline_dir() -> Path:
    """Where the officer's copy lives: ``offline/`` in their private data folder."""
    return data_dir() / FOLDER


@dataclass(frozen=True)
class OfflineCopy:
    """An offline copy on this machine: its file, who took it, when, and which cases are in it
    (those not yet brought back)."""

    folder: Path
    path: Path
    copy_id: str
    taken_by: str
    taken_at: dt.datetime
    references: tuple[str, ...]
    policy_ids: tuple[str, ...]

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def age_days(self, today: dt.date) -> int:
        return (today - self.taken_at.date()).days


def find_copy(folder: Path | None = None) -> OfflineCopy | None:
    """The copy in ``folder`` (the officer's :func:`offline_dir`), or None if there is none."""
    from caseworker.storage.database import make_engine

    folder = folder or offline_dir()
    path = folder / COPY_FILE
    if not path.is_file():
        return None
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            marks = (
                connection.execute(
                    select(COUNTERS.c.name).where(COUNTERS.c.name.startswith(OFFLINE_COPY_MARK))
                )
                .scalars()
                .all()
            )
            rows = connection.execute(
                select(
                    CHECKOUTS.c.copy_id,
                    CHECKOUTS.c.checked_out_by,
                    CHECKOUTS.c.checked_out_at,
                    CASES.c.reference,
                    CASES.c.policy_id,
                )
                .join(CASES, CASES.c.id == CHECKOUTS.c.case_id)
                .where(CHECKOUTS.c.checked_in_at.is_(None))
                .order_by(CASES.c.reference)
            ).all()
    except SQLAlchemyError as error:
        raise OfflineError(f"{path} is not an offline copy Caseworker can read ({error})") from None
    finally:
        engine.dispose()
    if not marks:
        raise OfflineError(f"{path} is not an offline copy (no cases were checked out into it)")
    if not rows:  # everything was brought back, but the folder was not removed
        return OfflineCopy(
            folder, path, marks[0].removeprefix(OFFLINE_COPY_MARK), "", _epoch(), (), ()
        )
    return OfflineCopy(
        folder=folder,
        path=path,
        copy_id=rows[0].copy_id,
        taken_by=rows[0].checked_out_by,
        taken_at=min(_aware(row.checked_out_at) for row in rows),
        references=tuple(row.reference for row in rows),
        policy_ids=tuple(sorted({row.policy_id for row in rows})),
    )


def _epoch() -> dt.datetime:
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def my_open_cases(ctx: Context) -> list[str]:
    """The references of the acting officer's own cases that are not closed (what "take my open
    cases offline" takes), oldest first."""
    with ctx.unit() as uow:
        officer = acting_officer(uow)
        query = (
            select(Case.reference)
            .where(Case.officer_id == officer.id, Case.status != CaseStatus.CLOSED)
            .order_by(Case.received, Case.id)
        )
        seen = visible(uow)
        if seen is not None:
            query = query.where(seen)
        return list(uow.session.execute(query).scalars())


def take_offline(
    ctx: Context, references: list[str] | None = None, *, folder: Path | None = None
) -> CheckoutResult:
    """Check ``references`` (or, given none, the officer's open cases) out into their offline
    copy, with the council's policy files and letter templates in use. Refused, with nothing
    taken, while a copy is already out (bring it back first), for no cases, and for any case
    they may not work on (:func:`~caseworker.services.team.offline.check_out` names it)."""
    folder = folder or offline_dir()
    existing = find_copy(folder)
    if existing is not None:
        held = ", ".join(existing.references) or "cases already brought back"
        raise OfflineError(
            f"an offline copy is already on this machine ({held}): bring it back before taking "
            "more cases"
        )
    chosen = list(references) if references else my_open_cases(ctx)
    if not chosen:
        raise OfflineError("you have no open cases to take offline")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    make_private(folder)
    try:
        done = check_out(ctx, chosen, folder / COPY_FILE)
        _carry_council_files(folder)
    except BaseException:
        if find_copy_quietly(folder) is None:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    for path in [folder, *folder.rglob("*")]:
        make_private(path)
    return done


def find_copy_quietly(folder: Path) -> OfflineCopy | None:
    try:
        return find_copy(folder)
    except OfflineError:
        return None


def _carry_council_files(folder: Path) -> None:
    """The council's own policies and letter templates, as read now, into the copy's folder."""
    source_root = data_dir()
    for name in COUNCIL_FOLDERS:
        source = source_root / name
        if source.is_dir():
            shutil.copytree(source, folder / name, dirs_exist_ok=True)


def open_copy(copy: OfflineCopy) -> App:
    """The app on the copy: acting as the officer who took it, reading the council's files the
    copy carries."""
    from caseworker.bootstrap import open_app

    app = open_app(copy.url, actor=copy.taken_by or None)
    if any((copy.folder / name).is_dir() for name in COUNCIL_FOLDERS):
        use_council_files(copy.folder)
    return app


def bring_back(
    ctx: Context,
    *,
    keep: dict[str, str] | None = None,
    folder: Path | None = None,
) -> CheckinReport:
    """Check the officer's copy in to the team database ``ctx`` works on (each case authorised,
    version-checked and audited with the time its changes were made offline); once every case is
    back, remove the copy. Cases changed on both sides come back as
    :attr:`~caseworker.services.team.offline.Outcome.CONFLICT`, to decide with ``keep``
    (``{reference: "mine" | "theirs"}``) and bring back again."""
    folder = folder or offline_dir()
    copy = find_copy(folder)
    if copy is None:
        raise OfflineError("there is no offline copy on this machine to bring back")
    if copy.references:
        report = check_in(ctx, copy.path, keep=keep)
    else:
        report = CheckinReport(copy.copy_id, [], [])
    if not any(case.outcome in WAITING for case in report.cases) and not report.not_carried:
        remove_copy(folder)
    return report


def remove_copy(folder: Path | None = None) -> None:
    """Delete the copy's folder, and stop reading the council's files from it."""
    folder = folder or offline_dir()
    use_council_files(None)
    shutil.rmtree(folder, ignore_errors=True)


def copy_days(copy: OfflineCopy) -> int:
    """How many days the council lets this copy be out: the shortest of its cases' policies."""
    from caseworker.policy.loader import get_policy

    days = []
    for policy_id in copy.policy_ids:
        try:
            days.append(get_policy(policy_id).rules.offline_copy_days)
        except Exception:  # a policy the copy cannot read: the default still applies
            days.append(DEFAULT_DAYS)
    return min(days, default=DEFAULT_DAYS)


def age_warning(copy: OfflineCopy, today: dt.date) -> str | None:
    """What to tell the officer when the copy has been out longer than the council allows."""
    if not copy.references:
        return None
    allowed = copy_days(copy)
    age = copy.age_days(today)
    if age <= allowed:
        return None
    return (
        f"These cases have been on this laptop for {age} days; your council allows {allowed}. "
        "Bring them back as soon as you can reach the team database."
    )


def may_take_offline(ctx: Context) -> str | None:
    """Why the officer cannot take cases offline from here (None when they can): not from an
    offline copy."""
    from caseworker.services.permissions import offline_refusal

    with ctx.unit() as uow:
        refusal = offline_refusal(uow.session, "take more cases offline")
    return None if refusal is None else str(refusal).removeprefix("Refused: ")


__all__ = [
    "OfflineCopy",
    "age_warning",
    "bring_back",
    "find_copy",
    "my_open_cases",
    "offline_dir",
    "open_copy",
    "remove_copy",
    "take_offline",
]

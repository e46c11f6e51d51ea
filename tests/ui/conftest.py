"""UI fixtures: hand-made cases in the test's database, and the main window on them.

Every test gets the same "today" (Wednesday 25 November 2026) and signs in as ``jbloggs``, so the
days left and "My cases" are the same whenever the tests run. Jo Bloggs (``jbloggs``, the
:func:`jo` fixture, under the list and :func:`some_cases`) is a complaints manager, who sees
every case: a login with no officer record would be shown none.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator

import pytest

from caseworker.domain.enums import CaseStatus, Channel, Role, RouteId
from caseworker.services.lists.caselist import CaseList
from caseworker.storage.models import Case, Complainant, Officer

TODAY = dt.date(2026, 11, 25)
LOGIN = "jbloggs"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path) -> Iterator[None]:
    """The app's QSettings (an officer's own choices) in the test's folder, not the user's."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    yield


@pytest.fixture(autouse=True)
def garbage_on_the_window_thread(qapp) -> None:  # noqa: ANN001
    """As in the app (:mod:`caseworker_ui.garbage`): cyclic garbage is collected on the window's
    thread, never by a worker thread's read (a test's windows deleted by a worker thread's
    collection crashed the run now and then). Each test's garbage is collected after it
    (``tests/conftest.py``)."""
    from caseworker_ui.garbage import collect_on_this_thread

    collect_on_this_thread(qapp)


@pytest.fixture
def model_tester() -> Iterator[Callable[[object], None]]:
    """``model_tester(model)``: Qt's QAbstractItemModelTester watches ``model`` until the test
    ends, in Fatal mode, so that any broken promise of the model (a row count that disagrees with
    its rows, a change signalled out of order, an index of another model) stops the run with
    Qt's message. Kept here because a tester that is thrown away stops watching at once."""
    from PySide6.QtTest import QAbstractItemModelTester

    testers: list[QAbstractItemModelTester] = []

    def watch(model: object) -> None:
        testers.append(
            QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
        )

    yield watch
    testers.clear()


@pytest.fixture
def add_officer(app) -> Callable[..., int]:
    def add(name: str, login: str | None = None, role: Role = Role.INVESTIGATING_OFFICER) -> int:
        with app.uow() as uow:
            officer = Officer(
                name=name,
                email=f"{name.lower().replace(' ', '.')}@council.example",
                role=role,
                service_area="Customer services",
                login=login,
            )
            uow.session.add(officer)
            uow.commit()
            return officer.id

    return add


@pytest.fixture
def add_case(app) -> Callable[..., int]:
    numbers = itertools.count(1)

    def add(
        *,
        complainant: str | None = "Ann Example",
        service: str = "Waste and recycling",
        received: dt.date = dt.date(2026, 11, 2),
        due: dt.date | None = dt.date(2026, 12, 14),
        status: CaseStatus = CaseStatus.OPEN,
        stage: int = 1,
        officer_id: int | None = None,
        reference: str | None = None,
    ) -> int:
        with app.uow() as uow:
            case = Case(
                reference=reference or f"CW-2026-{next(numbers):05d}",
                policy_id="stockport",
                route=RouteId.CORPORATE,
                stage=stage,
                status=status,
                received=received,
                channel=Channel.EMAIL,
                service_area=service,
                complainant=Complainant(name=complainant) if complainant else None,
                anonymous=complainant is None,
                officer_id=officer_id,
                respond_by=due,
            )
            uow.session.add(case)
            uow.commit()
            return case.id

    return add


@pytest.fixture
def jo(add_officer) -> int:
    """Jo Bloggs, signed in as :data:`LOGIN`: a complaints manager (who sees every case)."""
    return add_officer("Jo Bloggs", login=LOGIN, role=Role.COMPLAINTS_MANAGER)


@pytest.fixture
def case_list(app, jo) -> CaseList:
    return CaseList(app.context(actor=LOGIN, today=lambda: TODAY))


@pytest.fixture
def some_cases(add_case, add_officer, jo) -> None:
    """Five cases: one overdue, one due soon, one closed, one of mine (Jo Bloggs's) at stage 2,
    one more."""
    me = jo
    sam = add_officer("Sam Patel")
    add_case(
        reference="CW-2026-00001",
        complainant="Priya Shah",
        service="Parking",
        due=dt.date(2026, 11, 20),
        officer_id=sam,
    )  # 3 working days late
    add_case(
        reference="CW-2026-00002",
        complainant="Tom Parker",
        service="Housing",
        due=dt.date(2026, 11, 27),
        officer_id=me,
    )  # 2 working days left
    add_case(
        reference="CW-2026-00003",
        complainant="Li Wei",
        service="Council tax",
        due=dt.date(2026, 10, 30),
        status=CaseStatus.CLOSED,
        officer_id=sam,
    )
    add_case(
        reference="CW-2026-00004",
        complainant="Ann Example",
        service="Parking",
        due=dt.date(2026, 12, 23),
        stage=2,
        officer_id=me,
    )
    add_case(
        reference="CW-2026-00005", complainant=None, service="Highways", due=dt.date(2026, 12, 10)
    )


@pytest.fixture
def window(qtbot, app, case_list) -> Iterator:
    """The main window on the test database, closed cleanly afterwards."""
    from caseworker_ui.main_window import MainWindow

    main = MainWindow(case_list, database="test.sqlite")
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    qtbot.waitUntil(lambda: main.counts_shown)  # they follow the first page onto the screen
    yield main
    main.close()


class _Questions:
    real = False


@pytest.fixture(autouse=True)
def discard_questions(monkeypatch) -> Iterator[_Questions]:
    """A form left half-filled at the end of a test is discarded without a question box (which
    would wait for an answer nobody gives). A test that answers the box itself asks for
    :func:`real_questions`."""
    import caseworker_ui.discard as discard

    # Each question and the answer a test gets unless it asks for the real box.
    answers = {
        # "Discard what you typed?": yes.
        "ask_discard": True,
        # "Save your changes first?" (choosing another record): discard them, as above.
        "ask_save_discard": discard.DISCARD,
        # "Close anyway?", "Save a failing letter anyway?": go ahead, as before they were asked.
        "ask_before": True,
        # "Write the acknowledgement letter now?": not now, unless the test answers it itself.
        "offer": False,
        # "Why keep a letter that fails its checks?": a reason given, unless the test types its own.
        "ask_reason": ("Kept by a test", True),
    }
    _Questions.real = False
    for name, answer in answers.items():
        real = getattr(discard, name)
        monkeypatch.setattr(
            discard,
            name,
            lambda *a, _real=real, _answer=answer, **k: (
                _real(*a, **k) if _Questions.real else _answer
            ),
        )
    yield _Questions()


@pytest.fixture
def real_questions(qtbot, discard_questions) -> None:
    """The real question box while the test runs (its widgets are closed after, without it)."""
    _Questions.real = True


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_teardown(item):  # noqa: ANN001, ANN201
    # Before pytest-qt closes the test's widgets: a form left half-filled is discarded then.
    _Questions.real = False
    yield

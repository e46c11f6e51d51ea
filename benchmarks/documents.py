"""Large documents do not slow the case list: figures for issue 9 ("Documents on the case").

    python benchmarks/documents.py [--cases 2000] [--documents 20] [--mb 10] [--runs 7]

On its own SQLite database in a temporary folder (demo cases; the case list's first page does
not depend on the other 250,000): the first page and count of the case list and the case file's
data, each measured before and after ``--documents`` files of ``--mb`` MB are attached to a case
on that page (the same call, alternating, medians), plus how long attaching one such file and
listing the case's documents take. Targets: the list and the case file within 1.2x of their
figures without the documents; listing the documents < 20 ms (it never reads their bytes).

Not a test: the figures depend on the machine and what else runs on it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
from pathlib import Path

import common

from caseworker.bootstrap import open_app
from caseworker.demo import generate_demo
from caseworker.domain.enums import Role
from caseworker.services.cases import casefile
from caseworker.services.context import Context
from caseworker.services.evidence.documents import attach_file, list_documents, open_document
from caseworker.services.lists.caselist import CaseFilter, CaseList, CaseSort, SortKey
from caseworker.storage.models import Officer

TODAY = dt.date(2026, 11, 25)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--mb", type=int, default=10)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'documents.sqlite'}"
        app = open_app(url, actor="benchmark")
        try:
            generate_demo(app.engine, args.cases, seed=1, today=TODAY)
            with app.uow() as uow:
                uow.session.add(
                    Officer(
                        name="Bench Mark",
                        email="bench@example.gov.uk",
                        role=Role.COMPLAINTS_MANAGER,
                        service_area="Complaints",
                        login="benchmark",
                    )
                )
                uow.commit()
            cases = CaseList(app.context(today=lambda: TODAY))
            desk = Context(app.sessions, actor="benchmark", today=lambda: TODAY)
            cache = Path(folder) / "cache"
            sort = CaseSort(SortKey.RECEIVED, True)

            def first_page() -> None:
                cases.page(CaseFilter(), sort, limit=100)
                cases.count(CaseFilter())

            case_id = cases.page(CaseFilter(), sort, limit=1)[0].summary.id
            before_list = common.median(common.measure(first_page, args.runs))
            before_file = common.median(
                common.measure(lambda: casefile.load_case_file(desk, case_id), args.runs)
            )
            big = Path(folder) / "big.bin"
            big.write_bytes(os.urandom(args.mb * 1024 * 1024))
            attach = []
            for _ in range(args.documents):
                attach += common.measure(lambda: attach_file(desk, case_id, big), 1, warmup=0)
            after_list = common.median(common.measure(first_page, args.runs))
            after_file = common.median(
                common.measure(lambda: casefile.load_case_file(desk, case_id), args.runs)
            )
            listing = common.median(
                common.measure(lambda: list_documents(desk, case_id), args.runs)
            )
            first = list_documents(desk, case_id)[0].id
            opening = common.median(
                common.measure(lambda: open_document(desk, first, cache=cache), 3)
            )
        finally:
            app.close()
    print(f"machine: {common.machine()}")
    print(f"{args.documents} documents of {args.mb} MB on one of {args.cases:,} cases")
    print(
        f"case list first page + count: {common.ms(before_list)} without, "
        f"{common.ms(after_list)} with ({after_list / before_list:.2f}x) "
        f"{common.verdict(after_list <= before_list * 1.2)}"
    )
    print(
        f"case file data: {common.ms(before_file)} without, {common.ms(after_file)} with "
        f"({after_file / before_file:.2f}x) {common.verdict(after_file <= before_file * 1.2)}"
    )
    print(f"listing the case's documents: {common.ms(listing)} {common.verdict(listing < 0.020)}")
    print(f"attaching one {args.mb} MB file: median {common.ms(common.median(attach))}")
    print(f"opening one {args.mb} MB file (read, check SHA-256, write): {common.ms(opening)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

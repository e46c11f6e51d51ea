"""A real PostgreSQL database for the tests marked ``postgres``.

``.ci/run`` starts a server and sets ``CASEWORKER_TEST_PG`` to a URL of a database the tests may
empty. Without it the PostgreSQL tests are skipped with the reason (never silently passed).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.pgschema import empty_public_schema

PG_ENV = "CASEWORKER_TEST_PG"


@pytest.fixture
def pg_url() -> Iterator[str]:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set: run the suite through .ci/run to test PostgreSQL")
    from caseworker.storage.database import make_engine

    engine = make_engine(url)
    empty_public_schema(engine)
    engine.dispose()
    yield url

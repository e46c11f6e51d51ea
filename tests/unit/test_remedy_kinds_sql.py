"""The yearly report reads a remedy's kinds once per row (``kinds_mask``): on SQLite without
``lower()``. It must read every text as the word-by-word ``lower(text) LIKE`` does."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, select

from caseworker.reports.remedies import HELD, KINDS, kind_counts, kind_matches, kinds_mask

TEXTS = [
    "",
    None,
    "We APOLOGISE and have REPAIRED the boiler.",
    "Sorry. A £50 goodwill Payment was made.",
    "Staff Reminded of the PROCEDURE; Training booked.",
    "We Explained our decision.",
    "No change was needed.",
    "Ünïcode text saying SORRY and offering a REFUND",
    "ÀPOLOGY written with an accent: no kind",
    "Removed under the retention policy; it was an apology and a financial remedy.",
]


@pytest.fixture()
def texts():  # noqa: ANN201
    engine = create_engine("sqlite://")
    table = Table(
        "texts", MetaData(), Column("id", Integer, primary_key=True), Column("body", String)
    )
    table.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(table), [{"body": text} for text in TEXTS])
    yield engine, table
    engine.dispose()


def test_the_mask_reads_each_text_as_the_word_by_word_likes(texts) -> None:  # noqa: ANN001
    engine, table = texts
    body = table.c.body
    statement = select(
        body,
        kinds_mask(body, "sqlite"),
        body != "",
        *(kind_matches(kind, body) for kind in KINDS),
    ).order_by(table.c.id)
    with engine.connect() as connection:
        rows = connection.execute(statement).all()
    assert len(rows) == len(TEXTS)
    for text, mask, held, *matches in rows:
        assert bool(mask & HELD) == bool(held), text
        for number, matched in enumerate(matches):
            assert bool(mask & (1 << number)) == bool(held and matched), (text, KINDS[number])
    masks = [mask for _, mask, *_ in rows]
    assert masks[0] == 0 and masks[1] == 0  # empty and NULL: no remedy
    assert masks[2] == HELD | 1 | 4  # apology, put right: whatever the case of the letters
    assert masks[8] == HELD  # "À" is not "a" to either reading: held, of no kind


def test_kind_counts_sum_the_masks_with_other_for_none() -> None:
    apology, financial = 1, 1 << 4
    held, counts = kind_counts(
        [(0, 7), (HELD, 3), (HELD | apology, 2), (HELD | apology | financial, 5)]
    )
    assert held == 10
    assert counts == [7, 0, 0, 0, 5, 3]

"""Search everything: one query over references, complainants' names, addresses and emails, issue
text, notes, interview records, letters' text, emails and document names, grouped by case.

It uses the database's own full-text index, created by migration 0006: on SQLite an FTS5 table
(``search_fts``) kept up to date by triggers; on PostgreSQL GIN indexes over ``to_tsvector``
expressions on each table (the expressions below match the indexes exactly, so they are used).
Every word typed must appear (as a word or the start of one) in the same record.

:func:`search` is what the app's search box calls: it finds only the cases the officer may see
(:func:`caseworker.services.permissions.visible`, inside the full-text query itself, so the best
matches are the best of those cases and no other case's text is read).

Best first: the first :data:`RANKED` matches in the order of where they were found (the case's
own details, the complainant, issues, notes, interviews, letters, emails, documents) and,
within each, newest first, are ranked (bm25 on SQLite, ``ts_rank`` on PostgreSQL); a word found
in fewer records has all of them ranked. On PostgreSQL the cases' words are also kept parsed
(:data:`PG_WORDS`), so their newest matches are found without reading every match, and the
words of issues, notes and interviews with their case's columns that decide who sees it
(:data:`PG_SEEN_BY`), so an officer's matches are found without reading every match to find its
case. As an officer's own login (row-level security applies), each table's matches come from
``caseworker_search_ids`` (migrations 0019, 0026, 0028), which can use those indexes where the
login's own query could not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    TextClause,
    and_,
    column,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from caseworker.domain.enums import CaseStatus, Outcome
from caseworker.domain.finding import SECTION_OF_MATCH, FoundCase, Match
from caseworker.services import permissions
from caseworker.services.context import Context
from caseworker.storage.models import (
    CASE_WORDS_TABLE,
    RECORD_WORDS_TABLES,
    SEEN_BY_COLUMNS,
    Case,
    Complainant,
)

FTS_TABLE = "search_fts"
KIND_NAMES = {
    0: "document",
    1: "case",
    2: "complainant",
    3: "issue",
    4: "note",
    5: "interview",
    6: "letter",
    7: "email",
}
_WORD = re.compile(r"\w+", re.UNICODE)

BLOCK = {1: 8, 2: 7, 3: 6, 4: 5, 5: 4, 6: 3, 7: 2, 0: 1}
"""Where a match was found, in the order matches are taken for ranking (the case's own details
first, a document's name last): on SQLite each kind's block of rowids in the index (a record's
rowid is ``block << 40 | id``, migration 0019)."""
RANKED = 1000
"""How many matches are ranked (best first) at most: the first in the order of :data:`BLOCK`
and, within a kind, newest first. Ranking every match of a common word ("council": 75,000
records at 250,000 cases) took longer than a search may; a word found less often has all its
matches ranked."""

PG_TEXT: dict[str, str] = {
    "cases": "reference || ' ' || summary || ' ' || referrer_name || ' ' || service_area",
    "complainants": "name || ' ' || address || ' ' || postcode || ' ' || email",
    "issues": "summary || ' ' || explanation || ' ' || remedy || ' ' || action",
    "notes": "text",
    "interviews": "interviewee || ' ' || notes || ' ' || summary || ' ' || further_information",
    "letters": "coalesce(draft::text, '')",
    "correspondence": "sender || ' ' || subject || ' ' || body",
    "documents": "translate(filename, '-_.', '   ')",
}
"""The indexed expression per table (as migration 0006 created the PostgreSQL indexes)."""

PG_WORDS: dict[str, str] = {"cases": CASE_WORDS_TABLE}
"""Tables whose rows' words PostgreSQL keeps parsed, in a table of ``(id, words)`` (migration
0026): tested row by row as cheaply as through the index, so the planner may read the newest
rows first and stop at :data:`RANKED` matches (for one who sees every case). The cases' own
details come first in the order of :data:`BLOCK`, so a common word's ranked matches are usually
theirs alone ("council": the newest 1,000 of 44,093 at 250,000 cases, about 6,000 rows read
where every match was)."""

PG_SEEN_BY: dict[str, str] = dict(RECORD_WORDS_TABLES)
"""Tables whose rows' words PostgreSQL keeps with copies of their case's columns that decide who
sees it (:data:`caseworker.storage.models.SEEN_BY_COLUMNS`, migration 0028): an officer's
matches are found there by those columns' indexes and the words' together (only the rows that
are both read), the app's condition applied to the kept row as to its case. Through the
table's own full-text index every match was read to find its case ("council": 27,045 issues
at 250,000 cases, for none of the busiest officer's)."""

_PG_CASE: dict[str, tuple[str, str, str]] = {
    # table: (kind name, case id expression, extra FROM)
    "cases": ("case", "t.id", ""),
    "complainants": ("complainant", "c.id", " JOIN cases c ON c.complainant_id = t.id"),
    "issues": ("issue", "t.case_id", ""),
    "notes": ("note", "i.case_id", " JOIN issues i ON i.id = t.issue_id"),
    "interviews": ("interview", "t.case_id", ""),
    "letters": ("letter", "t.case_id", ""),
    "correspondence": ("email", "t.case_id", ""),
    "documents": ("document", "t.case_id", ""),
}


@dataclass(frozen=True)
class Snippet:
    kind: str
    """Where it matched: case, complainant, issue, note, interview, letter, email, document."""
    text: str
    """The matching words with a little context, matches in [brackets]."""


@dataclass
class CaseHit:
    case_id: int
    reference: str
    snippets: list[Snippet] = field(default_factory=list)


def words(query: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(query)]


def search(ctx: Context, query: str, limit: int = 50) -> list[FoundCase]:
    """The cases the acting officer may see that match ``query``, best first, each with its
    complainant, status and outcome, and where it matched (the part of the case file that shows
    it). A login linked to no officer finds nothing."""
    with ctx.unit() as uow:
        hits = case_hits(uow.session, query, limit, visible=permissions.visible(uow))
        about = about_cases(uow.session, {h.case_id for h in hits})
    found = []
    for hit in hits:
        name, status, outcome, service = about.get(hit.case_id, ("", CaseStatus.OPEN, None, ""))
        found.append(
            FoundCase(
                hit.case_id,
                hit.reference,
                name,
                status,
                outcome,
                service,
                tuple(
                    Match(s.kind, s.text, SECTION_OF_MATCH.get(s.kind, "overview"))
                    for s in hit.snippets
                ),
            )
        )
    return found


def complainant_label(name: str | None, anonymous: bool) -> str:
    """A case's complainant as the lists name them: "Anonymous" for an anonymous complaint or
    one without a complainant's name."""
    return "Anonymous" if anonymous or not name else name


def about_cases(
    session: Session, case_ids: set[int] | Select[Any]
) -> dict[int, tuple[str, CaseStatus, Outcome | None, str]]:
    """Each case's complainant as the lists name them ("Anonymous" without one), status,
    outcome and service area, by case id (``case_ids``: the ids, or a query selecting them)."""
    if isinstance(case_ids, set) and not case_ids:
        return {}
    rows = session.execute(
        select(
            Case.id, Complainant.name, Case.anonymous, Case.status, Case.outcome, Case.service_area
        )
        .outerjoin(Complainant, Complainant.id == Case.complainant_id)
        .where(Case.id.in_(case_ids))
    )
    return {
        case_id: (complainant_label(name, anonymous), status, outcome, service)
        for case_id, name, anonymous, status, outcome, service in rows
    }


def case_hits(
    session: Session, query: str, limit: int = 50, *, visible: ColumnElement[bool] | None
) -> list[CaseHit]:
    """The cases matching ``query`` (best first) of those ``visible`` allows (``None``: every
    case), each with the snippets that matched: what :func:`search` runs in its unit of work."""
    terms = words(query)
    if not terms or limit <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        rows = _postgres(session, terms, limit, visible)
    else:
        rows = _sqlite(session, terms, limit, visible)
    hits: dict[int, CaseHit] = {}
    for case_id, kind, snippet in rows:
        hit = hits.get(case_id)
        if hit is None:
            if len(hits) >= limit:
                continue
            hit = hits[case_id] = CaseHit(case_id, "")
        if len(hit.snippets) < 5:
            hit.snippets.append(Snippet(kind, readable(snippet) if kind == "letter" else snippet))
    if hits:
        for case_id, reference in session.execute(
            select(Case.id, Case.reference).where(Case.id.in_(hits))
        ):
            hits[case_id].reference = reference
    return [hit for hit in hits.values() if hit.reference]


_HIGHLIGHT = re.compile(r"\[(\w[^\[\]\"{}]*?)\]")
_JSON_KEY = re.compile(r'"[A-Za-z_][A-Za-z0-9_]*"\s*:\s*')
_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def readable(snippet: str) -> str:
    """A letter's match as words: letters are indexed as their stored draft (JSON), so its
    snippet came back as ``{"paragraphs": ["We apologise for the [discourteous]…``. Keys,
    quotes, braces and escapes go; the matches stay in [brackets]."""
    text = _HIGHLIGHT.sub(lambda m: "\x02" + m.group(1) + "\x03", snippet)
    text = _JSON_KEY.sub(" ", text)
    text = _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = text.replace("\\n", " ").replace("\\t", " ").replace('\\"', "\x01")
    text = re.sub(r'[{}\[\]"]', " ", text).replace("\x01", '"')
    text = re.sub(r"\b(null|true|false)\b", " ", text)
    text = re.sub(r"\s*,(\s*,)+", ",", text)  # the commas between emptied values
    text = re.sub(r"\s+,", ",", re.sub(r"\s+", " ", text)).strip(" ,")
    return text.replace("\x02", "[").replace("\x03", "]")


_COMPLAINANT = 2
_KIND = {name: number for number, name in KIND_NAMES.items()}
"""The kind of a complainant's record in the SQLite index (its owner is the complainant)."""


def _sqlite(
    session: Session, terms: list[str], limit: int, visible: ColumnElement[bool] | None
) -> list[tuple[int, str, str]]:
    match = " ".join('"' + t.replace('"', '""') + '"*' for t in terms)
    index = table(FTS_TABLE, column("rowid"), column("kind"), column("owner"), column("rank"))
    query = select(
        index.c.rowid,
        index.c.kind,
        index.c.owner,
        index.c.rank,
        literal_column(f"snippet({FTS_TABLE}, 0, '[', ']', '…', 12)").label("snippet"),
    ).where(literal_column(FTS_TABLE).op("MATCH")(match))
    if visible is not None:  # only records of cases the officer may see, or of their complainants
        query = query.where(
            or_(
                and_(
                    index.c.kind == _COMPLAINANT,
                    index.c.owner.in_(select(Case.complainant_id).where(visible)),
                ),
                and_(
                    index.c.kind != _COMPLAINANT, index.c.owner.in_(select(Case.id).where(visible))
                ),
            )
        )
    # The first RANKED matches in the order of BLOCK, newest first, are the largest rowids (FTS5
    # walks them in order, so it stops there); only they are ranked (bm25, as rank, per row).
    first = query.order_by(index.c.rowid.desc()).limit(RANKED).subquery()
    best = select(first.c.kind, first.c.owner, first.c.snippet).order_by(
        first.c.rank, first.c.rowid.desc()
    )
    found = session.execute(best.limit(limit * 10)).all()
    complainants = {owner for kind, owner, _ in found if kind == _COMPLAINANT}
    their_cases: dict[int, list[int]] = {}
    if complainants:
        cases = select(Case.id, Case.complainant_id).where(Case.complainant_id.in_(complainants))
        if visible is not None:
            cases = cases.where(visible)
        for case_id, complainant_id in session.execute(cases):
            if complainant_id is not None:
                their_cases.setdefault(complainant_id, []).append(case_id)
    rows: list[tuple[int, str, str]] = []
    for kind, owner, snippet in found:
        if owner is None:
            continue
        owning = their_cases.get(owner, []) if kind == _COMPLAINANT else [int(owner)]
        rows.extend((case_id, KIND_NAMES[int(kind)], snippet) for case_id in owning)
    return rows


def _visible_ids(
    visible: ColumnElement[bool], *also: ColumnElement[bool] | TextClause
) -> tuple[str, dict]:
    """``SELECT id FROM cases WHERE <visible> AND <also>`` as PostgreSQL text with ``:name``
    parameters (and no ``::type`` casts after them, which the text below could not tell from its
    own), to put in the text of the query below, and the parameters' values."""
    return _text(select(Case.id).where(visible, *also))


def _text(statement: Select[Any]) -> tuple[str, dict]:
    """``statement`` as PostgreSQL text with ``:name`` parameters (see :func:`_visible_ids`)."""
    from sqlalchemy.dialects.postgresql.base import PGDialect

    dialect = PGDialect(paramstyle="named")
    compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    return str(compiled), dict(compiled.params)


def _kept_seen_ids(source: str, visible: ColumnElement[bool], matched: str) -> tuple[str, dict]:
    """``SELECT w.id FROM <source's kept words> w WHERE <matched> AND <visible>``, the app's
    condition on a case applied to the kept row's copy of its case's columns (:data:`PG_SEEN_BY`),
    as PostgreSQL text, and its parameters' values (``visible``'s, named as by
    :func:`_visible_ids`)."""
    from sqlalchemy.sql.visitors import replacement_traverse

    kept = table(PG_SEEN_BY[source], column("id"), *map(column, SEEN_BY_COLUMNS)).alias("w")
    cases = Case.__table__

    def on_kept(element: Any, **_: Any) -> Any:
        if getattr(element, "table", None) is cases:
            return kept.c[element.name]  # a column not copied: KeyError, never a wrong answer
        return None

    statement = select(kept.c.id).where(
        text(matched).bindparams(q=""),  # (:q's value is the statement's)
        replacement_traverse(visible, {}, on_kept),
    )
    sql, params = _text(statement)
    params.pop("q", None)  # (not there where visible is false: nothing to match)
    return sql, params


def _postgres(
    session: Session, terms: list[str], limit: int, visible: ColumnElement[bool] | None
) -> list[tuple[int, str, str]]:
    # PostgreSQL's parser reads "CW-2026-00001" as 'cw', '-2026', '-00001' (signed numbers)
    tsquery = " & ".join(f"({t}:* | '-{t}':*)" if t.isdigit() else f"{t}:*" for t in terms)
    seen, params = "", dict[str, object]()
    if visible is not None:  # each table's matches only where the officer may see the case
        ids, params = _visible_ids(visible)
        seen = " AND {case} IN (" + ids + ")"
    policed = _row_security(session)
    parts = []
    for source, expression in PG_TEXT.items():
        kind, case_expr, joins = _PG_CASE[source]
        qualified, inner = (_qualified(expression, alias) for alias in ("t", "m"))
        # The kept words for one who sees every case; another's few cases are found through
        # their own indexes and the table's full-text index together (a bitmap of both, only
        # the matches among them read), which the kept words, a table apart, cannot join.
        # (A login cannot read the kept words at all.)
        stored = PG_WORDS.get(source) if not policed and not seen else None
        words, rows, found = "NULL::tsvector", f"{source} t", "true"
        # The app's condition on the rows found, unless it found them (on the kept words)
        again = "" if not policed and source in PG_SEEN_BY else seen
        if policed:
            # Under row-level security the match is not leakproof, so it could not use the
            # index: caseworker_search_ids (migrations 0019, 0026, 0028) finds the newest RANKED
            # matches of the cases this login may see; the rows are then read as the login.
            found = (
                f"t.id = ANY(ARRAY(SELECT caseworker_search_ids('{source}', "
                "to_tsquery('english', :q), :ranked)))"
            )
        elif stored:
            # The kept words: the planner reads the newest first for a common word and stops
            # at RANKED, or uses the index for a rarer one; only those RANKED rows are read.
            newest = (
                f"SELECT w.id, w.words FROM {stored} w WHERE w.words @@ to_tsquery('english', :q)"
                " ORDER BY w.id DESC LIMIT :ranked"
            )
            words, rows = "w.words", f"({newest}) w JOIN {source} t ON t.id = w.id"
        else:
            # The matching rows' ids through the table's full-text index, in full (a subquery
            # no LIMIT reaches: given one, the planner reckons a scan finds enough matches
            # sooner, pricing to_tsvector() per row far below its cost); the newest RANKED of
            # them taken from that list, then read by their ids.
            matched = "to_tsvector('english', {}) @@ to_tsquery('english', :q)"
            matches = (
                f"SELECT m.id FROM {source} m{_other_alias(joins)} "
                f"WHERE {matched.format(inner)}" + seen.replace("{case}", _other_alias(case_expr))
            )
            if visible is not None and source in PG_SEEN_BY:
                # The officer's rows and the word's matches by the kept words' indexes together
                # (a bitmap of both: only the rows that are both read), the condition on the
                # kept row's copy of its case's columns (migration 0028).
                matches, kept = _kept_seen_ids(
                    source, visible, "w.words @@ to_tsquery('english', :q)"
                )
                assert all(params.get(k, v) == v for k, v in kept.items()), (params, kept)
                params = {**params, **kept}
            elif visible is not None and source == "cases":
                # The officer's cases through their own indexes and the full-text index
                # together (a bitmap of both: only the matches among them read), as the
                # function does for their login; through the ids of the cases they see, each
                # of those cases' words was parsed again to test it (6,474 cases at 250,000:
                # 53-79 ms in three processes, against 13-17 ms).
                matches, _ = _visible_ids(
                    visible,
                    # (:q's value is the statement's, given below)
                    text(matched.format(_qualified(expression, "cases"))).bindparams(q=""),
                )
            found = (
                f"t.id = ANY(ARRAY(SELECT n.id FROM unnest(ARRAY({matches})) AS n(id) "
                "ORDER BY n.id DESC LIMIT :ranked))"
            )
        parts.append(
            f"(SELECT {case_expr} AS case_id, '{kind}' AS kind, {qualified} AS body, "
            f"{words} AS words, {BLOCK[_KIND[kind]]} AS block, t.id FROM {rows}{joins} "
            # The app's condition (again): a complainant's row joins each of their cases (and
            # under row-level security the function applied the policies' rule, not the app's).
            f"WHERE {found}" + again.replace("{case}", case_expr) + ")"
        )
    # The first RANKED matches in the order of BLOCK (the parts' order), newest first, are
    # ranked (on their stored words where a table keeps them). A table's matches are not read
    # at all once the tables before it gave RANKED (a one-time condition on their counts):
    # "council" reads the cases' matches alone. The snippets (ts_headline, the costly part)
    # only for the best rows overall, as on SQLite.
    taken = []
    for number in range(len(parts)):
        # CASE, so that each count is asked only if those before it left room
        counts = [f"(SELECT count(*) FROM part{n})" for n in range(number)]
        full = " ".join(
            f"WHEN {' + '.join(counts[: n + 1])} >= :ranked THEN false" for n in range(number)
        )
        gate = f" WHERE CASE {full} ELSE true END" if number else ""
        taken.append(f"SELECT * FROM part{number}{gate}")
    sql = (
        "WITH "
        + ", ".join(f"part{n} AS MATERIALIZED {part}" for n, part in enumerate(parts))
        + " SELECT best.case_id, best.kind, ts_headline('english', best.body, q, 'StartSel=[, "
        "StopSel=], MaxWords=18, MinWords=6') FROM ("
        "SELECT taken.case_id, taken.kind, taken.body, "
        "ts_rank(coalesce(taken.words, to_tsvector('english', taken.body)), q) AS rank FROM ("
        + " UNION ALL ".join(taken)
        + " ORDER BY block DESC, id DESC LIMIT :ranked) taken, to_tsquery('english', :q) q "
        "ORDER BY rank DESC LIMIT :rows) best, to_tsquery('english', :q) q "
        "ORDER BY best.rank DESC"
    )
    values = {**params, "q": tsquery, "rows": limit * 10, "ranked": RANKED}
    return [(int(r[0]), r[1], r[2]) for r in session.execute(text(sql), values)]


def _row_security(session: Session) -> bool:
    """Whether row-level security applies to this connection (an officer's own login, not the
    database's owner)."""
    return bool(session.execute(text("SELECT row_security_active('cases')")).scalar())


def _other_alias(sql: str) -> str:
    """A part of :data:`_PG_CASE` for the table as ``m`` (its joins as ``mc``, ``mi``)."""
    sql = re.sub(r"\b(cases|issues) ([ci]) ON", r"\1 m\2 ON", sql)
    return re.sub(
        r"\b([tci])\.", lambda m: ("m" if m.group(1) == "t" else "m" + m.group(1)) + ".", sql
    )


def _qualified(expression: str, alias: str) -> str:
    """A table's indexed expression (:data:`PG_TEXT`) with its columns as ``alias.column``."""
    return re.sub(
        r"(?<!::)\b(reference|summary|referrer_name|service_area|name|address|"
        r"postcode|email|explanation|remedy|action|text|interviewee|notes|"
        r"further_information|draft|sender|subject|body|filename)\b(?!')",
        rf"{alias}.\1",
        expression,
    )

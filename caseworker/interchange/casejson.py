"""The JSON case file: complaints moved in and out of Caseworker as plain files.

A file holds one case object, or ``{"cases": [...]}``. The format is described field by field in
``docs/case-file.md``; this module is its single definition:

* :func:`parse_case_file` reads and checks a file without touching the database. Text pasted from
  email is tidied (control characters other than newline and tab removed, Windows line ends made
  plain, surrounding spaces trimmed) rather than refused; anything else wrong is a
  :class:`CaseFileError` that names the file and the field path of every problem, e.g.
  ``cases[2].issues[0].finding: 'upheldd' is not one of upheld, partially-upheld, not-upheld``.
* :func:`import_cases` records the parsed cases in one unit of work, computing each case's clock
  from its policy, and commits only if every case could be added: a bad file saves nothing. Each
  case is first authorised with the new-case form's rule
  (:func:`~caseworker.services.permissions.why_not_record`): one case the officer may not record
  (allocated, worked on or at a later stage, where they are not the manager who may) refuses the
  whole file.
* :func:`export_cases` writes cases back in the same format (:func:`case_to_dict`), only cases
  the acting officer may see: importing an exported file gives the same content.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
)
from pydantic_core import ErrorDetails
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from caseworker.domain.enums import (
    CaseStatus,
    Channel,
    ContactMethod,
    Finding,
    InterviewMethod,
    NoteKind,
    Outcome,
    ReferrerRole,
    RouteId,
    SendMethod,
)
from caseworker.domain.refusals import NotPermitted
from caseworker.errors import UserError
from caseworker.letters import names
from caseworker.letters import subject as subject_words
from caseworker.policy.loader import PolicyError
from caseworker.policy.schema import Policy
from caseworker.services.cases.records import REFERENCE_PREFIX, next_reference, refresh_clock
from caseworker.services.context import Context
from caseworker.services.permissions import Action, acting_officer, check, why_not_record
from caseworker.storage.models import (
    Case,
    CaseSubject,
    Complainant,
    ContactAttempt,
    Counter,
    Extension,
    Interview,
    Issue,
    Note,
    Officer,
    Representative,
    Suspension,
)

MAX_PROBLEMS_SHOWN = 20
"""A file with more problems than this lists the first ones and says how many more there are."""

# --------------------------------------------------------------------------------------------
# Tidying text pasted from email
# --------------------------------------------------------------------------------------------

_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
"""C0 and C1 control characters except tab and newline (line breaks are handled first)."""
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_OWN_REFERENCE = re.compile(rf"^{REFERENCE_PREFIX}-(\d{{4}})-(\d{{5,}})$")
"""``CW-2026-00042``: at least five digits, as :func:`next_reference` writes them."""
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]*$")


def clean_text(value: str) -> str:
    """``value`` with line ends made ``\\n``, other controls (bar tab) removed, trimmed."""
    return _CONTROL.sub("", _LINE_BREAKS.sub("\n", value)).strip()


def clean_line(value: str) -> str:
    """Single-line text: cleaned as :func:`clean_text`, every run of whitespace one space."""
    return " ".join(clean_text(value).split())


def _describe(value: Any) -> str:
    """A value as it appeared in the JSON file (text in single quotes), shortened."""
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 58 else f"'{value[:55]}...'"
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _require_str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {_json_type(value)} {_describe(value)}")
    return value


def _text(value: Any) -> str:
    return clean_text(_require_str(value))


def _line(value: Any) -> str:
    return clean_line(_require_str(value))


def _name(value: Any) -> str:
    cleaned = clean_line(_require_str(value))
    if not cleaned:
        raise ValueError("a name is needed; this one is empty (or only control characters)")
    return cleaned


def _nonempty_text(value: Any) -> str:
    cleaned = clean_text(_require_str(value))
    if not cleaned:
        raise ValueError("must not be empty")
    return cleaned


def _email(value: Any) -> str:
    cleaned = clean_line(_require_str(value)).replace(" ", "")
    if cleaned and not _EMAIL.match(cleaned):
        raise ValueError(f"{_describe(cleaned)} is not an email address")
    return cleaned


def _iso_date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _DATE.match(value):
        raise ValueError(f"{_describe(value)} is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{_describe(value)} is not a real date") from None


def _iso_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        if not isinstance(value, str) or not _DATE.match(value[:10]) or value[10:11] != "T":
            raise ValueError(
                f"{_describe(value)} is not a date and time in the form YYYY-MM-DDTHH:MM:SS+00:00"
            )
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{_describe(value)} is not a real date and time") from None
    if parsed.tzinfo is None:
        raise ValueError(
            f"{_describe(value)} needs its time zone, e.g. "
            f"{parsed.replace(microsecond=0).isoformat()}+00:00 (UTC) or Z"
        )
    return parsed.astimezone(dt.UTC)


def _enum_by_value(enum_class: type[StrEnum]) -> Callable[[Any], StrEnum]:
    allowed = [member.value for member in enum_class]

    def validate(value: Any) -> StrEnum:
        if isinstance(value, enum_class):
            return value
        if isinstance(value, str) and value in allowed:
            return enum_class(value)
        shown = f"'{value}'" if isinstance(value, str) else _describe(value)
        raise ValueError(f"{shown} is not one of {', '.join(allowed)}")

    return validate


Text = Annotated[str, BeforeValidator(_text)]
Line = Annotated[str, BeforeValidator(_line)]
NonEmptyText = Annotated[str, BeforeValidator(_nonempty_text)]
Name = Annotated[str, BeforeValidator(_name), Field(max_length=200)]
Email = Annotated[str, BeforeValidator(_email), Field(max_length=254)]
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
IsoDateTime = Annotated[dt.datetime, BeforeValidator(_iso_datetime)]
# Each vocabulary read by its value (e.g. "first-class"), as a type a checker can read.
CaseStatusValue = Annotated[CaseStatus, BeforeValidator(_enum_by_value(CaseStatus))]
ChannelValue = Annotated[Channel, BeforeValidator(_enum_by_value(Channel))]
ContactMethodValue = Annotated[ContactMethod, BeforeValidator(_enum_by_value(ContactMethod))]
FindingValue = Annotated[Finding, BeforeValidator(_enum_by_value(Finding))]
InterviewMethodValue = Annotated[InterviewMethod, BeforeValidator(_enum_by_value(InterviewMethod))]
NoteKindValue = Annotated[NoteKind, BeforeValidator(_enum_by_value(NoteKind))]
OutcomeValue = Annotated[Outcome, BeforeValidator(_enum_by_value(Outcome))]
ReferrerRoleValue = Annotated[ReferrerRole, BeforeValidator(_enum_by_value(ReferrerRole))]
RouteIdValue = Annotated[RouteId, BeforeValidator(_enum_by_value(RouteId))]
SendMethodValue = Annotated[SendMethod, BeforeValidator(_enum_by_value(SendMethod))]

# --------------------------------------------------------------------------------------------
# The format
# --------------------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ComplainantIn(_Model):
    name: Name
    title: Annotated[Line, Field(max_length=40)] = ""
    addressed_as: Annotated[Line, Field(max_length=200)] = ""
    address: Text
    email: Email
    phone: Annotated[Line, Field(max_length=40)] = ""
    postcode: Annotated[Line, Field(max_length=16)] = ""
    preferred_contact: ContactMethodValue | None = None
    reasonable_adjustments: Text = ""
    adjustments_public: Text = ""
    adjustments_review_on: IsoDate | None = None
    vulnerabilities: Text = ""


class ViaIn(_Model):
    name: Name
    role: ReferrerRoleValue
    title: Annotated[Line, Field(max_length=40)] = ""
    addressed_as: Annotated[Line, Field(max_length=200)] = ""
    address: Text = ""


class RepresentativeIn(_Model):
    name: Name
    title: Annotated[Line, Field(max_length=40)] = ""
    addressed_as: Annotated[Line, Field(max_length=200)] = ""
    relationship: Annotated[Line, Field(max_length=200)] = ""
    address: Text = ""
    email: Email = ""
    phone: Annotated[Line, Field(max_length=40)] = ""
    consent_received: IsoDate | None = None


class NoteIn(_Model):
    kind: NoteKindValue
    text: NonEmptyText
    author: Name
    source: Annotated[Line, Field(max_length=300)] = ""
    at: IsoDateTime | None = None


class IssueIn(_Model):
    summary: NonEmptyText
    finding: FindingValue | None = None
    explanation: Text = ""
    remedy: Text = ""
    lesson_learnt: Text = ""
    action: Text = ""
    action_public: Text = ""
    action_due: IsoDate | None = None
    action_completed: IsoDate | None = None
    raised_at_stage: Annotated[int, Field(ge=1, le=9)] = 1
    stage2_finding: FindingValue | None = None
    stage2_explanation: Text = ""
    stage2_remedy: Text = ""
    notes: list[NoteIn] = []


class ExtensionIn(_Model):
    stage: StrictInt = Field(ge=1, le=3)
    new_date: IsoDate
    reason: NonEmptyText
    complainant_told: IsoDate | None = None
    told_method: ContactMethodValue | None = None


class SuspensionIn(_Model):
    start: IsoDate
    end: IsoDate | None = None
    reason: NonEmptyText


class InterviewIn(_Model):
    interviewee: Name
    interviewee_role: Annotated[Line, Field(max_length=200)] = ""
    held_on: IsoDate
    method: InterviewMethodValue
    accompanied_by: Annotated[Line, Field(max_length=200)] = ""
    accompanied_as: Literal["colleague", "union representative", ""] = ""
    notes: Text = ""
    summary: Text = ""
    summary_read_back: StrictBool = False
    further_information_invited: StrictBool = False
    further_information: Text = ""
    recorded_by: Annotated[Line, Field(max_length=200)] = ""


class ContactAttemptIn(_Model):
    at: IsoDateTime
    method: ContactMethodValue
    result: Text = ""
    made_by: Annotated[Line, Field(max_length=200)] = ""


class CaseIn(_Model):
    """One case, as the file gives it."""

    reference: Annotated[Line, Field(max_length=32)] | None = None
    policy: Annotated[Line, Field(min_length=1, max_length=64)]
    route: RouteIdValue
    stage: StrictInt = Field(ge=1, le=3)
    status: CaseStatusValue | None = None
    received: IsoDate
    channel: ChannelValue
    service_area: Annotated[Line, Field(min_length=1, max_length=200)]
    summary: Text = ""
    complaint_subject: Text = ""
    anonymous: StrictBool = False
    time_limit_waived_by: Annotated[Line, Field(max_length=200)] = ""
    officer: Email | None = None
    complainant: ComplainantIn
    via: ViaIn | None = None
    representative: RepresentativeIn | None = None
    subjects: list[Name] = []
    issues: list[IssueIn] = Field(min_length=1)
    acknowledged: IsoDate | None = None
    response_sent: IsoDate | None = None
    response_method: SendMethodValue | None = None
    escalation_requested: IsoDate | None = None
    closed_on: IsoDate | None = None
    outcome: OutcomeValue | None = None
    understanding: Text = ""
    steps_taken: Text = ""
    evidence_considered: Text = ""
    settlement_terms: Text = ""
    withdrawn_on: IsoDate | None = None
    withdrawal_method: ContactMethodValue | None = None
    escalation_refusal_reasons: Text = ""
    refusal_reasons: Text = ""
    refusal_route: Text = ""
    extensions: list[ExtensionIn] = []
    suspensions: list[SuspensionIn] = []
    interviews: list[InterviewIn] = []
    contact_attempts: list[ContactAttemptIn] = []


class CaseFileList(_Model):
    """A file of several cases: ``{"cases": [...]}`` (one name per concept: the case list is
    :class:`caseworker.services.lists.caselist.CaseList`)."""

    cases: list[CaseIn] = Field(min_length=1)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, looking through ``list[...]``, ``... | None`` and Annotated."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def fields_at(loc: Sequence[str | int], top: type[BaseModel] = CaseIn) -> list[str]:
    """The field names allowed in the object at ``loc`` (empty if ``loc`` is not an object)."""
    model: type[BaseModel] | None = top
    for part in loc:
        if isinstance(part, int):
            continue
        if model is None or part not in model.model_fields:
            return []
        model = _model_in(model.model_fields[part].annotation)
    return list(model.model_fields) if model is not None else []


# --------------------------------------------------------------------------------------------
# Problems and their messages
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class CaseFileError(UserError):
    """A case file that cannot be imported; nothing of it has been saved."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        if len(self.problems) == 1:  # one line, as every other refusal is
            super().__init__(f"{source}: {self.problems[0]}; nothing was imported")
            return
        lines = [f"{source}: {problem}" for problem in self.problems[:MAX_PROBLEMS_SHOWN]]
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            lines.append(
                f"{source}: ... and {len(self.problems) - MAX_PROBLEMS_SHOWN} more problems"
            )
        lines.append(f"{source}: nothing was imported")
        super().__init__("\n".join(lines))


def format_path(loc: Iterable[str | int], prefix: str = "") -> str:
    """``('cases', 2, 'issues', 0, 'finding')`` as ``cases[2].issues[0].finding``."""
    path = prefix
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _message(error: ErrorDetails, top: type[BaseModel]) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind == "missing":
        return "required, but missing"
    if kind == "extra_forbidden":
        name = str(error["loc"][-1])
        allowed = fields_at(error["loc"][:-1], top)
        close = difflib.get_close_matches(name, allowed, n=1) or [
            known for known in allowed if name.startswith(known) or known.startswith(name)
        ]
        if close:
            return f"unknown field; did you mean '{close[0]}'?"
        if len(allowed) > 12:
            return "unknown field; docs/case-file.md lists the fields a case may have"
        return "unknown field; the fields here are " + ", ".join(allowed)
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected an object {{...}}, got {_json_type(value)} {_describe(value)}"
    if kind == "list_type":
        return f"expected a list [...], got {_json_type(value)} {_describe(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {_json_type(value)} {_describe(value)}"
    if kind == "bool_type":
        return f"expected true or false, got {_json_type(value)} {_describe(value)}"
    if kind == "literal_error":
        return f"{_describe(value)} is not one of {error['ctx']['expected']}"
    if kind == "too_short" and isinstance(value, list):
        return "needs at least one entry"
    return f"{error['msg']} (got {_describe(value)})"


def _problems_from(error: ValidationError, top: type[BaseModel]) -> list[Problem]:
    return [Problem(format_path(e["loc"]), _message(e, top)) for e in error.errors()]


# --------------------------------------------------------------------------------------------
# Reading a file
# --------------------------------------------------------------------------------------------


PolicyLookup = Callable[[str], Policy]
"""The policy with an id, or :class:`UserError` saying which policies there are."""


def _installed_policy(policy_id: str) -> Policy:
    from caseworker.policy.loader import get_policy

    return get_policy(policy_id)


@dataclass
class CaseFile:
    """A checked file: its cases in file order, and whether it was a ``{"cases": [...]}`` list."""

    source: str
    cases: list[CaseIn]
    listed: bool
    policies: dict[str, Policy] = field(default_factory=dict)

    def path_of(self, index: int) -> str:
        return f"cases[{index}]" if self.listed else ""


def letter_notes(case_file: CaseFile) -> list[str]:
    """What the letters will lack for the file's cases, said when they are imported (not a
    refusal: a case may be recorded before its subject is known): a case with no
    ``complaint_subject``, a complainant with no name a letter can greet."""
    notes = []
    for index, case in enumerate(case_file.cases):
        where = case.reference or case_file.path_of(index) or "the case"
        if not subject_words.phrase(case.complaint_subject):
            notes.append(
                f"{where}: no complaint_subject, so its letters say “your complaint about "
                f"{subject_words.service_phrase(case.service_area)}” until one is recorded"
            )
        c = case.complainant
        problem = names.read_name(c.name, c.title, c.addressed_as).problem
        if problem and not case.anonymous:
            notes.append(f"{where}: complainant.name: {problem}")
    return notes


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def load_json(text: str, source: str) -> Any:
    """Parse ``text``; malformed JSON is a :class:`CaseFileError` giving line and column.

    So is JSON that parses but that no case file can hold: a number of more digits than Python
    turns into an integer (4,300), lists and objects nested deeper than Python's own limit, and a
    ``\\uD800``-style escape that is half of a character (a lone surrogate), which no database
    or terminal can store or show.
    """

    def refuse(message: str, at: int | None = None) -> CaseFileError:
        if at is None:
            return CaseFileError(source, [Problem("", message)])
        line, column = _line_and_column(text, at)
        return CaseFileError(
            source, [Problem("", f"not valid JSON at line {line}, column {column}: {message}")]
        )

    try:
        data = json.loads(text, object_pairs_hook=_refuse_duplicate_keys)
    except json.JSONDecodeError as error:
        raise refuse(error.msg, error.pos) from None
    except _DuplicateKey as error:
        raise refuse(
            f"the key '{_printable(error.key)}' appears twice in one object; give each field once"
        ) from None
    except RecursionError:
        depth, at = _deepest(text)
        raise refuse(
            f"lists and objects nested {depth:,} deep; a case file needs fewer than 10", at
        ) from None
    except ValueError as error:  # an integer too long to convert
        digits = _LONG_NUMBER.search(text)
        if digits is None:  # pragma: no cover - the only ValueError json.loads raises
            raise refuse(f"not valid JSON: {error}") from None
        raise refuse(
            f"a number of {digits.end() - digits.start():,} digits, longer than any a case "
            "file can hold",
            digits.start(),
        ) from None
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        at = _lone_surrogate(text)
        escape = text[at : at + 6] if at is not None and text[at] == "\\" else "an escape"
        raise refuse(
            f"{_printable(escape)} is half of a character (a lone surrogate), which cannot be "
            "stored; the program that wrote the file split a character in two",
            at,
        ) from None
    return data


_MAX_DIGITS = 4300
"""Python's limit on the digits of an integer read from text (``sys.get_int_max_str_digits``)."""
_LONG_NUMBER = re.compile(rf"(?<![\d.eE+-])-?\d{{{_MAX_DIGITS + 1},}}")
_SURROGATE_ESCAPE = re.compile(r"(\\+)u([dD][89a-fA-F][0-9a-fA-F]{2})")


def _line_and_column(text: str, at: int) -> tuple[int, int]:
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def _deepest(text: str) -> tuple[int, int | None]:
    """How deep lists and objects are nested, and where the deepest starts (brackets inside
    strings do not count)."""
    depth = deepest = 0
    at: int | None = None
    for token in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest, at = depth, token.start()
        elif char in "]}":
            depth -= 1
    return deepest, at


def _lone_surrogate(text: str) -> int | None:
    """Where the first ``\\uD800``-style escape stands that is not half of a pair."""
    pending: re.Match[str] | None = None  # a high surrogate waiting for its low half
    for match in _SURROGATE_ESCAPE.finditer(text):
        if len(match.group(1)) % 2 == 0:  # an escaped backslash followed by a plain 'u'
            continue
        start = match.start() + len(match.group(1)) - 1
        high = match.group(2)[1].lower() in "89ab"
        if pending is not None:
            if not high and start == pending.end():
                pending = None
                continue
            return pending.start() + len(pending.group(1)) - 1
        if not high:
            return start
        pending = match
    if pending is not None:
        return pending.start() + len(pending.group(1)) - 1
    return _raw_surrogate(text)


def _raw_surrogate(text: str) -> int | None:
    match = re.search("[\ud800-\udfff]", text)
    return match.start() if match else None


def _printable(value: str) -> str:
    """``value`` with any lone surrogate written as its escape, so that it can be printed."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except OSError as error:
        raise UserError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CaseFileError(
            str(path), [Problem("", f"not UTF-8 text (byte {error.start}); save the file as UTF-8")]
        ) from None


def parse_case_file(
    text: str,
    source: str = "<case file>",
    *,
    today: dt.date | None = None,
    get_policy: PolicyLookup | None = None,
) -> CaseFile:
    """Check the text of a case file; raise :class:`CaseFileError` listing every problem.

    ``today`` (default: the real date) is when "not in the future" is measured from;
    ``get_policy`` (default: the installed policies) finds a policy by id.
    """
    get_policy = get_policy or _installed_policy
    today = today or dt.date.today()
    data = load_json(text, source)
    try:
        top: type[BaseModel] = (
            CaseFileList if isinstance(data, dict) and "cases" in data else CaseIn
        )
        if top is CaseFileList:
            cases = CaseFileList.model_validate(data).cases
            listed = True
        elif isinstance(data, dict):
            cases = [CaseIn.model_validate(data)]
            listed = False
        else:
            raise CaseFileError(
                source,
                [
                    Problem(
                        "",
                        f'expected a case object {{...}} or {{"cases": [...]}}, got '
                        f"{_json_type(data)}",
                    )
                ],
            )
    except ValidationError as error:
        raise CaseFileError(source, _problems_from(error, top)) from None

    case_file = CaseFile(source, cases, listed)
    problems: list[Problem] = []
    try:
        for index, case in enumerate(cases):
            problems.extend(
                _check_case(case, case_file.path_of(index), today, get_policy, case_file.policies)
            )
    except PolicyError as error:  # a broken policy file: said once, not once a case
        raise CaseFileError(
            source, [Problem("", f"cannot be checked, a policy file is wrong: {error}")]
        ) from None
    problems.extend(_check_references(case_file))
    if problems:
        raise CaseFileError(source, problems)
    return case_file


def read_case_file(path: Path | str, **kwargs: Any) -> CaseFile:
    """Read and check the case file at ``path`` (see :func:`parse_case_file`)."""
    path = Path(path)
    return parse_case_file(read_text(path), str(path), **kwargs)


def _check_references(case_file: CaseFile) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, case in enumerate(case_file.cases):
        if case.reference is None:
            continue
        here = format_path(["reference"], case_file.path_of(index))
        if not case.reference:
            problems.append(Problem(here, "must not be empty; leave it out to have one assigned"))
        elif not _REFERENCE.match(case.reference):
            problems.append(
                Problem(here, f"'{case.reference}' may hold only letters, digits and - / _ .")
            )
        elif case.reference.upper().startswith(REFERENCE_PREFIX + "-") and not (
            _OWN_REFERENCE.match(case.reference)
        ):
            problems.append(
                Problem(
                    here,
                    f"'{case.reference}': references starting "
                    f"{REFERENCE_PREFIX}- are Caseworker's own and look like "
                    f"{REFERENCE_PREFIX}-2026-00042",
                )
            )
        elif case.reference in seen:
            problems.append(
                Problem(
                    here,
                    f"'{case.reference}' is also the reference of cases[{seen[case.reference]}]",
                )
            )
        else:
            seen[case.reference] = index
    return problems


def _check_case(
    case: CaseIn,
    prefix: str,
    today: dt.date,
    get_policy: PolicyLookup,
    policies: dict[str, Policy],
) -> list[Problem]:
    """The checks that need more than one field, a policy, or today's date."""
    problems: list[Problem] = []

    def problem(loc: Sequence[str | int], message: str) -> None:
        problems.append(Problem(format_path(loc, prefix), message))

    # The policy, the route in it, the stage in the route.
    policy = policies.get(case.policy)
    if policy is None:
        try:
            policy = policies[case.policy] = get_policy(case.policy)
        except PolicyError:  # a policy file is broken: not this case's fault
            raise
        except UserError as error:
            problem(["policy"], str(error))
    if policy is not None:
        route = next((r for r in policy.routes if r.id == case.route), None)
        if route is None:
            problem(
                ["route"],
                f"'{case.route.value}' is not a route of policy {policy.id}; "
                "its routes are " + ", ".join(r.id.value for r in policy.routes),
            )
        else:
            numbers = [s.number for s in route.stages]
            if case.stage not in numbers:
                problem(
                    ["stage"],
                    f"route {route.id.value} of policy {policy.id} has no stage "
                    f"{case.stage}; it has " + ", ".join(map(str, numbers)),
                )
            for i, ext in enumerate(case.extensions):
                if ext.stage not in numbers:
                    problem(
                        ["extensions", i, "stage"],
                        f"route {route.id.value} of policy {policy.id} has no stage {ext.stage}",
                    )
        if case.anonymous and policy.complainants.anonymous == "refused":
            problem(["anonymous"], f"policy {policy.id} does not accept anonymous complaints")

    # Dates: none in the future, none before the complaint arrived.
    if case.received > today:
        problem(
            ["received"],
            f"{case.received.isoformat()} is in the future (today is {today.isoformat()})",
        )

    def dated(
        loc: Sequence[str | int],
        value: dt.date | None,
        *,
        after: dt.date | None = None,
        after_what: str = "",
        future_ok: bool = False,
    ) -> None:
        if value is None:
            return
        if not future_ok and value > today:
            problem(loc, f"{value.isoformat()} is in the future (today is {today.isoformat()})")
        elif value < case.received:
            problem(
                loc,
                f"{value.isoformat()} is before the complaint was received "
                f"({case.received.isoformat()})",
            )
        elif after is not None and value < after:
            problem(loc, f"{value.isoformat()} is before {after_what} ({after.isoformat()})")

    dated(["escalation_requested"], case.escalation_requested)
    stage_start = case.escalation_requested if case.stage > 1 else None
    dated(
        ["acknowledged"],
        case.acknowledged,
        after=stage_start,
        after_what=f"stage {case.stage} was asked for",
    )
    dated(
        ["response_sent"],
        case.response_sent,
        after=stage_start,
        after_what=f"stage {case.stage} was asked for",
    )
    dated(["closed_on"], case.closed_on)
    dated(["withdrawn_on"], case.withdrawn_on)
    if case.withdrawal_method is not None and case.withdrawn_on is None:
        problem(["withdrawn_on"], "needed with withdrawal_method: when did they withdraw?")
    if case.stage > 1 and case.escalation_requested is None:
        problem(
            ["escalation_requested"],
            f"a case at stage {case.stage} needs the date the "
            "complainant asked for it (its clock starts then)",
        )
    if case.response_method is not None and case.response_sent is None:
        problem(["response_method"], "given without response_sent, the date it was sent")
    if case.response_sent is not None and case.response_method is None:
        problem(
            ["response_method"],
            "needed with response_sent, to know when the response "
            "counts as received: " + ", ".join(m.value for m in SendMethod),
        )

    # Status and closure agree.
    if case.status == CaseStatus.CLOSED and case.closed_on is None:
        problem(["closed_on"], "a closed case needs the date it was closed")
    if case.closed_on is not None and case.status not in (None, CaseStatus.CLOSED):
        problem(
            ["status"],
            f"'{case.status.value}' but the case has closed_on "
            f"{case.closed_on.isoformat()}; use 'closed' or leave status out",
        )

    # People.
    c = case.complainant
    if not case.anonymous and not (c.address or c.email or c.phone):
        problem(
            ["complainant"],
            'needs an address, an email or a phone number to reply to (or set "anonymous": true)',
        )
    if case.route == RouteId.MEMBER_ENQUIRY and case.via is None:
        problem(["via"], "a member enquiry needs the councillor or MP it came through")
    if case.representative is not None:
        dated(["representative", "consent_received"], case.representative.consent_received)
    dated(["complainant", "adjustments_review_on"], c.adjustments_review_on, future_ok=True)

    # Issues and the records of the investigation.
    for i, issue in enumerate(case.issues):
        if issue.finding is not None and not issue.explanation:
            problem(
                ["issues", i, "explanation"],
                f"the finding '{issue.finding.value}' needs an explanation of why",
            )
        if issue.stage2_finding is not None and not issue.stage2_explanation:
            problem(
                ["issues", i, "stage2_explanation"],
                f"the stage 2 finding '{issue.stage2_finding.value}' needs an explanation of why",
            )
        if issue.stage2_finding is not None and case.stage < 2:
            problem(
                ["issues", i, "stage2_finding"],
                f"a stage 2 finding on a case at stage {case.stage}",
            )
        if issue.raised_at_stage > case.stage:
            problem(
                ["issues", i, "raised_at_stage"],
                f"raised at stage {issue.raised_at_stage} on a case at stage {case.stage}",
            )
        dated(["issues", i, "action_completed"], issue.action_completed)
        dated(["issues", i, "action_due"], issue.action_due, future_ok=True)
        for n, note in enumerate(issue.notes):
            if note.at is not None and note.at.date() > today:
                problem(["issues", i, "notes", n, "at"], f"{note.at.isoformat()} is in the future")
    for i, ext in enumerate(case.extensions):
        dated(["extensions", i, "new_date"], ext.new_date, future_ok=True)
        dated(["extensions", i, "complainant_told"], ext.complainant_told)
    for i, suspension in enumerate(case.suspensions):
        dated(["suspensions", i, "start"], suspension.start)
        if suspension.end is not None and suspension.end < suspension.start:
            problem(
                ["suspensions", i, "end"],
                f"{suspension.end.isoformat()} is before the "
                f"suspension started ({suspension.start.isoformat()})",
            )
    for i, interview in enumerate(case.interviews):
        dated(["interviews", i, "held_on"], interview.held_on)
        if interview.accompanied_as and not interview.accompanied_by:
            problem(
                ["interviews", i, "accompanied_by"],
                f"who accompanied the interviewee? accompanied_as is '{interview.accompanied_as}'",
            )
    for i, attempt in enumerate(case.contact_attempts):
        if attempt.at.date() > today:
            problem(["contact_attempts", i, "at"], f"{attempt.at.isoformat()} is in the future")
    return problems


# --------------------------------------------------------------------------------------------
# Into the database
# --------------------------------------------------------------------------------------------


def _status_of(case: CaseIn) -> CaseStatus:
    if case.status is not None:
        return case.status
    if case.closed_on is not None:
        return CaseStatus.CLOSED
    if case.response_sent is not None:
        return CaseStatus.RESPONDED
    return CaseStatus.OPEN


def _build(case: CaseIn, officer: Officer | None, subjects: dict[str, Officer]) -> Case:
    c = case.complainant
    row = Case(
        policy_id=case.policy,
        route=case.route,
        stage=case.stage,
        status=_status_of(case),
        received=case.received,
        channel=case.channel,
        service_area=case.service_area,
        summary=case.summary,
        complaint_subject=subject_words.phrase(case.complaint_subject),
        anonymous=case.anonymous,
        time_limit_waived_by=case.time_limit_waived_by,
        complainant=Complainant(
            name=c.name,
            title=names.title_word(c.title),
            addressed_as=c.addressed_as,
            address=c.address,
            postcode=c.postcode,
            email=c.email,
            phone=c.phone,
            preferred_contact=c.preferred_contact,
            reasonable_adjustments=c.reasonable_adjustments,
            adjustments_public=c.adjustments_public,
            adjustments_review_on=c.adjustments_review_on,
            vulnerabilities=c.vulnerabilities,
        ),
        referrer_name=case.via.name if case.via else "",
        referrer_role=case.via.role if case.via else None,
        referrer_address=case.via.address if case.via else "",
        referrer_title=names.title_word(case.via.title) if case.via else "",
        referrer_addressed_as=case.via.addressed_as if case.via else "",
        officer=officer,
        acknowledged=case.acknowledged,
        response_sent=case.response_sent,
        response_method=case.response_method,
        escalation_requested=case.escalation_requested,
        closed_on=case.closed_on,
        outcome=case.outcome,
        understanding=case.understanding,
        steps_taken=case.steps_taken,
        evidence_considered=case.evidence_considered,
        settlement_terms=case.settlement_terms,
        withdrawn_on=case.withdrawn_on,
        withdrawal_method=case.withdrawal_method,
        escalation_refusal_reasons=case.escalation_refusal_reasons,
        refusal_reasons=case.refusal_reasons,
        refusal_route=case.refusal_route,
    )
    if case.representative is not None:
        r = case.representative
        row.representative = Representative(
            name=r.name,
            title=names.title_word(r.title),
            addressed_as=r.addressed_as,
            relationship_to_complainant=r.relationship,
            address=r.address,
            email=r.email,
            phone=r.phone,
            consent_received=r.consent_received,
        )
    row.subjects = [CaseSubject(name=name, officer=subjects.get(name)) for name in case.subjects]
    row.issues = [
        Issue(
            number=number,
            summary=issue.summary,
            finding=issue.finding,
            explanation=issue.explanation,
            remedy=issue.remedy,
            lesson_learnt=issue.lesson_learnt,
            action=issue.action,
            action_public=issue.action_public,
            action_due=issue.action_due,
            action_completed=issue.action_completed,
            raised_at_stage=issue.raised_at_stage,
            stage2_finding=issue.stage2_finding,
            stage2_explanation=issue.stage2_explanation,
            stage2_remedy=issue.stage2_remedy,
            notes=[
                Note(
                    kind=note.kind,
                    text=note.text,
                    source=note.source,
                    author=note.author,
                    **({"created_at": note.at} if note.at is not None else {}),
                )
                for note in issue.notes
            ],
        )
        for number, issue in enumerate(case.issues, start=1)
    ]
    row.extensions = [
        Extension(
            stage=e.stage,
            new_date=e.new_date,
            reason=e.reason,
            complainant_told=e.complainant_told,
            told_method=e.told_method,
        )
        for e in case.extensions
    ]
    row.suspensions = [
        Suspension(start=s.start, end=s.end, reason=s.reason) for s in case.suspensions
    ]
    row.interviews = [
        Interview(
            interviewee=i.interviewee,
            interviewee_role=i.interviewee_role,
            held_on=i.held_on,
            method=i.method,
            accompanied_by=i.accompanied_by,
            accompanied_as=i.accompanied_as,
            notes=i.notes,
            summary=i.summary,
            summary_read_back=i.summary_read_back,
            further_information_invited=i.further_information_invited,
            further_information=i.further_information,
            recorded_by=i.recorded_by,
        )
        for i in case.interviews
    ]
    row.contact_attempts = [
        ContactAttempt(at=a.at, method=a.method, result=a.result, made_by=a.made_by)
        for a in case.contact_attempts
    ]
    return row


def _extension_to_blame(row: Case, policy: Policy) -> bool:
    """Whether the clock would accept ``row`` but for its extensions."""
    if not row.extensions:
        return False
    without = SimpleNamespace(
        route=row.route,
        stage=row.stage,
        received=row.received,
        acknowledged=row.acknowledged,
        escalation_requested=row.escalation_requested,
        stage_started=row.stage_started,
        suspensions=row.suspensions,
        extensions=[],
    )
    try:
        refresh_clock(without, policy)  # type: ignore[arg-type]
    except UserError:
        return False
    return True


def _keep_counter_ahead(session: Session, references: Iterable[str]) -> None:
    """Move each year's reference counter past imported ``CW-YYYY-NNNNN`` references."""
    highest: dict[int, int] = {}
    for reference in references:
        match = _OWN_REFERENCE.match(reference)
        if match:
            year, number = int(match[1]), int(match[2])
            highest[year] = max(highest.get(year, 0), number)
    for year, number in highest.items():
        counter = session.execute(
            select(Counter).where(Counter.name == f"reference-{year}").with_for_update()
        ).scalar_one_or_none()
        if counter is not None and counter.value < number:
            counter.value = number
        # Without a counter row, next_reference starts from the highest reference in use.


_RECEIPT = frozenset(
    {
        "reference",
        "policy",
        "route",
        "stage",
        "status",
        "received",
        "channel",
        "service_area",
        "summary",
        "complaint_subject",
        "anonymous",
        "time_limit_waived_by",
        "officer",
        "complainant",
        "via",
        "representative",
        "subjects",
        "issues",
    }
)
"""The fields of a case the new-case form records (with ``stage``, ``status`` and ``officer``,
which :func:`import_cases` checks on their own): anything else is work done on the case."""


def _worked(case: CaseIn) -> bool:
    """Whether the file gives ``case`` more than a new complaint as the new-case form records it:
    a status other than open, dates, letters' texts, findings, notes, interviews..."""
    if case.status not in (None, CaseStatus.OPEN):
        return True
    if set(case.model_dump(exclude_defaults=True)) - _RECEIPT:
        return True
    return any(set(issue.model_dump(exclude_defaults=True)) != {"summary"} for issue in case.issues)


def import_cases(ctx: Context, case_file: CaseFile) -> list[str]:
    """Record the cases of a checked file, all or none; their references in file order.

    Each case is authorised first with the new-case form's rule
    (:func:`~caseworker.services.permissions.why_not_record`): every officer records a new
    stage 1 complaint given to nobody; a case that arrives allocated or already worked on
    (:func:`_worked`) is a line manager's to record for their service area, and a later stage a
    complaints manager's. One refused case refuses the file, naming the case and the rule, and
    nothing is saved; so does a :class:`CaseFileError` found while adding (:func:`_add_cases`).
    """
    with ctx.unit() as uow:
        officer = acting_officer(uow)
        for index, case in enumerate(case_file.cases):
            refusal = why_not_record(
                officer,
                service_area=case.service_area,
                stage=case.stage,
                allocated=case.officer is not None,
                worked=_worked(case),
            )
            if refusal is not None:
                where = case_file.path_of(index)
                raise NotPermitted(
                    f"{case_file.source}: {where + ': ' if where else ''}{refusal}; "
                    "nothing was imported"
                )
        references = _add_cases(uow.session, case_file)
        uow.commit()
        return references


def _add_cases(session: Session, case_file: CaseFile) -> list[str]:
    """Add the cases of a checked file to ``session``; return their references in file order.

    Raises :class:`CaseFileError` (naming the case and field) for a reference already in use, an
    officer email no officer has, or dates the policy clock refuses. The caller commits; on an
    error it rolls back, and then nothing of the file is saved.
    """
    problems: list[Problem] = []
    cases = case_file.cases

    def problem(index: int, loc: Sequence[str | int], message: str) -> None:
        problems.append(Problem(format_path(loc, case_file.path_of(index)), message))

    given = [c.reference for c in cases if c.reference]
    taken = (
        set(session.scalars(select(Case.reference).where(Case.reference.in_(given))))
        if given
        else set()
    )
    emails = {c.officer for c in cases if c.officer}
    officers = (
        {
            o.email.lower(): o
            for o in session.scalars(
                select(Officer).where(func.lower(Officer.email).in_([e.lower() for e in emails]))
            )
        }
        if emails
        else {}
    )
    names = {name for c in cases for name in c.subjects}
    by_name: dict[str, Officer] = {}
    if names:
        found: dict[str, list[Officer]] = {}
        for o in session.scalars(select(Officer).where(Officer.name.in_(names))):
            found.setdefault(o.name, []).append(o)
        by_name = {name: rows[0] for name, rows in found.items() if len(rows) == 1}

    rows: list[Case | None] = []
    for index, case in enumerate(cases):
        if case.reference and case.reference in taken:
            problem(
                index,
                ["reference"],
                f"'{case.reference}' is already the reference of a case in this database",
            )
        officer = None
        if case.officer:
            officer = officers.get(case.officer.lower())
            if officer is None:
                problem(index, ["officer"], f"no officer has the email '{case.officer}'")
        row = _build(case, officer, by_name)
        policy = case_file.policies[case.policy]
        try:
            refresh_clock(row, policy)
        except UserError as error:
            problem(index, ["extensions"] if _extension_to_blame(row, policy) else [], str(error))
            rows.append(None)
            continue
        rows.append(row)
    if problems:
        raise CaseFileError(case_file.source, problems)

    # Cases with their own reference first, so that assigned ones never take theirs.
    for case, built in zip(cases, rows, strict=True):
        if case.reference and built is not None:
            built.reference = case.reference
            session.add(built)
    session.flush()
    _keep_counter_ahead(session, given)
    for case, built in zip(cases, rows, strict=True):
        if not case.reference and built is not None:
            built.reference = next_reference(session, case.received.year)
            session.add(built)
    session.flush()
    return [row.reference for row in rows if row is not None]


# --------------------------------------------------------------------------------------------
# Out of the database
# --------------------------------------------------------------------------------------------


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _iso_time(value: dt.datetime) -> str:
    if value.tzinfo is None:  # SQLite keeps no zone: the app stores UTC
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


def _compact(values: dict[str, Any], required: Iterable[str] = ()) -> dict[str, Any]:
    """Drop optional entries that are unset (None, empty text or list, false)."""
    keep = set(required)
    return {
        key: value
        for key, value in values.items()
        if key in keep or value not in (None, "", [], False)
    }


def _value(member: StrEnum | None) -> str | None:
    return member.value if member is not None else None


def case_to_dict(case: Case) -> dict[str, Any]:
    """``case`` in the case file format (the same shape :func:`parse_case_file` reads)."""
    c = case.complainant
    complainant = _compact(
        {
            "name": c.name if c else "",
            "title": c.title if c else "",
            "addressed_as": c.addressed_as if c else "",
            "address": c.address if c else "",
            "email": c.email if c else "",
            "phone": c.phone if c else "",
            "postcode": c.postcode if c else "",
            "preferred_contact": _value(c.preferred_contact) if c else None,
            "reasonable_adjustments": c.reasonable_adjustments if c else "",
            "adjustments_public": c.adjustments_public if c else "",
            "adjustments_review_on": _iso(c.adjustments_review_on) if c else None,
            "vulnerabilities": c.vulnerabilities if c else "",
        },
        required=("name", "address", "email"),
    )
    via = None
    if case.referrer_role is not None or case.referrer_name:
        via = _compact(
            {
                "name": case.referrer_name,
                "role": _value(case.referrer_role),
                "title": case.referrer_title,
                "addressed_as": case.referrer_addressed_as,
                "address": case.referrer_address,
            },
            required=("name", "role"),
        )
    representative = None
    if case.representative is not None:
        r = case.representative
        representative = _compact(
            {
                "name": r.name,
                "title": r.title,
                "addressed_as": r.addressed_as,
                "relationship": r.relationship_to_complainant,
                "address": r.address,
                "email": r.email,
                "phone": r.phone,
                "consent_received": _iso(r.consent_received),
            },
            required=("name",),
        )
    issues = [
        _compact(
            {
                "summary": issue.summary,
                "finding": _value(issue.finding),
                "explanation": issue.explanation,
                "remedy": issue.remedy,
                "lesson_learnt": issue.lesson_learnt,
                "action": issue.action,
                "action_public": issue.action_public,
                "action_due": _iso(issue.action_due),
                "action_completed": _iso(issue.action_completed),
                "raised_at_stage": issue.raised_at_stage if issue.raised_at_stage != 1 else None,
                "stage2_finding": _value(issue.stage2_finding),
                "stage2_explanation": issue.stage2_explanation,
                "stage2_remedy": issue.stage2_remedy,
                "notes": [
                    _compact(
                        {
                            "kind": note.kind.value,
                            "text": note.text,
                            "author": note.author,
                            "source": note.source,
                            "at": _iso_time(note.created_at),
                        },
                        required=("kind", "text", "author"),
                    )
                    for note in sorted(issue.notes, key=lambda n: (n.created_at, n.id))
                    if note.withdrawn_at is None
                ],
            },
            required=("summary",),
        )
        for issue in case.issues
    ]
    return _compact(
        {
            "reference": case.reference,
            "policy": case.policy_id,
            "route": case.route.value,
            "stage": case.stage,
            "status": case.status.value,
            "received": case.received.isoformat(),
            "channel": case.channel.value,
            "service_area": case.service_area,
            "summary": case.summary,
            "complaint_subject": case.complaint_subject,
            "anonymous": case.anonymous,
            "time_limit_waived_by": case.time_limit_waived_by,
            "officer": case.officer.email if case.officer else None,
            "complainant": complainant,
            "via": via,
            "representative": representative,
            "subjects": [subject.name for subject in case.subjects],
            "issues": issues,
            "acknowledged": _iso(case.acknowledged),
            "response_sent": _iso(case.response_sent),
            "response_method": _value(case.response_method),
            # The format's date is when the complainant asked for the *current* stage (its clock
            # starts then), not a later request for the stage after.
            "escalation_requested": _iso(
                case.stage_started
                if case.stage > 1 and case.stage_started
                else case.escalation_requested
            ),
            "closed_on": _iso(case.closed_on),
            "outcome": _value(case.outcome),
            "understanding": case.understanding,
            "steps_taken": case.steps_taken,
            "evidence_considered": case.evidence_considered,
            "settlement_terms": case.settlement_terms,
            "withdrawn_on": _iso(case.withdrawn_on),
            "withdrawal_method": _value(case.withdrawal_method),
            "escalation_refusal_reasons": case.escalation_refusal_reasons,
            "refusal_reasons": case.refusal_reasons,
            "refusal_route": case.refusal_route,
            "extensions": [
                _compact(
                    {
                        "stage": e.stage,
                        "new_date": e.new_date.isoformat(),
                        "reason": e.reason,
                        "complainant_told": _iso(e.complainant_told),
                        "told_method": _value(e.told_method),
                    },
                    required=("stage", "new_date", "reason"),
                )
                for e in case.extensions
            ],
            "suspensions": [
                _compact(
                    {"start": s.start.isoformat(), "end": _iso(s.end), "reason": s.reason},
                    required=("start", "reason"),
                )
                for s in case.suspensions
            ],
            "interviews": [
                _compact(
                    {
                        "interviewee": i.interviewee,
                        "interviewee_role": i.interviewee_role,
                        "held_on": i.held_on.isoformat(),
                        "method": i.method.value,
                        "accompanied_by": i.accompanied_by,
                        "accompanied_as": i.accompanied_as,
                        "notes": i.notes,
                        "summary": i.summary,
                        "summary_read_back": i.summary_read_back,
                        "further_information_invited": i.further_information_invited,
                        "further_information": i.further_information,
                        "recorded_by": i.recorded_by,
                    },
                    required=("interviewee", "held_on", "method"),
                )
                for i in sorted(case.interviews, key=lambda i: (i.held_on, i.id))
            ],
            "contact_attempts": [
                _compact(
                    {
                        "at": _iso_time(a.at),
                        "method": a.method.value,
                        "result": a.result,
                        "made_by": a.made_by,
                    },
                    required=("at", "method"),
                )
                for a in sorted(case.contact_attempts, key=lambda a: (a.at, a.id))
            ],
        },
        required=(
            "policy",
            "route",
            "stage",
            "received",
            "channel",
            "service_area",
            "complainant",
            "issues",
        ),
    )


def load_cases(session: Session, references: Sequence[str]) -> list[Case]:
    """The cases with ``references``, in that order; :class:`UserError` naming any unknown."""
    found = {
        case.reference: case
        for case in session.scalars(
            select(Case)
            .where(Case.reference.in_(references))
            .options(
                selectinload(Case.complainant),
                selectinload(Case.officer),
                selectinload(Case.representative),
                selectinload(Case.subjects),
                selectinload(Case.issues).selectinload(Issue.notes),
                selectinload(Case.extensions),
                selectinload(Case.suspensions),
                selectinload(Case.interviews),
                selectinload(Case.contact_attempts),
            )
        )
    }
    missing = [ref for ref in references if ref not in found]
    if missing:
        raise UserError(
            ("no case has the reference " if len(missing) == 1 else "no cases have the references ")
            + ", ".join(missing)
        )
    return [found[ref] for ref in references]


def export_cases(ctx: Context, references: Sequence[str]) -> dict[str, Any]:
    """One case as a case object, several as ``{"cases": [...]}``, in the order asked for.

    Only cases the acting officer may see (:data:`Action.VIEW`): a case they may not refuses the
    whole export, naming the case and the rule.
    """
    with ctx.unit() as uow:
        officer = acting_officer(uow)
        rows = load_cases(uow.session, references)
        for row in rows:
            check(officer, Action.VIEW, row)
        cases = [case_to_dict(row) for row in rows]
    return cases[0] if len(cases) == 1 else {"cases": cases}


def dumps(data: Any) -> str:
    """JSON text as Caseworker writes case files: UTF-8, two-space indent, newline at the end."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


__all__ = [
    "CaseFile",
    "CaseFileError",
    "CaseIn",
    "Problem",
    "case_to_dict",
    "clean_line",
    "clean_text",
    "dumps",
    "export_cases",
    "import_cases",
    "load_cases",
    "parse_case_file",
    "read_case_file",
]

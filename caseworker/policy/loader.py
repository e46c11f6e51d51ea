"""Load council policy files (``policies/<id>.toml``) and say exactly what is wrong with a bad one.

A policy file is TOML validated against :class:`caseworker.policy.schema.Policy`. Every problem —
a TOML syntax error, an unknown key, a wrong type, a missing value, an impossible number, a
``next_contact`` that names no contact — becomes a :class:`PolicyProblem` naming the file, the
dotted key (``routes[0].stages[1].respond_days``) and the line, and all of a file's problems are
raised together as one :class:`PolicyError`.

Policies come from the folder bundled with the program (:func:`bundled_policy_dir`) and from any
extra folders a council keeps its own files in, by default ``policies/`` in the data folder
(:func:`user_policy_dir`); a file in an extra folder replaces the bundled one with the same id
(:func:`load_policies`).
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from caseworker.domain.enums import RouteId, SendMethod
from caseworker.errors import UserError
from caseworker.policy.files import bundled_policy_dir, user_policy_dir
from caseworker.policy.schema import Policy

Loc = tuple[str | int, ...]
"""Where a value sits in a policy: table names, array indices and keys, from the top."""


@dataclass(frozen=True)
class PolicyProblem:
    """One thing wrong with one policy file."""

    path: Path
    message: str
    key: str | None = None
    """The dotted key, e.g. ``routes[0].stages[1].respond_days``; None for the file as a whole."""
    line: int | None = None
    """1-based line in the file; None where no line can be given."""

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f", line {self.line}"
        if self.key:
            where += f", key {self.key}"
        return f"{where}: {self.message}"


class PolicyError(UserError):
    """A policy file (or folder of them) that cannot be used. ``str()`` lists every problem, one
    per line, each located: ``policies/x.toml, line 42, key routes[0].respond_days: ...``.

    ``path``, ``key``, ``line`` and ``message`` are those of the first problem; ``problems`` holds
    them all.
    """

    def __init__(self, problems: Iterable[PolicyProblem]) -> None:
        self.problems = tuple(problems)
        if not self.problems:
            raise ValueError("a PolicyError needs at least one problem")
        super().__init__("\n".join(str(problem) for problem in self.problems))

    @classmethod
    def at(
        cls, path: Path | str, message: str, *, key: str | None = None, line: int | None = None
    ) -> PolicyError:
        return cls([PolicyProblem(Path(path), message, key, line)])

    @property
    def path(self) -> Path:
        return self.problems[0].path

    @property
    def key(self) -> str | None:
        return self.problems[0].key

    @property
    def line(self) -> int | None:
        return self.problems[0].line

    @property
    def message(self) -> str:
        return self.problems[0].message


# --------------------------------------------------------------------------------------------
# Loading


def load_policy_file(path: Path | str) -> Policy:
    """Read and validate one policy file; raise :class:`PolicyError` listing every problem."""
    return _load(Path(path))[0]


def load_policies(extra_dirs: Iterable[Path | str] = ()) -> dict[str, Policy]:
    """Every policy, by id: the bundled ones, then each extra folder's in turn.

    A file in a later folder replaces an earlier one with the same id (a council's own copy of its
    policy). Within one folder, two files with the same id, or a file whose name is not
    ``<id>.toml``, are errors. Extra folders that do not exist are skipped: a council's own folder
    is optional. Problems in every file are gathered and raised as one :class:`PolicyError`.
    """
    policies: dict[str, Policy] = {}
    sources: dict[str, Path] = {}
    problems: list[PolicyProblem] = []
    for folder in (bundled_policy_dir(), *(Path(d) for d in extra_dirs)):
        if not folder.is_dir():
            continue
        seen: dict[str, Path] = {}
        for path in sorted(folder.glob("*.toml")):
            try:
                policy, lines = _load(path)
            except PolicyError as error:
                problems.extend(error.problems)
                continue
            if policy.id in seen:
                problems.append(
                    PolicyProblem(
                        path,
                        f"id '{policy.id}' is already used by {seen[policy.id].name} in "
                        "the same folder",
                        "id",
                        lines.line_of(("id",)),
                    )
                )
                continue
            seen[policy.id] = path
            if path.stem != policy.id:
                problems.append(
                    PolicyProblem(
                        path,
                        f"the file name must match the id: rename it to {policy.id}.toml "
                        f'(or set id = "{path.stem}")',
                        "id",
                        lines.line_of(("id",)),
                    )
                )
                continue
            policies[policy.id] = policy
            sources[policy.id] = path
    baselines = sorted(pid for pid, policy in policies.items() if policy.baseline)
    if len(baselines) > 1:
        for pid in baselines:
            others = ", ".join(other for other in baselines if other != pid)
            problems.append(
                PolicyProblem(
                    sources[pid],
                    f"only one policy may be the baseline; {others} is one too",
                    "baseline",
                )
            )
    if problems:
        raise PolicyError(problems)
    return policies


@functools.cache
def _cached_policies(extra_dirs: tuple[Path, ...]) -> dict[str, Policy]:
    return load_policies(extra_dirs)


def get_policy(policy_id: str, extra_dirs: Iterable[Path | str] | None = None) -> Policy:
    """The policy with this id, from the bundled policies and ``extra_dirs`` (by default the
    council's own folder, :func:`user_policy_dir`). Cached: each set of folders is read once per
    process; :func:`clear_policy_cache` forgets them."""
    folders = (user_policy_dir(),) if extra_dirs is None else tuple(Path(d) for d in extra_dirs)
    policies = _cached_policies(folders)
    try:
        return policies[policy_id]
    except KeyError:
        raise UserError(
            f"unknown policy '{policy_id}'; known policies: " + ", ".join(sorted(policies))
        ) from None


def installed_policies() -> dict[str, Policy]:
    """Every policy :func:`get_policy` finds by default (the bundled ones and the council's own
    folder's), by id; cached as it is."""
    return _cached_policies((user_policy_dir(),))


def clear_policy_cache() -> None:
    """Forget the cached policies, so that the next :func:`get_policy` reads the files again."""
    _cached_policies.cache_clear()


def _load(path: Path) -> tuple[Policy, _LineIndex]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError.at(path, "no such file") from None
    except UnicodeDecodeError as error:
        raise PolicyError.at(path, f"not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise PolicyError.at(path, f"cannot be read ({error.strerror})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message, line = _split_toml_error(str(error), text)
        raise PolicyError.at(path, f"not valid TOML: {message}", line=line) from None
    lines = _LineIndex(text)
    try:
        return Policy.model_validate(data), lines
    except ValidationError as error:
        located = _describe(error, data)
    problems = [
        PolicyProblem(path, message, _dotted(loc) or None, lines.line_of(loc))
        for loc, message in located
    ]
    problems.sort(key=lambda problem: problem.line or 0)
    raise PolicyError(problems)


def _split_toml_error(message: str, text: str) -> tuple[str, int | None]:
    """tomllib puts the place at the end of its message: '... (at line 3, column 7)'."""
    match = re.search(r"\s*\(at line (\d+), column \d+\)$", message)
    if match:
        return message[: match.start()], int(match.group(1))
    match = re.search(r"\s*\(at end of document\)$", message)
    if match:
        return message[: match.start()] + " at the end of the file", text.count("\n") + 1
    return message, None


# --------------------------------------------------------------------------------------------
# Turning pydantic's errors into located messages


def _describe(error: ValidationError, data: Mapping[str, Any]) -> list[tuple[Loc, str]]:
    references = _check_references(data)
    located: list[tuple[Loc, str]] = []
    for item in error.errors(include_url=False):
        loc: Loc = tuple(item["loc"])
        if not loc and item["type"] == "value_error" and references:
            # The Policy's own cross-reference check, which stops at its first finding and cannot
            # say where; _check_references has found the same things with their keys.
            continue
        located.append((loc, _message(item, loc)))
    return located + references


def _message(item: Mapping[str, Any], loc: Loc) -> str:
    kind: str = item["type"]
    ctx: Mapping[str, Any] = item.get("ctx") or {}
    value = item.get("input")
    if kind == "missing":
        if len(loc) == 1:
            return f"missing: the file needs '{loc[0]}'"
        return f"missing: this table needs '{loc[-1]}'" if loc else "missing"
    if kind == "extra_forbidden":
        known = _keys_at(loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1]), known, n=1) if known else []
        hint = (
            f"; did you mean '{guess[0]}'?"
            if guess
            else (f"; allowed here: {', '.join(known)}" if known else "")
        )
        return f"unknown key '{loc[-1]}'{hint}"
    if kind in _EXPECTED:
        return f"must be {_EXPECTED[kind]} (got {_show(value)})"
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        return f"must be at most {bound} (got {_show(value)})"
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return f"must be at least {bound} (got {_show(value)})"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s) (got {ctx.get('actual_length')})"
    if kind == "too_long":
        return f"may have at most {ctx.get('max_length')} items (got {ctx.get('actual_length')})"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        return f"must be lowercase letters, digits and hyphens only (got {_show(value)})"
    if kind in ("literal_error", "enum"):
        return f"must be {ctx.get('expected')} (got {_show(value)})"
    if kind == "value_error":
        return str(item["msg"]).removeprefix("Value error, ")
    return f"{item['msg']} (got {_show(value)})"


_EXPECTED = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "string_type": "text in quotes",
    "bool_type": "true or false",
    "list_type": "an array [...]",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "date_type": "a date such as 2026-12-29",
}


def _show(value: Any) -> str:
    """A value as it would be written in TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return str(value)


def _dotted(loc: Loc) -> str:
    """``('routes', 0, 'stages', 1, 'respond_days')`` -> ``routes[0].stages[1].respond_days``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = part if _BARE_KEY.fullmatch(part) else f'"{part}"'
            out += f".{name}" if out else name
    return out


def _keys_at(loc: Loc) -> list[str]:
    """The keys the schema allows in the table at ``loc``; empty where that is not a model."""
    kind: Any = Policy
    for part in loc:
        kind = _unwrap(kind)
        if isinstance(kind, type) and issubclass(kind, BaseModel) and isinstance(part, str):
            field = kind.model_fields.get(part)
            if field is None:
                return []
            kind = field.annotation
        elif get_origin(kind) in (list, dict) and get_args(kind):
            kind = get_args(kind)[-1]
        else:
            return []
    kind = _unwrap(kind)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return list(kind.model_fields)
    return []


def _unwrap(kind: Any) -> Any:
    """``Annotated[X, ...]`` and ``X | None`` -> ``X``."""
    while True:
        origin = get_origin(kind)
        if origin is Annotated:
            kind = get_args(kind)[0]
        elif origin in (Union, types.UnionType):
            args = [arg for arg in get_args(kind) if arg is not type(None)]
            if len(args) != 1:
                return kind
            kind = args[0]
        else:
            return kind


def _check_references(data: Mapping[str, Any]) -> list[tuple[Loc, str]]:
    """The cross-reference rules of :class:`Policy`, checked on the raw file so that each finding
    has a key: next_contact and ombudsman name a contact, route ids are unique, deemed_receipt
    covers every sending method, and an enquiry route exists where member enquiries need one."""
    found: list[tuple[Loc, str]] = []
    contacts = data.get("contacts")
    names = sorted(contacts) if isinstance(contacts, Mapping) else None

    def refer(loc: Loc, value: Any) -> None:
        if names is not None and isinstance(value, str) and value not in names:
            found.append(
                (
                    loc,
                    f"'{value}' is not in [contacts]; add [contacts.{value}] or use "
                    f"one of: {', '.join(names) or '(none)'}",
                )
            )

    rules = data.get("rules")
    referral = rules.get("referral") if isinstance(rules, Mapping) else None
    if isinstance(referral, Mapping):
        refer(("rules", "referral", "to"), referral.get("to"))
    routes = data.get("routes")
    route_ids: list[Any] = []
    if isinstance(routes, list):
        for i, route in enumerate(routes):
            if not isinstance(route, Mapping):
                continue
            if "id" in route:
                if route["id"] in route_ids:
                    found.append((("routes", i, "id"), f"route '{route['id']}' is listed twice"))
                route_ids.append(route["id"])
            refer(("routes", i, "ombudsman"), route.get("ombudsman"))
            stages = route.get("stages")
            if isinstance(stages, list):
                for j, stage in enumerate(stages):
                    if isinstance(stage, Mapping):
                        refer(("routes", i, "stages", j, "next_contact"), stage.get("next_contact"))
    receipts = data.get("deemed_receipt")
    if isinstance(receipts, list):
        named = [rule.get("method") for rule in receipts if isinstance(rule, Mapping)]
        methods = {method for method in named if isinstance(method, str)}
        missing = [method.value for method in SendMethod if method.value not in methods]
        # A method that is not text (``method = {}``) has its own message; what it leaves
        # uncovered is only said once it is one.
        if missing and len(methods) == len(named):
            found.append(
                (
                    ("deemed_receipt",),
                    "must cover every sending method; missing " + ", ".join(missing),
                )
            )
    members = data.get("member_enquiries")
    if (
        isinstance(members, Mapping)
        and members.get("handling") == "enquiry-route"
        and isinstance(routes, list)
        and RouteId.MEMBER_ENQUIRY.value not in route_ids
    ):
        found.append(
            (
                ("member_enquiries", "handling"),
                "is 'enquiry-route' but no route has id 'member-enquiry'",
            )
        )
    return found


# --------------------------------------------------------------------------------------------
# Finding the line of a key


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^,\]}\n#]+")  # a number, boolean or date: up to the next delimiter


class _LineIndex:
    """The line on which each table, array element and key of a TOML text is defined.

    A small scanner of TOML's structure (it does not parse values; the text has already been
    parsed by tomllib): ``[table]`` and ``[[array.of.tables]]`` headers with their indices, dotted
    and quoted keys, inline tables and arrays, which may span lines, and strings of every kind.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.lineno = 1
        self.lines: dict[Loc, int] = {}
        self._arrays: dict[Loc, int] = {}  # array of tables -> index of its last element
        self._scanned = False

    def _scan(self) -> None:
        # Only when a line is asked for, which is when a file has a problem to report: the
        # scan is most of the time it takes to load a valid file (about 8 ms a file).
        self._scanned = True
        try:
            self._document()
        except (IndexError, ValueError):  # pragma: no cover - the text is valid TOML
            pass

    def line_of(self, loc: Loc) -> int | None:
        """The line of ``loc``, else of the nearest table or array holding it (where a missing
        key would go); None for the top level of the file."""
        if not self._scanned:
            self._scan()
        for end in range(len(loc), 0, -1):
            line = self.lines.get(loc[:end])
            if line is not None:
                return line
        return None

    # -- the scanner --------------------------------------------------------------------------

    def _peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def _advance(self, n: int = 1) -> None:
        self.lineno += self.text.count("\n", self.pos, self.pos + n)
        self.pos += n

    def _skip(self, newlines: bool) -> None:
        """Skip blanks and comments (and newlines, if allowed)."""
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char in " \t\r" or (newlines and char == "\n"):
                self._advance()
            elif char == "#":
                end = self.text.find("\n", self.pos)
                self._advance((len(self.text) if end < 0 else end) - self.pos)
            else:
                return

    def _need_more(self) -> None:
        if self.pos >= len(self.text):
            raise ValueError("unexpected end of text")

    def _record(self, loc: Loc, line: int) -> None:
        self.lines.setdefault(loc, line)

    def _document(self) -> None:
        table: Loc = ()
        while True:
            self._skip(newlines=True)
            if self.pos >= len(self.text):
                return
            if self._peek() == "[":
                table = self._header()
            else:
                self._key_value(table)

    def _header(self) -> Loc:
        line = self.lineno
        array = self._peek(2) == "[["
        self._advance(2 if array else 1)
        parts = self._key()
        self._advance(2 if array else 1)  # ] or ]]
        path: Loc = ()
        for part in parts[:-1]:
            path += (part,)
            self._record(path, line)
            if path in self._arrays:
                path += (self._arrays[path],)
        path += (parts[-1],)
        self._record(path, line)
        if array:
            self._arrays[path] = self._arrays.get(path, -1) + 1
            path += (self._arrays[path],)
        self.lines[path] = line
        return path

    def _key(self) -> list[str]:
        parts: list[str] = []
        while True:
            self._skip(newlines=False)
            char = self._peek()
            if char == '"':
                parts.append(self._basic_string())
            elif char == "'":
                end = self.text.index("'", self.pos + 1)
                parts.append(self.text[self.pos + 1 : end])
                self._advance(end + 1 - self.pos)
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                if match is None:
                    raise ValueError(f"no key at {self.pos}")
                parts.append(match.group())
                self._advance(match.end() - self.pos)
            self._skip(newlines=False)
            if self._peek() != ".":
                return parts
            self._advance()

    def _basic_string(self) -> str:
        """A one-line "..." string at pos; returns its text with escapes left as written."""
        start = self.pos + 1
        self._advance()
        while self._peek() != '"':
            self._need_more()
            self._advance(2 if self._peek() == "\\" else 1)
        self._advance()
        return self.text[start : self.pos - 1]

    def _key_value(self, table: Loc) -> None:
        line = self.lineno
        parts = self._key()
        loc = table
        for part in parts:
            loc += (part,)
            self._record(loc, line)
        self._advance()  # =
        self._value(loc)

    def _value(self, loc: Loc) -> None:
        self._skip(newlines=False)
        char = self._peek()
        if self._peek(3) in ('"""', "'''"):
            quote = self._peek(3)
            self._advance(3)
            while self._peek(3) != quote:
                self._need_more()
                self._advance(2 if quote == '"""' and self._peek() == "\\" else 1)
            self._advance(3)
            while self._peek() == quote[0]:  # up to two quotes may end the content
                self._advance()
        elif char == '"':
            self._basic_string()
        elif char == "'":
            self._advance(self.text.index("'", self.pos + 1) + 1 - self.pos)
        elif char == "[":
            self._advance()
            index = 0
            while True:
                self._skip(newlines=True)
                if self._peek() == "]":
                    self._advance()
                    return
                self._record(loc + (index,), self.lineno)
                self._value(loc + (index,))
                self._skip(newlines=True)
                if self._peek() == ",":
                    self._advance()
                    index += 1
                elif self._peek() != "]":
                    raise ValueError(f"unexpected {self._peek()!r} in an array")
        elif char == "{":
            self._advance()
            while True:
                self._skip(newlines=True)
                if self._peek() == "}":
                    self._advance()
                    return
                self._key_value(loc)
                self._skip(newlines=True)
                if self._peek() == ",":
                    self._advance()
                elif self._peek() != "}":
                    raise ValueError(f"unexpected {self._peek()!r} in an inline table")
        else:
            match = _SCALAR.match(self.text, self.pos)
            if match is None or not match.group():
                raise ValueError(f"no value at {self.pos}")
            self._advance(match.end() - self.pos)


__all__ = [
    "PolicyError",
    "PolicyProblem",
    "bundled_policy_dir",
    "clear_policy_cache",
    "get_policy",
    "load_policies",
    "load_policy_file",
    "user_policy_dir",
]

"""Caseworker never phones home: no update check, no telemetry, no downloads. The only connection
it makes is to the database it is given (psycopg, to a team's PostgreSQL server) and, where
the council names one in ``mail.toml``, to its own mail server to send a letter by email. This
test keeps that true of the code, as docs/windows-install.md tells a council's IT: nothing in
``caseworker/`` or ``ui/`` (but that one module) imports a module that talks to the network, and
``socket`` is used for the machine's name only."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

NETWORK_MODULES = (
    "urllib.request",
    "urllib3",
    "http.client",
    "http.server",
    "requests",
    "httpx",
    "aiohttp",
    "ftplib",
    "smtplib",
    "imaplib",
    "poplib",
    "xmlrpc",
    "webbrowser",
    "ssl",
    "PySide6.QtNetwork",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
)
SOCKET_USES = {"gethostname"}
MAIL_SERVER = {
    "caseworker/services/evidence/outbox.py": {"smtplib", "ssl"},
}
"""The one other connection: a letter sent by email through the council's own mail server,
only when ``mail.toml`` in the data folder names one (issue 22). Nothing else may import these."""


def imported(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_no_module_of_the_program_talks_to_the_network() -> None:
    files = sorted((ROOT / "caseworker").rglob("*.py")) + sorted((ROOT / "ui").rglob("*.py"))
    assert len(files) > 100
    found: list[str] = []
    for path in files:
        tree = ast.parse(path.read_text("utf-8"), str(path))
        where = path.relative_to(ROOT)
        for name in imported(tree):
            if name in MAIL_SERVER.get(where.as_posix(), set()):
                continue
            if any(name == bad or name.startswith(bad + ".") for bad in NETWORK_MODULES):
                found.append(f"{where} imports {name}")
            if name.startswith("socket.") and name.removeprefix("socket.") not in SOCKET_USES:
                found.append(f"{where} imports {name}")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "socket"
                and node.attr not in SOCKET_USES
            ):
                found.append(f"{where} uses socket.{node.attr}")
    assert found == []

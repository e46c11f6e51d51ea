"""Turning a letter into PDF with LibreOffice, where it is installed.

LibreOffice runs headless with a profile folder of its own for each conversion, so a copy of
LibreOffice the officer already has open (or a second conversion at the same time) does not stop
it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from caseworker.errors import UserError

_KNOWN_PLACES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)


class NoLibreOffice(UserError):
    """LibreOffice is not installed where we can find it."""


def find_soffice() -> str | None:
    """The LibreOffice program: ``$CASEWORKER_SOFFICE``, else on the PATH, else where the
    Windows and macOS installers put it."""
    override = os.environ.get("CASEWORKER_SOFFICE")
    if override:
        return override if Path(override).exists() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((place for place in _KNOWN_PLACES if Path(place).exists()), None)


def convert_to_pdf(docx: Path, outdir: Path | None = None, *, timeout: float = 180) -> Path:
    """Write ``docx`` as a PDF beside it (or in ``outdir``) and return the PDF's path."""
    docx = Path(docx).resolve()
    return convert_all_to_pdf([docx], outdir or docx.parent, timeout=timeout)[0]


def convert_all_to_pdf(documents: list[Path], outdir: Path, *, timeout: float = 180) -> list[Path]:
    """Write each of ``documents`` as a PDF in ``outdir`` with one start of LibreOffice (which
    takes a second or two each time), and return the PDFs' paths in the same order. ``timeout``
    is allowed for each document. A PDF of the same name already in ``outdir`` is replaced:
    removed first, so that one LibreOffice could not write is never taken for the new one."""
    if not documents:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise NoLibreOffice(
            "LibreOffice is not installed, so no PDF was made. Install LibreOffice (it provides "
            "'soffice'), or open the .docx in Word and save it as PDF."
        )
    documents = [Path(document).resolve() for document in documents]
    stems = [document.stem for document in documents]
    if len(set(stems)) < len(stems):
        twice = next(stem for stem in stems if stems.count(stem) > 1)
        raise UserError(f"two documents would both become {twice}.pdf; no PDF was made")
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    pdfs = [outdir / f"{stem}.pdf" for stem in stems]
    for pdf in pdfs:
        pdf.unlink(missing_ok=True)
    named = documents[0].name if len(documents) == 1 else f"{len(documents)} documents"
    allowed = timeout * len(documents)
    with tempfile.TemporaryDirectory(prefix="caseworker-lo-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, documents),
        ]
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=allowed, check=False
            )
        except subprocess.TimeoutExpired:
            raise UserError(
                f"LibreOffice took more than {allowed:.0f} seconds to convert {named}; "
                "no PDF was made"
            ) from None
    for document, pdf in zip(documents, pdfs, strict=True):
        if result.returncode != 0 or not pdf.exists():
            detail = (result.stderr or result.stdout).strip().splitlines()
            raise UserError(
                f"LibreOffice could not convert {document.name} to PDF"
                + (f": {detail[-1]}" if detail else "")
            )
    return pdfs

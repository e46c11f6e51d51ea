"""Write the example letters in ``docs/letters/``: each kind as .docx and as a PNG of its pages.

    python tools/make_example_letters.py [OUT_DIR] [--resolution 50]

Needs LibreOffice (``soffice``) and poppler (``pdftoppm``) for the PNGs; a letter's pages are put
side by side in one PNG here, with no imaging library. The cases are the invented ones in
:mod:`caseworker.letters.examples`, so the letters are the same every time.
"""

from __future__ import annotations

import argparse
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from caseworker.letters.builder import build_draft  # noqa: E402
from caseworker.letters.checks import check_letter  # noqa: E402
from caseworker.letters.examples import EXAMPLES  # noqa: E402
from caseworker.letters.pdf import convert_to_pdf  # noqa: E402
from caseworker.letters.plain import plain_english  # noqa: E402
from caseworker.letters.render import render_letter  # noqa: E402
from caseworker.policy.loader import get_policy  # noqa: E402


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "docs" / "letters")
    parser.add_argument("--resolution", type=int, default=50)
    parser.add_argument("--keep-pdf", action="store_true")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for number, example in enumerate(EXAMPLES, start=1):
        stem = f"{number:02d}-{example.name}"
        case = example.case()
        policy = get_policy(example.policy_id)
        draft = build_draft(case, policy, example.kind, date=example.date)
        docx = args.out / f"{stem}.docx"
        docx.write_bytes(render_letter(draft))
        gaps = check_letter(draft, case, policy)
        plain = plain_english(draft)
        _png(docx, args.out / f"{stem}.png", args.resolution, args.keep_pdf)
        rows.append((stem, example.title, draft, gaps, plain))
        print(f"wrote {docx.name}")
    _index(args.out / "README.md", rows)
    return 0


def _png(docx: Path, png: Path, resolution: int, keep_pdf: bool) -> None:
    """The letter's pages side by side in one PNG (pdftoppm's PPM output, joined here)."""
    if not shutil.which("pdftoppm"):
        print("pdftoppm is not installed: no PNG", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as folder:
        pdf = convert_to_pdf(docx, Path(folder))
        if keep_pdf:
            shutil.copy(pdf, png.with_suffix(".pdf"))
        prefix = Path(folder) / "page"
        subprocess.run(["pdftoppm", "-r", str(resolution), str(pdf), str(prefix)], check=True)
        pages = [_read_ppm(page) for page in sorted(Path(folder).glob("page*.ppm"))]
        png.write_bytes(_encode_png(*_side_by_side(pages)))


def _read_ppm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:  # magic, width, height, maximum value
        while data[position : position + 1].isspace():
            position += 1
        end = position
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    assert fields[0] == b"P6" and fields[3] == b"255", "pdftoppm writes 8-bit binary PPM"
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[position + 1 : position + 1 + width * height * 3]


def _side_by_side(pages: list[tuple[int, int, bytes]], gap: int = 8) -> tuple[int, int, bytes]:
    height = max(h for _, h, _ in pages)
    width = sum(w for w, _, _ in pages) + gap * (len(pages) - 1)
    grey = bytes((0x88, 0x88, 0x88))
    rows = []
    for y in range(height):
        row = bytearray()
        for index, (w, h, pixels) in enumerate(pages):
            if index:
                row += grey * gap
            row += pixels[y * w * 3 : (y + 1) * w * 3] if y < h else grey * w
        rows.append(bytes(row))
    return width, height, b"".join(rows)


def _encode_png(width: int, height: int, pixels: bytes) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    stride = width * 3
    raw = b"".join(b"\x00" + pixels[y * stride : (y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _index(path: Path, rows: list) -> None:  # noqa: ANN001
    lines = [
        "# Example letters",
        "",
        "Made by `python tools/make_example_letters.py` from the invented cases in",
        "`caseworker/letters/examples.py`, with the bundled templates",
        "`letter_templates/letter.docx` and `member-reply.docx`, in the words of the shared",
        "phrase book `letter_templates/phrases.txt`. Each letter is here as the Word file an",
        "officer would send and as a picture of its pages (LibreOffice's rendering). The",
        "compliance check finds nothing missing in any of them, except the unfinished set-up of",
        "the Information Governance policy, which ships with a placeholder for the council's",
        "name; the reading ease is the Flesch score of the letter's own words. The",
        "acknowledgement is in large print, as its complainant asked.",
        "",
        "| Letter | Kind | To | Reading ease | Check |",
        "| --- | --- | --- | --- | --- |",
    ]
    for stem, title, draft, gaps, plain in rows:
        check = "complete" if not gaps else "; ".join(str(gap) for gap in gaps)
        score = f"{plain.score:.0f}" if plain.score is not None else "-"
        lines.append(
            f"| [{title}]({stem}.docx) ([picture]({stem}.png)) | {draft.kind.value} | "
            f"{draft.addressee.recipient.value} | {score} | {check} |"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

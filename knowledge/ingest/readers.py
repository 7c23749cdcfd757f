"""The text of a plan as provinces publish it: plain text or Markdown, Word (.docx) or PDF with
a text layer. Tables become one line per row, cells joined by " | ", so a target written in a
table reads as it would in a sentence."""

from __future__ import annotations

import unicodedata
from pathlib import Path

TEXT_SUFFIXES = (".txt", ".md")
SUFFIXES = (*TEXT_SUFFIXES, ".docx", ".pdf")


class UnreadableDocument(ValueError):
    """A file that is not a plan's text (wrong type, no text layer, damaged)."""


def read_document(path: Path) -> str:
    """The document's text, NFC-normalised (Word and PDF often decompose Vietnamese letters)."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        text = path.read_text(encoding="utf-8-sig")
    elif suffix == ".docx":
        text = _docx_text(path)
    elif suffix == ".pdf":
        text = _pdf_text(path)
    else:
        raise UnreadableDocument(f"{path.name}: not one of {', '.join(SUFFIXES)}")
    if not text.strip():
        raise UnreadableDocument(f"{path.name}: no text found (a scanned PDF needs OCR first)")
    return unicodedata.normalize("NFC", text)


def _docx_text(path: Path) -> str:
    """Paragraphs and tables in document order."""
    from docx import Document  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(str(path))
    except Exception as exc:  # noqa: BLE001 - any damage: say which file
        raise UnreadableDocument(f"{path.name}: not a readable .docx ({exc})") from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.extend(_table_lines(block))
    return "\n".join(lines)


def _table_lines(table: object) -> list[str]:
    rows = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[str] = []
        seen: list[object] = []
        for cell in row.cells:
            if any(cell._tc is other for other in seen):  # a merged cell, listed again
                continue
            seen.append(cell._tc)
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append("| " + " | ".join(cells) + " |")
    return rows




def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError) as exc:
        raise UnreadableDocument(f"{path.name}: not a readable PDF ({exc})") from None
    return "\n".join(pages)

"""Reading a PDF back for the tests: text lines with their positions (pypdf), and the skip rule."""

import io
import os

import pytest
from pypdf import PdfReader

from articles.export import pdf

MM = 72 / 25.4


def need_soffice():
    """Skip without LibreOffice, except under CI (``CI`` set), which must run these tests."""
    if pdf.soffice() is None:
        reason = "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
        if os.environ.get("CI"):
            pytest.fail(f"CI requires the PDF tests: {reason}")
        pytest.skip(reason)


def pages(data):
    """Each page as ``(width, height, [(x, baseline y, font size, text)])`` in points."""
    reader = PdfReader(io.BytesIO(data))
    result = []
    for page in reader.pages:
        items = []

        def visit(text, cm, tm, font, size, items=items):
            if text.strip():
                scale = cm[3] or 1
                items.append((tm[4] * cm[0] + cm[4], tm[5] * scale + cm[5], size * (tm[3] or 1) * scale, text))

        page.extract_text(visitor_text=visit)
        result.append((float(page.mediabox.width), float(page.mediabox.height), items))
    return result


def lines(items, size=16):
    """Text lines of one font size, top to bottom: ``[(y, x of the first text, text)]``."""
    rows = {}
    for x, y, item_size, text in items:
        if abs(item_size - size) < 0.5:
            row = rows.setdefault(round(y, 1), [])
            row.append((x, text))
    return [
        (y, min(x for x, _ in row), "".join(t for _, t in sorted(row)).strip())
        for y, row in sorted(rows.items(), reverse=True)
    ]

"""A .docx to PDF with LibreOffice headless, and what the tests and the 汇编 read back (no Django).

``soffice --convert-to pdf`` lays the .docx out with Writer (Debian's
``libreoffice-writer-nogui``). Each call gets its own profile directory
(``-env:UserInstallation``): two conversions sharing one profile collide
and one of them silently produces nothing. A call that takes longer than
``timeout`` seconds is killed (its whole process group) and raises
:class:`ConversionFailed`. Fonts: ``fonts.conf`` beside this module maps the
names the .docx uses to fonts Debian has.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

FONTS_CONF = Path(__file__).with_name("fonts.conf")
DEFAULT_TIMEOUT = 120
_CHAR_SPACE = re.compile(rb'w:charSpace="-?[0-9]+"')


class ConversionFailed(Exception):
    """LibreOffice is missing, timed out, or made no PDF."""


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def for_writer(docx: bytes) -> bytes:
    """``docx`` with its character grid's ``charSpace`` set to 0, for LibreOffice.

    Word's value for 28 characters a line (−849: the cell 0.21 pt narrower
    than the 16 pt font) is negative, and Writer 7.4 reads a negative
    ``charSpace`` wrongly (1 to 16 characters a line, measured). At 0 Writer
    lays the characters out at their own width, which the layout has made
    15.75 pt (``CHAR_CONDENSE_TWIPS``): 28 a line, as in Word.
    """
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = _CHAR_SPACE.sub(b'w:charSpace="0"', data)
            target.writestr(item, data)
    return out.getvalue()


def docx_to_pdf(docx: bytes, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The PDF of ``docx`` (bytes in, bytes out)."""
    docx = for_writer(docx)
    program = soffice()
    if program is None:
        raise ConversionFailed("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="gongwen-") as work:
        work = Path(work)
        source = work / "essay.docx"
        source.write_bytes(docx)
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(work)}
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        process = subprocess.Popen(
            command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ConversionFailed(f"LibreOffice took more than {timeout} s") from None
        result = work / "essay.pdf"
        if process.returncode != 0 or not result.exists():
            raise ConversionFailed(f"LibreOffice made no PDF (exit {process.returncode}): {output[-500:]!r}")
        return result.read_bytes()


def outline_pages(pdf: bytes) -> list[int]:
    """The 0-based page index of each top-level bookmark of ``pdf``, in order
    (Writer exports the paragraphs with outline level 1 as bookmarks)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    pages = []
    for entry in reader.outline:
        if isinstance(entry, list):
            continue  # the children of the previous entry
        pages.append(reader.get_destination_page_number(entry))
    return pages

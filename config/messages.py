"""Compile the project's translations (locale/*/LC_MESSAGES/*.po) into .mo files.

Pure Python (polib), so a fresh machine needs no GNU gettext: ``make setup``
runs ``python -m config.messages`` (a second or less, so it always runs).
The .mo files are build output (.gitignore).
"""

from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_messages(locale_dir=LOCALE_DIR):
    """Compile every .po under locale_dir; return the .mo files written."""
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        catalogue = polib.pofile(str(po_path))
        if catalogue.percent_translated() < 100:
            untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
            raise SystemExit(f"{po_path}: untranslated entries {untranslated}")
        catalogue.save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_messages():
        print(f"compiled {path.relative_to(LOCALE_DIR.parent)}")

"""Rebuild ``articles/essay/rules/genre_counts.tsv``: how often each word and
each pair of adjacent words occurs in the team's own clean essays.

The spinner detector (``articles/essay/spinner.py``) reads it: a word the
genre uses often is no spinner's choice, and a pair seen often is a
collocation of the genre. Only clean texts count: the damaged demo essay
(000_…) and the damaged parser test essay are left out, and so is the
development set under ``articles/essay/tests/realworld/`` (it measures the
detector and must not teach it).

Run: ``.venv/bin/python tools/build_spinner_counts.py``
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from articles.essay import spinner  # noqa: E402

SOURCES = [
    # The held-out clean essays (held_out_*.txt) measure false findings: not counted.
    *sorted(
        p for p in (ROOT / "benchmarks" / "proofreading" / "clean").glob("*.txt") if not p.name.startswith("held_out_")
    ),
    *sorted(p for p in (ROOT / "articles" / "demo" / "essays").glob("*.txt") if not p.name.startswith("000_")),
    *sorted(p for p in (ROOT / "articles" / "essay" / "tests" / "essays").glob("*.txt") if "damaged" not in p.name),
]


def main() -> None:
    texts = [path.read_text(encoding="utf-8") for path in SOURCES]
    spinner.write_counts(texts)
    print(f"{len(SOURCES)} essays counted into {spinner.COUNTS_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

"""How headings are cut when their line break is lost: a report, always exits 0.

    .venv/bin/python benchmarks/run_in_headings.py [-v]

Takes every section and point heading that ``parse`` finds on its own line
in the essays under the tests (``articles/essay/tests/realworld``,
``articles/essay/tests/essays``) and the demo essays, glues it to the first
paragraph of its body (as a page that lost its line breaks prints it) and
asks ``parsing._split_heading`` where the heading ends. Headings holding a
comma, colon or sentence end are left out (their cut is the punctuation).
It prints how many are cut exactly at the original end (**right**), left
whole with the body's first sentence (**left long**, the conservative
failure) or cut elsewhere (**wrong**, the failure to avoid); ``-v`` lists
the wrong ones.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from articles.essay import EssayError, parse, parsing  # noqa: E402
from articles.essay.splitting import split_essays  # noqa: E402

SOURCES = (
    ROOT / "articles" / "essay" / "tests" / "realworld",
    ROOT / "articles" / "essay" / "tests" / "essays",
    ROOT / "articles" / "demo" / "essays",
)


def glued_headings() -> list[tuple[str, str]]:
    """(heading, heading + first body paragraph) for every heading found on its own line, once each."""
    seen: dict[str, str] = {}
    for directory in SOURCES:
        for path in sorted(directory.glob("*.txt")):
            try:
                essays = [parse(piece) for piece in split_essays(path.read_text(encoding="utf-8"))]
            except EssayError:
                continue
            for essay in essays:
                items = [(s.heading, s.body) for s in essay.sections]
                items += [(p.heading, p.body) for s in essay.sections for p in s.points]
                for heading, body in items:
                    if heading and body and not any(mark in heading for mark in "，。：？！"):
                        seen.setdefault(heading + body.split("\n")[0], heading)
    return [(heading, glued) for glued, heading in seen.items()]


def main(argv: list[str]) -> int:
    right, long_, wrong = 0, 0, []
    for heading, glued in glued_headings():
        split = parsing._split_heading(glued)
        got = split[0] if split else glued
        if got == heading:
            right += 1
        elif got.startswith(heading):
            long_ += 1
        else:
            wrong.append((heading, got))
    total = right + long_ + len(wrong)
    print(f"{total} headings glued to their body: cut right {right}, left long {long_}, cut wrong {len(wrong)}")
    if "-v" in argv:
        for heading, got in wrong:
            print(f"  {heading} → {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

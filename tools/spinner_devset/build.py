"""Write the s-series of the real-world development set (articles/essay/tests/realworld/s*.txt/json).

The sources here (``s*.src``) are the team's own essays with the spinner
damage written inline as ``{wrong|right}`` (the text shows ``wrong``; the
label says ``right``); ``{same|same}`` marks a word left alone on purpose.
Sources without any swap are clean texts. The labels are derived from the
same source, so they cannot drift from the text:

    .venv/bin/python tools/spinner_devset/build.py
"""

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parents[1] / "articles" / "essay" / "tests" / "realworld"
MARK = re.compile(r"\{([^|}]*)\|([^}]*)\}")
HEADING = re.compile(r"^[一二三四五六七八九十]+、.+$", re.M)
CONTEXT = 6


def build(source: Path) -> tuple[str, dict]:
    raw = source.read_text(encoding="utf-8")
    text, swaps, position, last = [], [], 0, 0
    for match in MARK.finditer(raw):
        text.append(raw[last : match.start()])
        position += match.start() - last
        wrong, right = match.groups()
        if wrong != right:
            swaps.append((position, wrong, right))
        text.append(wrong)
        position += len(wrong)
        last = match.end()
    text.append(raw[last:])
    text = "".join(text)
    labels = {
        "essays": 1,
        "headings": HEADING.findall(text),
        "swaps": [
            {
                "wrong": wrong,
                "right": right,
                "context": text[max(0, start - CONTEXT) : start + len(wrong) + CONTEXT],
            }
            for start, wrong, right in swaps
        ],
        "clean": not swaps,
        "damage": ["spinner"] if swaps else [],
    }
    return text, labels


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    total = 0
    for source in sorted(HERE.glob("s*.src")):
        text, labels = build(source)
        (OUT / f"{source.stem}.txt").write_text(text, encoding="utf-8")
        (OUT / f"{source.stem}.json").write_text(
            json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        total += len(labels["swaps"])
    print(f"wrote the s-series to {OUT} ({total} swaps)")


if __name__ == "__main__":
    main()

"""Print how long ``parse`` takes on large and adversarial inputs.

    .venv/bin/python benchmarks/parse_essays.py

Numbers about speed live here, not in tests, so that a slow machine does not
fail the suite. Every case should stay well under a second.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from articles.essay import EssayError, parse
from articles.essay.numbering import int_to_cn

MEGABYTE = 1_000_000


def _fill(unit: str) -> str:
    return unit * (MEGABYTE // len(unit.encode("utf-8")) + 1)


def _wellformed() -> str:
    paragraph = "基层党组织要坚持把政治建设摆在首位，持续推进学习教育常态化制度化，切实增强党员的政治意识。" * 8
    lines = ["关于加强基层党建工作的调研报告", "为全面掌握情况，课题组开展了调研。"]
    for section in range(1, 10):
        lines.append(f"{int_to_cn(section)}、第{section}部分")
        for point in range(1, 41):
            lines += [f"（{int_to_cn(point)}）要点{point}", paragraph, paragraph, paragraph]
    return "\n".join(lines)


def _damaged() -> str:
    body = "基层党组织要坚持把政治建设摆在首位,持续推进学习教育常态化制度化,切实增强党员的政治意识" * 11
    parts = ["天道酬勤关于加强基层党建工作的调研", "关于加强基层党建工作的调研报告"]
    for section in range(1, 10):
        parts.append(f"{int_to_cn(section)}、第{section}部分 引言")
        for point in range(1, 81):
            parts[-1] += f"{int_to_cn(point)}推进要点建设"
            parts.append(body)
    text = " ".join(parts)
    pages = [text[i : i + 900] for i in range(0, len(text), 900)]
    return "\n".join(f"{n}、{page}" for n, page in enumerate(pages, start=1))


CASES = {
    "well-formed essay, 1 MB": _wellformed,
    "damaged essay with page markers, 1 MB": _damaged,
    "one line of prose, no structure": lambda: _fill("党建工作"),
    "CJK words separated by spaces": lambda: "题目\n一、标题\n" + _fill("党 建 "),
    "section numbers only": lambda: _fill("一、\n"),
    "bracket numbers only": lambda: "题目\n一、标题\n" + _fill("(一)"),
    "bare numerals everywhere": lambda: "题目\n一、标题\n" + _fill("一二三四五六七八九十 "),
    "lone numerals, one per line": lambda: "题目\n一、标题\n" + _fill("一\n"),
    "sentences glued to markers": lambda: "题目\n一、标题\n" + _fill("好。(二)好。二、"),
}


def main() -> None:
    for name, build in CASES.items():
        text = build()
        started = time.perf_counter()
        try:
            essay = parse(text)
            outcome = f"{len(essay.sections)} sections"
        except EssayError as error:
            outcome = f"EssayError: {error}"
        elapsed = time.perf_counter() - started
        print(f"{elapsed * 1000:8.1f} ms  {len(text.encode('utf-8')) / MEGABYTE:5.2f} MB  {name}: {outcome}")


if __name__ == "__main__":
    main()

"""Measure the script/encoding (``script.*``) and GB/T 15834 punctuation
(``punct.*``) checks: a report, not a test (always exits 0).

Run from the project root:

    .venv/bin/python benchmarks/script_punctuation.py

(a) The damaged essays of the development set (``articles/essay/tests/realworld/*.json``
    with ``"clean": false``): each essay is parsed and proofread as the import page
    does it; for each damage tag the checks meant for it must fire. Prints the
    findings per rule and the tags detected.
(b) Clean text: the development set's clean essays, the team's clean essays
    (``benchmarks/proofreading/clean``), the parser fixtures
    (``articles/essay/tests/essays``, the damaged one left out) and the demo
    essays (the damaged one left out). Every finding of these checks there is
    false; reported per 10,000 characters with its context. Findings of the
    other checks are counted too, for comparison.
(c) With ``--speed``: the time both modules take on 1 MB inputs, ordinary and
    adversarial (a page of masks, of brackets, of pinyin readings …).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from articles.essay import parse  # noqa: E402
from articles.essay.layout import proofread_essay  # noqa: E402
from articles.essay.structure import EssayError  # noqa: E402

DEV_SET = ROOT / "articles" / "essay" / "tests" / "realworld"
CLEAN_DIRS = (
    ROOT / "benchmarks" / "proofreading" / "clean",
    ROOT / "articles" / "essay" / "tests" / "essays",
    ROOT / "articles" / "demo" / "essays",
)
OURS = ("script.", "punct.")
# Which rules answer which damage tag of the development set (shared with the other reader of it).
TAG_RULES = {
    tag: set(rules)
    for tag, rules in json.loads((DEV_SET.parent / "damage_rules.json").read_text(encoding="utf-8")).items()
    if not tag.startswith("_")
}


def findings_of(text: str):
    try:
        essay = parse(text)
    except EssayError as error:
        return None, str(error)
    return proofread_essay(essay), ""


def damaged() -> None:
    print("=" * 72)
    print("(a) 开发集中的损坏文稿")
    tags_total = tags_found = 0
    for label_path in sorted(DEV_SET.glob("*.json")):
        label = json.loads(label_path.read_text(encoding="utf-8"))
        if label.get("clean"):
            continue
        text = label_path.with_suffix(".txt").read_text(encoding="utf-8")
        findings, error = findings_of(text)
        if findings is None:
            print(f"  {label_path.stem}: not imported ({error})")
            continue
        rules = Counter(f.rule for f in findings if f.rule.startswith(OURS))
        tags = [tag for tag in label.get("damage", []) if tag in TAG_RULES]
        found = [tag for tag in tags if TAG_RULES[tag] & set(rules)]
        tags_total += len(tags)
        tags_found += len(found)
        missing = sorted(set(tags) - set(found))
        print(f"  {label_path.stem}: {len(text)} chars  tags {tags}  missed {missing or '-'}")
        print("     " + ", ".join(f"{rule} ×{n}" for rule, n in sorted(rules.items())))
    if tags_total:
        print(f"  damage tags detected: {tags_found}/{tags_total} = {tags_found / tags_total:.0%}")


def clean() -> None:
    print("=" * 72)
    print("(b) 干净文稿上的误报（script.* 与 punct.*）")
    files = [p for p in sorted(DEV_SET.glob("*.json")) if json.loads(p.read_text(encoding="utf-8")).get("clean")]
    texts = [(p.with_suffix(".txt"), p.with_suffix(".txt").read_text(encoding="utf-8")) for p in files]
    for folder in CLEAN_DIRS:
        for path in sorted(folder.glob("*.txt")):
            if "damaged" in path.name or path.name.startswith("000_"):  # the damaged demo essay
                continue
            texts.append((path, path.read_text(encoding="utf-8")))
    chars = ours = others = 0
    for path, text in texts:
        findings, error = findings_of(text)
        if findings is None:
            print(f"  {path.relative_to(ROOT)}: not imported ({error})")
            continue
        chars += len(text)
        for finding in findings:
            if finding.rule.startswith(OURS):
                ours += 1
                print(
                    f"  FALSE {path.name}: {finding.rule} {finding.original!r}→{finding.suggestion!r} "
                    f"…{finding.context_before}【{finding.original}】{finding.context_after}…"
                )
            else:
                others += 1
    per_10k = ours / chars * 10000 if chars else 0.0
    print(f"  {len(texts)} texts, {chars} chars")
    print(f"  false findings of script.*/punct.*: {ours} = {per_10k:.2f} per 10,000 chars (target ≤ 1)")
    print(f"  findings of the other checks on the same texts: {others}")


def speed() -> None:
    import time

    from articles.essay.punctuation import punctuation_findings
    from articles.essay.script import script_findings, to_simplified

    print("=" * 72)
    print("(c) 1 MB 输入上的耗时")
    base = (ROOT / "benchmarks" / "proofreading" / "clean" / "clean_01.txt").read_text(encoding="utf-8")
    megabyte = 1_000_000
    plain = (base * (megabyte // len(base) + 1))[:megabyte]
    hanzi = "".join(char for char in base if "\u4e00" <= char <= "\u9fff")
    traditional = plain.translate({ord(s): t for s, t in zip("党员发体这个们国", "黨員發體這個們國", strict=True)})
    cases = {
        "clean essay text": plain,
        "traditional text": traditional,
        "traditional, no punctuation": (hanzi.translate({ord("党"): "黨"}) * 800)[:megabyte],
        "GBK mojibake": ("基层党建工作".encode().decode("gbk", errors="replace") * 200_000)[:megabyte],
        "brackets on one line": "党建(党建)" * (megabyte // 6),
        "(=) on one line": "(一)建(=)设" * (megabyte // 8),
        "masks": "邓*理" * (megabyte // 3),
        "pinyin readings": "戰(zhàn)" * (megabyte // 8),
    }
    to_simplified("預熱")  # load OpenCC and pypinyin before timing
    script_findings("戰(zhàn)")
    for name, text in cases.items():
        started = time.perf_counter()
        found = len(script_findings(text))
        script_seconds = time.perf_counter() - started
        started = time.perf_counter()
        marks = len(punctuation_findings(text))
        punct_seconds = time.perf_counter() - started
        print(
            f"  {name:<28} {len(text):>9} chars  script.* {script_seconds:6.2f} s ({found} findings)"
            f"  punct.* {punct_seconds:6.2f} s ({marks} findings)"
        )


if __name__ == "__main__":
    damaged()
    clean()
    if "--speed" in sys.argv:
        speed()

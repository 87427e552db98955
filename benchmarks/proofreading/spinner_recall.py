"""Swap recall and false findings of the proofreader on the real-world development set.

Reads every ``<id>.txt``/``<id>.json`` pair of ``articles/essay/tests/realworld/``
(format: the shared dev-set brief; swaps as ``{"wrong", "right", "context"}``)
and prints, for the spinner detector alone and for the whole proofreader
(shipped rules, built-in checks and the detector):

- swap recall: a labelled swap counts as found when a finding covers exactly
  the wrong word where its context places it and suggests the right one;
  split by how the pair is known — a shipped rule, the team's neighbour table
  (``articles/essay/rules/neighbours.txt``), or neither (found only through
  the 词林 or a shared character: the generalisation figure);
- wrong suggestions: findings on a labelled swap that suggest another word;
- false findings per 10,000 characters on the clean texts (``"clean": true``
  in the development set, and the team's clean essays of
  ``benchmarks/proofreading/clean/``: those counted into ``genre_counts.tsv``
  and, apart, the held-out ``held_out_*.txt`` that nothing was built from;
  and the clean demo essays of ``articles/demo/essays/``),
  every finding counted, with the words flagged;
- the time the detector takes per 10,000 characters (all the texts, after a
  first warm-up run that loads the dictionaries).

Run: ``.venv/bin/python benchmarks/proofreading/spinner_recall.py [--show-missed]``
"""

import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from articles.essay import spinner  # noqa: E402
from articles.essay.proofreading import load_rules, proofread  # noqa: E402

DEVSET = ROOT / "articles" / "essay" / "tests" / "realworld"
CLEAN_DIR = ROOT / "benchmarks" / "proofreading" / "clean"
DEMO_DIR = ROOT / "articles" / "demo" / "essays"


def demo_essays() -> list[Path]:
    """The clean demo essays (000_… arrives damaged on purpose)."""
    return sorted(path for path in DEMO_DIR.glob("*.txt") if not path.name.startswith("000_"))


def table_pairs() -> set[tuple[str, str]]:
    pairs = set()
    for line in spinner.NEIGHBOURS_PATH.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].split()
        pairs.update((a, b) for a in line for b in line if a != b)
    return pairs


def rule_pairs() -> set[tuple[str, str]]:
    pairs = set()
    for rule in load_rules():
        for wrong in re.findall(r"[\u4e00-\u9fff]+", rule.pattern):
            pairs.add((wrong, rule.suggestion))
    return pairs


def locate(text: str, swap: dict) -> int | None:
    at = text.find(swap["context"])
    if at < 0:
        return None
    inner = swap["context"].find(swap["wrong"])
    return at + inner if inner >= 0 else None


def main() -> None:
    show = "--show-missed" in sys.argv
    rules_known, table_known = rule_pairs(), table_pairs()
    detectors = {
        "spinner": lambda text: spinner.find_swaps(text),
        "proofreader": lambda text: proofread(text),
    }
    pairs = sorted(DEVSET.glob("*.json"))
    spinner.find_swaps("加强党的建设。")  # load the dictionaries before timing
    for name, detect in detectors.items():
        found, total, wrong_suggestions = Counter(), Counter(), 0
        clean_chars, false = 0, []
        missed = []
        # The clean essays: those counted into genre_counts.tsv, and the
        # held-out ones (held_out_*.txt) that nothing was built from.
        essays = {"counted": [0, []], "held out": [0, []], "demo": [0, []]}
        timed_chars, elapsed = 0, 0.0
        for text_path in [*sorted(CLEAN_DIR.glob("*.txt")), *demo_essays()]:
            text = text_path.read_text(encoding="utf-8")
            began = time.perf_counter()
            findings = detect(text)
            elapsed += time.perf_counter() - began
            timed_chars += len(text)
            if text_path.parent == DEMO_DIR:
                group = essays["demo"]
            else:
                group = essays["held out" if text_path.name.startswith("held_out_") else "counted"]
            group[0] += len(text)
            group[1] += [(text_path.stem, f.original, f.suggestion, f.rule) for f in findings]
        for label_path in pairs:
            text_path = label_path.with_suffix(".txt")
            if not text_path.exists():
                continue
            labels = json.loads(label_path.read_text(encoding="utf-8"))
            text = text_path.read_text(encoding="utf-8")
            began = time.perf_counter()
            findings = detect(text)
            elapsed += time.perf_counter() - began
            timed_chars += len(text)
            if labels.get("clean"):
                clean_chars += len(text)
                false += [(label_path.stem, f.original, f.suggestion, f.rule) for f in findings]
                continue
            for swap in labels.get("swaps", []):
                start = locate(text, swap)
                if start is None:
                    continue
                pair = (swap["wrong"], swap["right"])
                kind = "rule" if pair in rules_known else "table" if pair in table_known else "neither"
                total[kind] += 1
                end = start + len(swap["wrong"])
                # A finding inside the labelled word that turns it into the
                # right one (动身点: 动身 → 出发).
                inside = [f for f in findings if start <= f.start and f.end <= end and f.start < f.end]
                if any(text[start : f.start] + f.suggestion + text[f.end : end] == swap["right"] for f in inside):
                    found[kind] += 1
                else:
                    if inside:
                        wrong_suggestions += 1
                    missed.append((label_path.stem, kind, swap["wrong"], swap["right"], swap["context"]))
        print(f"== {name}")
        for kind in ("rule", "table", "neither"):
            if total[kind]:
                print(f"  swaps known by {kind:8}: {found[kind]:3}/{total[kind]:3} = {found[kind] / total[kind]:.0%}")
        all_found, all_total = sum(found.values()), sum(total.values())
        if all_total:
            print(f"  swap recall, all        : {all_found:3}/{all_total:3} = {all_found / all_total:.0%}")
        print(f"  wrong suggestions on labelled swaps: {wrong_suggestions}")
        if clean_chars:
            print(
                f"  clean texts: {clean_chars} characters, {len(false)} findings = "
                f"{len(false) / clean_chars * 10000:.2f} per 10k characters"
            )
        for item in false:
            print("    false:", *item)
        for group, (chars, flagged) in essays.items():
            if chars:
                where = DEMO_DIR if group == "demo" else CLEAN_DIR
                print(
                    f"  clean essays, {group} ({where.relative_to(ROOT)}): {chars} characters, {len(flagged)} "
                    f"findings = {len(flagged) / chars * 10000:.2f} per 10k characters"
                )
            for item in flagged:
                print("    false:", *item)
        print(f"  time: {elapsed / timed_chars * 10000 * 1000:.0f} ms per 10k characters ({timed_chars} characters)")
        if show:
            for item in missed:
                print("    missed:", *item)


if __name__ == "__main__":
    main()

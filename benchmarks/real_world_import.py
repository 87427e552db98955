"""Measure import and proofreading on the real-world development set: a report, always exits 0.

    .venv/bin/python benchmarks/real_world_import.py [DIR]

Reads every pair ``<id>.txt`` / ``<id>.json`` in ``DIR`` (default
``articles/essay/tests/realworld``). The .txt is the raw text as an editor
pastes it; the .json labels it: ``essays`` (how many essays the page holds),
``headings`` (the top-level headings as they should be found, numbering
included, in order), ``swaps`` (``wrong``, ``right``, ``context`` — the
machine-synonym swaps in the text), ``clean`` (a well-edited text: every
finding on it is false), ``damage`` (free tags) and, optionally,
``points`` (the second-level point headings, numbering included, in order). It prints, overall and
per id prefix (r = structure, t = script and punctuation, s = spinner swaps):

* **acceptance** — texts that become drafts (``parse`` does not refuse; a
  page labelled with several essays is split with ``split_essays`` first);
* **heading recall** — labelled top-level headings found: a label counts as
  found when a parsed section's number + heading (or its heading alone)
  equals it once whitespace and punctuation are removed; each parsed
  heading matches one label at most;
* **point recall** — labelled point headings found, matched like the
  headings against the parsed points (texts labelled with ``points`` only);
* **swap recall** — labelled machine-synonym swaps found: a finding whose
  ``original`` is the wrong word and whose ``suggestion`` is the right one;
* **false findings per 10k characters on clean texts** — on texts labelled
  ``"clean": true`` every finding and every cleaning repair counts as false.

The measurement is :func:`measure` (the tests call it and assert the
targets); run time is printed, never asserted.
"""

from __future__ import annotations

import json
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from articles.essay import EssayError, parse  # noqa: E402
from articles.essay.layout import proofread_essay  # noqa: E402
from articles.essay.splitting import split_essays  # noqa: E402

DEFAULT_DIR = ROOT / "articles" / "essay" / "tests" / "realworld"
TARGETS = {"acceptance": 1.0, "heading_recall": 0.90, "swap_recall": 0.60, "false_per_10k": 1.0}
_NOT_TEXT = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise_heading(text: str) -> str:
    """Full-width letters and digits to ASCII, then without spaces and punctuation."""
    return _NOT_TEXT.sub("", unicodedata.normalize("NFKC", text))


@dataclass
class Tally:
    texts: int = 0
    accepted: int = 0
    headings: int = 0
    headings_found: int = 0
    points: int = 0
    points_found: int = 0
    swaps: int = 0
    swaps_found: int = 0
    clean_chars: int = 0
    clean_false: int = 0
    failures: list = field(default_factory=list)  # (id, what)

    def add(self, other: Tally) -> None:
        for name in (
            "texts",
            "accepted",
            "headings",
            "headings_found",
            "points",
            "points_found",
            "swaps",
            "swaps_found",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.clean_chars += other.clean_chars
        self.clean_false += other.clean_false
        self.failures += other.failures

    @staticmethod
    def _ratio(part, whole):
        return part / whole if whole else None

    @property
    def acceptance(self):
        return self._ratio(self.accepted, self.texts)

    @property
    def heading_recall(self):
        return self._ratio(self.headings_found, self.headings)

    @property
    def point_recall(self):
        return self._ratio(self.points_found, self.points)

    @property
    def swap_recall(self):
        return self._ratio(self.swaps_found, self.swaps)

    @property
    def false_per_10k(self):
        return self.clean_false * 10_000 / self.clean_chars if self.clean_chars else None


def load_pairs(directory: Path = DEFAULT_DIR) -> list[tuple[str, str, dict]]:
    """(id, text, label) for every .txt with its .json, sorted by id."""
    pairs = []
    for path in sorted(Path(directory).glob("*.txt")):
        label = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        pairs.append((path.stem, path.read_text(encoding="utf-8"), label))
    return pairs


def measure_one(eid: str, text: str, label: dict) -> Tally:
    tally = Tally(
        texts=1,
        headings=len(label.get("headings", [])),
        points=len(label.get("points", [])),
        swaps=len(label.get("swaps", [])),
    )
    try:
        pieces = split_essays(text) if label.get("essays", 1) > 1 else [text]
        essays = [parse(piece) for piece in pieces]
    except EssayError as error:
        tally.failures.append((eid, f"refused: {error}"))
        return tally
    tally.accepted = 1
    if label.get("essays", 1) != len(essays):
        tally.failures.append((eid, f"{len(essays)} essays found, {label['essays']} labelled"))

    sections = [section for essay in essays for section in essay.sections]
    tally.headings_found = _matched(eid, "heading", label.get("headings", []), sections, tally.failures)
    points = [point for section in sections for point in section.points]
    tally.points_found = _matched(eid, "point", label.get("points", []), points, tally.failures)

    findings = [finding for essay in essays for finding in proofread_essay(essay)]
    proposed = Counter((f.original, f.suggestion) for f in findings)
    for swap in label.get("swaps", []):
        pair = (swap["wrong"], swap["right"])
        if proposed[pair] > 0:
            proposed[pair] -= 1
            tally.swaps_found += 1
        else:
            tally.failures.append((eid, f"swap not found: {swap['wrong']}→{swap['right']}"))

    if label.get("clean"):
        tally.clean_chars = len(text)
        repairs = sum(len(getattr(essay, "repairs", [])) for essay in essays)
        tally.clean_false = len(findings) + repairs
        for finding in findings:
            tally.failures.append((eid, f"false finding {finding.rule}: {finding.original}→{finding.suggestion}"))
        for essay in essays:
            for repair in getattr(essay, "repairs", []):
                tally.failures.append((eid, f"false repair {repair.kind}: {repair.original!r}"))
    return tally


def _matched(eid: str, what: str, labels: list[str], parsed_items: list, failures: list) -> int:
    """How many labels a parsed item (number + heading, or heading alone) matches; each item matches once."""
    numbered = Counter(normalise_heading(item.number + item.heading) for item in parsed_items)
    heading_only = Counter(normalise_heading(item.heading) for item in parsed_items)
    found = 0
    for heading in labels:
        key = normalise_heading(heading)
        if numbered[key] > 0:
            numbered[key] -= 1
            found += 1
        elif heading_only[key] > 0:
            heading_only[key] -= 1
            found += 1
        else:
            failures.append((eid, f"{what} not found: {heading}"))
    return found


def measure(directory: Path = DEFAULT_DIR) -> dict[str, Tally]:
    """Tallies per id prefix (its first letter) and ``"all"``."""
    result: dict[str, Tally] = {"all": Tally()}
    for eid, text, label in load_pairs(directory):
        tally = measure_one(eid, text, label)
        result.setdefault(eid[:1], Tally()).add(tally)
        result["all"].add(tally)
    return result


def _fmt(value, percent=True):
    if value is None:
        return "—"
    return f"{value:.0%}" if percent else f"{value:.2f}"


def main(argv: list[str]) -> int:
    verbose = "-v" in argv or "--verbose" in argv
    positional = [a for a in argv[1:] if not a.startswith("-")]
    directory = Path(positional[0]) if positional else DEFAULT_DIR
    started = time.perf_counter()
    result = measure(directory)
    elapsed = time.perf_counter() - started
    print(f"{directory}: {result['all'].texts} texts, {elapsed:.1f} s")
    print(
        f"{'set':<5}{'texts':>6}{'accepted':>10}{'headings':>14}{'points':>14}{'swaps':>14}"
        f"  {'false findings on clean text':<28}"
    )
    for key in ["all", *sorted(k for k in result if k != "all")]:
        t = result[key]
        print(
            f"{key:<5}{t.texts:>6}{_fmt(t.acceptance):>10}"
            f"{f'{t.headings_found}/{t.headings} {_fmt(t.heading_recall)}':>14}"
            f"{f'{t.points_found}/{t.points} {_fmt(t.point_recall)}':>14}"
            f"{f'{t.swaps_found}/{t.swaps} {_fmt(t.swap_recall)}':>14}  "
            f"{f'{t.clean_false} in {t.clean_chars} chars = {_fmt(t.false_per_10k, False)} per 10k':<28}"
        )
    print("targets: " + ", ".join(f"{k} {v}" for k, v in TARGETS.items()))
    if verbose:
        for eid, what in result["all"].failures:
            print(f"  {eid}: {what}")
    else:
        print(f"{len(result['all'].failures)} misses (-v lists them)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

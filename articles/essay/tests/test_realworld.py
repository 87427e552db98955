"""The real-world development set (``tests/realworld``): labels are valid, and the
import reaches its targets on it (the same measurement ``benchmarks/real_world_import.py`` prints).

A correctness test on fixed data: every text becomes a draft, at least 90% of
the labelled headings are found, and clean texts get at most one finding or
repair per 10,000 characters.
"""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from articles.essay import parse
from articles.essay.splitting import split_essays

ROOT = Path(__file__).resolve().parents[3]
REALWORLD = Path(__file__).resolve().parent / "realworld"
LABEL_KEYS = {"essays", "headings", "swaps", "clean", "damage"}


def _benchmark():
    spec = importlib.util.spec_from_file_location("real_world_import", ROOT / "benchmarks" / "real_world_import.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("real_world_import", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", sorted(REALWORLD.glob("*.txt")), ids=lambda p: p.stem)
def test_every_text_has_a_valid_label(path):
    label_path = path.with_suffix(".json")
    assert label_path.is_file(), f"{label_path.name} is missing"
    label = json.loads(label_path.read_text(encoding="utf-8"))
    assert LABEL_KEYS <= set(label), f"missing keys: {LABEL_KEYS - set(label)}"
    assert isinstance(label["essays"], int) and label["essays"] >= 1
    assert all(isinstance(h, str) and h.strip() for h in label["headings"])
    text = path.read_text(encoding="utf-8")
    for swap in label["swaps"]:
        assert {"wrong", "right", "context"} <= set(swap)
        assert swap["wrong"] in swap["context"] and swap["context"] in text
    assert isinstance(label["clean"], bool) and isinstance(label["damage"], list)


def test_every_label_has_its_text():
    for label_path in REALWORLD.glob("*.json"):
        assert label_path.with_suffix(".txt").is_file(), f"{label_path.name} has no .txt"


def test_structure_series_reaches_the_targets():
    tally = _benchmark().measure(REALWORLD)["r"]
    assert tally.texts >= 30
    assert tally.acceptance == 1.0, tally.failures
    assert tally.heading_recall >= 0.90, tally.failures
    assert tally.clean_chars > 0 and tally.false_per_10k <= 1.0, tally.failures


def test_own_structure_series_reaches_the_targets():
    # The u-series: run-in verb-phrase headings, colon subtitles, one-paragraph texts of every scheme.
    tally = _benchmark().measure(REALWORLD)["u"]
    assert tally.texts >= 25
    assert tally.acceptance == 1.0, tally.failures
    assert tally.heading_recall >= 0.95, tally.failures
    assert tally.point_recall >= 0.90, tally.failures
    # Findings on its clean texts: none from structure, punctuation or cleaning (the spinner's are its own).
    structural = [what for _eid, what in tally.failures if what.startswith("false") and "spinner." not in what]
    assert structural == []


def test_the_whole_set_is_accepted():
    result = _benchmark().measure(REALWORLD)["all"]
    assert result.acceptance == 1.0, [f for f in result.failures if "refused" in f[1]]


def test_multi_essay_pages_split_into_the_labelled_number():
    for label_path in sorted(REALWORLD.glob("*.json")):
        label = json.loads(label_path.read_text(encoding="utf-8"))
        if label["essays"] > 1:
            pieces = split_essays(label_path.with_suffix(".txt").read_text(encoding="utf-8"))
            assert len(pieces) == label["essays"], label_path.stem
            assert all(parse(piece).sections for piece in pieces)


@pytest.mark.parametrize("path", sorted((ROOT / "articles" / "demo" / "essays").glob("*.txt")), ids=lambda p: p.stem)
def test_the_demo_essays_get_no_repairs(path):
    # Well-edited text (and the demo's damaged copy, whose damage is of other kinds) loses nothing.
    assert parse(path.read_text(encoding="utf-8")).repairs == []

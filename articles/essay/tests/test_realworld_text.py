"""The i19-text part of the development set (articles/essay/tests/realworld/t*.txt):
every damage tag is answered by the check meant for it, accepting every fix
gives the essay back as written, and the clean essays get no finding at all."""

import json
from pathlib import Path

import pytest

from articles.essay import parse
from articles.essay.layout import fix_essay, proofread_essay

DEV_SET = Path(__file__).resolve().parent / "realworld"
LABELS = sorted(DEV_SET.glob("t*.json"))
# Which rules answer which damage tag of the development set (shared with the other reader of it).
TAG_RULES = {
    tag: set(rules)
    for tag, rules in json.loads((DEV_SET.parent / "damage_rules.json").read_text(encoding="utf-8")).items()
    if not tag.startswith("_")
}


def load(label_path):
    return json.loads(label_path.read_text(encoding="utf-8")), label_path.with_suffix(".txt").read_text(
        encoding="utf-8"
    )


def test_the_set_has_ten_damaged_and_three_clean_essays():
    labels = [load(path)[0] for path in LABELS]
    assert sum(not label["clean"] for label in labels) >= 10
    assert sum(label["clean"] for label in labels) >= 3
    for path in LABELS:
        label, text = load(path)
        assert set(label) == {"essays", "headings", "swaps", "clean", "damage"}, path.name
        assert 600 <= len(text) <= 3000, path.name
        assert all(heading in text for heading in label["headings"]), path.name


@pytest.mark.parametrize("label_path", LABELS, ids=[path.stem for path in LABELS])
def test_each_damage_is_found_and_clean_text_is_left_alone(label_path):
    label, text = load(label_path)
    findings = proofread_essay(parse(text))
    if label["clean"]:
        assert [(f.rule, f.original) for f in findings] == []
        return
    rules = {f.rule for f in findings}
    for tag in label["damage"]:
        assert TAG_RULES[tag] & rules, tag


@pytest.mark.parametrize("damaged", ["t001", "t002", "t003", "t006", "t010"])
def test_accepting_every_fix_leaves_no_script_or_punctuation_damage(damaged):
    _label, text = load(DEV_SET / f"{damaged}.json")
    essay = parse(text)
    fixed = fix_essay(essay, proofread_essay(essay))
    left = [f for f in proofread_essay(fixed) if f.rule.startswith(("script.", "punct.")) and f.is_fixable]
    assert left == []

"""One vocabulary per concept: the pure core, the database choices and the
templates' styles name section kinds, proofreading categories and severities
the same way."""

from pathlib import Path

from django.conf import settings

from articles.essay import KINDS
from articles.essay import kinds as kind_guessing
from articles.essay import proofreading as engine
from articles.models import ProofreadingRule, Section
from library.models import COUNTERMEASURE_KINDS, PROBLEM_KINDS
from library.models import Kind as LibraryKind


def test_section_kinds_are_the_cores_kinds_in_order():
    assert tuple(Section.Kind.values) == KINDS


def test_the_kind_guesser_answers_only_known_kinds():
    guessed = {kind_guessing.guess_kind(word) for words in kind_guessing._KEYWORDS.values() for word in words}
    assert guessed | {kind_guessing.guess_kind("")} == set(KINDS)


def test_the_librarys_kinds_are_section_kinds_with_the_same_labels():
    section_labels = dict(Section.Kind.choices)
    assert {value: section_labels[value] for value in LibraryKind.values} == dict(LibraryKind.choices)
    assert set(PROBLEM_KINDS) | set(COUNTERMEASURE_KINDS) == set(LibraryKind.values)


def test_rule_categories_and_severities_are_the_engines():
    assert tuple(ProofreadingRule.Category.values) == engine.CATEGORIES
    assert tuple(ProofreadingRule.Severity.values) == engine.SEVERITIES


def test_every_severity_has_its_colour_in_the_proofreading_styles():
    css = (Path(settings.BASE_DIR) / "static" / "admin-extra" / "proofreading.css").read_text(encoding="utf-8")
    *marked, lowest = engine.SEVERITIES
    for severity in marked:
        assert f".pr-badge.pr-sev-{severity}" in css
        assert f".pr-group.pr-sev-{severity}" in css
    # The lowest is the default look of a badge and a group.
    assert f"--pr-{lowest}:" in css
    assert f"pr-sev-{lowest}" not in css

"""The product's own Chinese text uses full-width punctuation.

Scans the text a reader or an editor can see: the templates under templates/,
the string literals of the project's Python files (read with ``ast``; not
tests, not migrations, not docstrings or other bare string statements, which
are notes for developers), and the explanations and notes of the shipped
proofreading rules (shown to editors). Two mistakes are looked for:

- a half-width ``, ; : ? ! ( )`` right next to a Chinese character
  ("草稿),读者" should be "草稿），读者");
- a space (or a line break that the browser shows as a space) right after a
  full-width comma or period ("主题， 共").

Regular expressions are not text: a string passed to ``re``/``re2`` (compile,
search, sub …) is skipped, and character classes and ``(?…)`` groups are taken
out of the rest; so are strings with no Chinese character (sets of punctuation,
English). What else must stay is in ``ALLOWED``, with why.
"""

import ast
import json
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Chinese characters, and the full-width punctuation and quotes written with them.
CHINESE = r"[\u3400-\u4dbf\u4e00-\u9fff\u3001-\u303f\uff01-\uff0f\uff1a-\uff1f\u2018\u2019\u201c\u201d]"
HALF_WIDTH = re.compile(rf"{CHINESE}[,;:?!()]|[,;:?!()]{CHINESE}")
SPACE_AFTER = re.compile(r"[，。][ \t\u3000]+")
# In a template a line break after ，/。 followed by more text is shown as a space
# (checked with the {% tags %} taken out: they show nothing themselves).
BREAK_AFTER = re.compile(r"[，。][ \t]*\n\s*(?=[^\s<])")
TEMPLATE_TAGS = re.compile(r"{%.*?%}")
TEMPLATE_COMMENTS = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)
IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Regular-expression syntax inside text: character classes ([，,、]) and groups ((?=…), (?P=名称)).
REGEX_SYNTAX = re.compile(r"\[[^\]]*\][?*+]?|\(\?[^)]*\)")
REGEX_FUNCTIONS = {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"}
SKIPPED_DIRS = {".venv", "node_modules", "staticfiles", "media", "tests", "migrations", ".git"}

# (path, the offending text) → why it stays.
ALLOWED = {
    ("articles/essay/parsing.py", "已补全为“(一)”至“("): (
        "quotes the point numbers the parser inserts, which are half-width"
    ),
    ("articles/essay/builtin_checks.py", "是些个切般直定样起致旦贯项批道线体方把名位次种条件份年天时同再"): (
        "a set of characters, not text"
    ),
    ("articles/essay/cleaning.py", "一二三四五六七八九十(（"): "a set of characters, not text",
    ("benchmarks/parse_essays.py", "*"): "inputs damaged on purpose, to time the parser on them",
    ("benchmarks/script_punctuation.py", "*"): "inputs damaged on purpose, to time the script and punctuation checks",
}


def _allowed(path, text):
    return ("*" in {key for p, key in ALLOWED if p == path}) or any(p == path and key in text for p, key in ALLOWED)


def _problems(text):
    if not IDEOGRAPH.search(text):
        return []
    text = REGEX_SYNTAX.sub("", text)
    found = [m.group() for m in HALF_WIDTH.finditer(text)]
    found += [m.group() for m in SPACE_AFTER.finditer(text)]
    return found


def _python_files():
    for path in sorted(ROOT.rglob("*.py")):
        if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts):
            yield path


def _python_strings(source):
    """The string constants of a module that are text: not docstrings or other bare
    string statements, not the pattern passed to a regular-expression function."""
    tree = ast.parse(source)
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skipped.add(id(node.value))
        if isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in REGEX_FUNCTIONS:
                skipped.update(id(inner) for inner in ast.walk(node.args[0]))
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and id(node) not in skipped:
            # An f-string is one text: its pieces with {} for what is filled in.
            skipped.update(id(part) for part in node.values)
            pieces = [part.value if isinstance(part, ast.Constant) else "{}" for part in node.values]
            yield node.lineno, "".join(pieces)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped:
            yield node.lineno, node.value


def find_problems():
    problems = []
    for path in _python_files():
        relative = path.relative_to(ROOT).as_posix()
        for line, text in _python_strings(path.read_text(encoding="utf-8")):
            if _problems(text) and not _allowed(relative, text):
                problems.append(f"{relative}:{line}: {text[:80]!r}")
    for path in sorted((ROOT / "templates").rglob("*.html")) + sorted((ROOT / "templates").rglob("*.txt")):
        relative = path.relative_to(ROOT).as_posix()
        source = TEMPLATE_COMMENTS.sub(lambda m: "\n" * m.group().count("\n"), path.read_text(encoding="utf-8"))
        for number, line in enumerate(source.splitlines(), start=1):
            if _problems(line) and not _allowed(relative, line):
                problems.append(f"{relative}:{number}: {line.strip()[:80]!r}")
        shown = TEMPLATE_TAGS.sub("", source)  # keeps the lines: a tag is on one line
        for match in BREAK_AFTER.finditer(shown):
            number = shown.count("\n", 0, match.start()) + 1
            problems.append(f"{relative}:{number}: line break after {match.group()[0]!r}")
    rules = json.loads((ROOT / "articles/essay/rules/proofreading.json").read_text(encoding="utf-8"))
    for rule in rules["rules"]:
        for key in ("explanation", "note"):
            if _problems(rule.get(key, "")):
                problems.append(f"proofreading.json {rule['id']} {key}: {rule[key]!r}")
    return problems


def test_the_checks_see_what_they_should():
    assert _problems("(当前状态：草稿),读者看不到本页")
    assert _problems("归为主题， 共 27 条")
    assert not _problems("（当前状态：草稿），读者看不到本页。审核通过（终审）")
    assert not _problems("see 初审 (the first stage), then")  # half-width between Latin words is fine
    assert _problems("工程”(“项目”被换成“工程”)")
    assert BREAK_AFTER.search("主题，\n    共 3 条") and not BREAK_AFTER.search("主题。\n  </p>")
    assert [text for _, text in _python_strings('"""文档(一)"""\nX = re.compile("[,，]开")\nY = "好(坏)"')] == [
        "好(坏)"
    ]


def test_the_product_text_uses_full_width_punctuation():
    problems = find_problems()
    assert not problems, "half-width punctuation next to Chinese, or a space after ，/。:\n" + "\n".join(problems)

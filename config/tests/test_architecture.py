"""The layout's promises, checked on the import graph (grimp reads every import
statement, those inside functions included):

* every module imports;
* no import cycle between the project's modules;
* the pure parts import no Django: the essay core (``articles/essay/``), the
  shared text conventions (``articles/text.py``), the search's segmentation and
  snippets, the library's extraction and grouping;
* an app uses another app's public names only: no ``from x import _private``
  across apps.
"""

import ast
import importlib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("accounts", "articles", "config", "library", "siteinfo", "topics")
PURE = (
    "articles.essay",
    "articles.text",
    "articles.export.html",
    "articles.export.layout",
    "articles.export.pdf",
    "articles.export.version",
    "articles.search.segmentation",
    "articles.search.snippets",
    "library.concepts",
    "library.evaluation",
    "library.extraction",
    "library.grouping",
)


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*PACKAGES, include_external_packages=True)


def _project_modules(graph):
    return {
        module
        for module in graph.modules
        if module.split(".")[0] in PACKAGES and ".tests" not in module and ".migrations" not in module
    }


def _cycles(edges):
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], [0]
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_every_module_imports(graph):
    failures = {}
    for module in sorted(_project_modules(graph)):
        try:
            importlib.import_module(module)
        except Exception as error:  # noqa: BLE001 - every failure is reported
            failures[module] = repr(error)
    assert failures == {}


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_back(graph):
    modules = _project_modules(graph)
    edges = {
        module: {imported for imported in graph.find_modules_directly_imported_by(module) if imported in modules}
        for module in modules
    }
    assert _cycles(edges) == []


@pytest.mark.parametrize("pure", PURE)
def test_the_pure_parts_import_no_django(graph, pure):
    modules = {pure} | (graph.find_descendants(pure) if graph.find_children(pure) else set())
    modules = {module for module in modules if ".tests" not in module}
    offenders = {
        f"{module} → {imported}"
        for module in modules
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.split(".")[0] == "django" or (imported.split(".")[0] in PACKAGES and not imported.startswith(PURE))
    }
    assert offenders == set()


def _private_imports_across_apps():
    for path in ROOT.glob("*/**/*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] not in PACKAGES or "migrations" in parts or "tests" in parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                app = node.module.split(".")[0]
                if app in PACKAGES and app != parts[0]:
                    for alias in node.names:
                        if alias.name.startswith("_") or any(p.startswith("_") for p in node.module.split(".")):
                            yield f"{'/'.join(parts)}: from {node.module} import {alias.name}"


def test_apps_use_each_others_public_names_only():
    assert list(_private_imports_across_apps()) == []

"""The shared public XSS list through articles.richtext.sanitize.

Runs ``benchmarks/xss_sanitizer.py`` (see its docstring for what is checked)
when the shared bad-input folder is on this machine; a clone elsewhere
skips it.
"""

import importlib.util
from pathlib import Path

import pytest

from articles.richtext import ALLOWED_TAGS, sanitize

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "xss_sanitizer.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("xss_sanitizer", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


xss_sanitizer = _load_script()


def test_no_vector_of_the_shared_xss_list_survives_sanitising():
    if not xss_sanitizer.DEFAULT_LIST.is_file():
        pytest.skip(f"the shared XSS list is not on this machine ({xss_sanitizer.DEFAULT_LIST})")
    lines = xss_sanitizer.read_lines(xss_sanitizer.DEFAULT_LIST)
    assert len(lines) > 400, "the list was read wrongly (split on \\n only)"

    failures, _warnings, _empty, _seconds = xss_sanitizer.check(lines, sanitize, ALLOWED_TAGS)

    assert not failures, "\n".join(f"line {n}: {v[:120]!r} -> {o[:120]!r}: {p}" for n, v, o, p in failures[:10])


@pytest.mark.parametrize(
    "output, expected",
    [
        ('<a href="javascript:alert(1)">x</a>', "javascript: URL in href= on <a>"),
        ('<a href=" &#x09;java&#x0A;script:alert(1)">x</a>', "javascript: URL in href= on <a>"),
        ('<img src="data:image/png;base64,AAAA">', "data: URL in src= on <img>"),
        ('<p onclick="x">y</p>', "event handler onclick= on <p>"),
        ("<svg></svg>", "raw <svg"),
        ('<iframe src="/"></iframe>', "tag <iframe>"),
    ],
)
def test_the_checker_itself_catches_script_capable_output(output, expected):
    assert expected in xss_sanitizer.problems(output, ALLOWED_TAGS)


def test_the_checker_accepts_an_ordinary_essay_fragment():
    fragment = '<p>正文<a href="https://www.12371.cn/" title="javascript: 不是链接">链接</a></p>'
    assert xss_sanitizer.problems(fragment, ALLOWED_TAGS) == []

"""Run every vector of the shared XSS list through ``articles.richtext.sanitize``.

Run from the project root:

    .venv/bin/python benchmarks/xss_sanitizer.py [--list /work/shared/bad-input/xss.txt] [--show 10]

The list (public payload collections: DOMPurify's fixtures, the RSnake/OWASP
filter-evasion sheet, PayloadsAllTheThings; see its README) is read as the
README asks: split on "\\n" only, never ``splitlines()``, because some
entries hold U+2028, U+0085 and friends on purpose. The escaped ``\\n`` and
``\\r`` inside entries are left as they are.

For every line the sanitised output must hold nothing that can run script:

- no ``<script`` and none of ``<svg <math <iframe <object <embed <style
  <base <form`` (raw text, case-insensitive: escaped text is ``&lt;…``);
- parsed with ``html.parser``: no element outside the allowed tags, no
  ``on*`` attribute, no ``style``/``srcdoc``/``formaction``/``action``
  attribute, and no URL attribute (``href``, ``src``…) that is a
  ``javascript:``, ``vbscript:`` or ``data:`` URL the way a current browser
  reads it: entities decoded, leading and trailing C0 controls and spaces
  stripped, tabs and newlines removed anywhere (the WHATWG URL parser);
- sanitising the output again changes nothing (no mutation on a second
  parse).

A stricter reading is reported as a warning, not a failure: with *every*
control character and every Unicode space removed (what DOMPurify and
some legacy browsers, e.g. IE modes of dual-engine browsers, do), the URL
would be one of those schemes. Current browsers treat such a URL as a
harmless relative link, but nothing an editor writes looks like that.

Prints a summary (lines, passed, failed, warnings, empty outputs, time per
line) and the first failures and warnings; exits 1 if any line failed. Also
used by ``articles/tests/test_security_xss_lists.py``.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LIST = Path(os.environ.get("BAD_INPUT_DIR", ROOT.parent / "shared" / "bad-input")) / "xss.txt"

FORBIDDEN_TAG_TEXT = ("<script", "<svg", "<math", "<iframe", "<object", "<embed", "<style", "<base", "<form")
FORBIDDEN_ATTRIBUTES = {"style", "srcdoc", "formaction", "action", "xlink:href", "background", "dynsrc", "lowsrc"}
FORBIDDEN_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "background",
    "poster",
    "data",
    "codebase",
    "cite",
    "srcset",
    "lowsrc",
    "dynsrc",
    "longdesc",
    "usemap",
    "manifest",
    "ping",
    "content",
}
# The WHATWG URL parser strips leading/trailing C0 controls and spaces and
# removes tabs and newlines anywhere.
_C0_EDGES = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$")
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
# The strict reading: every control character and every Unicode space.
_IGNORED_STRICT = re.compile(r"[\x00-\x20\x7f-\x9f\u00a0\u1680\u180e\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]")


def read_lines(path: Path) -> list[str]:
    """One entry per line, split on "\\n" only (see the list's README)."""
    return path.read_text(encoding="utf-8").split("\n")[:-1]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def browser_url(value: str) -> str:
    """``value`` as a current browser reads it before looking at the scheme."""
    return _TAB_NEWLINE.sub("", _C0_EDGES.sub("", html.unescape(value or ""))).lower()


def strict_url(value: str) -> str:
    return _IGNORED_STRICT.sub("", html.unescape(value or "")).lower()


def url_attributes(output: str):
    parser = _Elements()
    parser.feed(output)
    parser.close()
    return [(tag, name, value or "") for tag, attrs in parser.found for name, value in attrs if name in URL_ATTRIBUTES]


def warnings_for(output: str) -> list[str]:
    """URLs that only the strict reading turns into a script-capable scheme."""
    return [
        f"{strict_url(value).split(':', 1)[0]}: URL (strict reading) in {name}= on <{tag}>"
        for tag, name, value in url_attributes(output)
        if strict_url(value).startswith(FORBIDDEN_SCHEMES) and not browser_url(value).startswith(FORBIDDEN_SCHEMES)
    ]


def problems(output: str, allowed_tags) -> list[str]:
    """What in sanitised ``output`` could run script (empty list: nothing)."""
    found = []
    lowered = output.lower()
    found += [f"raw {needle}" for needle in FORBIDDEN_TAG_TEXT if needle in lowered]
    parser = _Elements()
    parser.feed(output)
    parser.close()
    for tag, attrs in parser.found:
        if tag not in allowed_tags:
            found.append(f"tag <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"event handler {name}= on <{tag}>")
            if name in FORBIDDEN_ATTRIBUTES:
                found.append(f"attribute {name}= on <{tag}>")
            url = browser_url(value)
            if name in URL_ATTRIBUTES and url.startswith(FORBIDDEN_SCHEMES):
                found.append(f"{url.split(':', 1)[0]}: URL in {name}= on <{tag}>")
    return found


def check(lines, sanitize, allowed_tags):
    """Sanitise every line; return ``(failures, warnings, empty, seconds)``.

    ``failures`` and ``warnings`` are lists of ``(line number, vector,
    output, findings)``.
    """
    failures, warnings, empty = [], [], 0
    started = time.perf_counter()
    for number, vector in enumerate(lines, start=1):
        output = sanitize(vector)
        if not output:
            empty += 1
        found = problems(output, allowed_tags)
        again = sanitize(output)
        if again != output:
            found.append("not stable: a second pass changes the output")
        if found:
            failures.append((number, vector, output, found))
        elif strict := warnings_for(output):
            warnings.append((number, vector, output, strict))
    return failures, warnings, empty, time.perf_counter() - started


def _setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", type=Path, default=DEFAULT_LIST, help="the XSS list (default: %(default)s)")
    parser.add_argument("--show", type=int, default=10, help="failures to print in full")
    args = parser.parse_args(argv)
    if not args.list.is_file():
        print(f"No XSS list at {args.list}: nothing to check (see /work/shared/bad-input/README.md).")
        return 0
    _setup_django()
    from articles.richtext import ALLOWED_TAGS, sanitize

    lines = read_lines(args.list)
    failures, warnings, empty, seconds = check(lines, sanitize, ALLOWED_TAGS)
    print(f"XSS list:        {args.list}")
    print(f"vectors:         {len(lines)}")
    print(f"passed:          {len(lines) - len(failures)}")
    print(f"failed:          {len(failures)} (script-capable output in a current browser)")
    print(f"warnings:        {len(warnings)} (script scheme only under the strict, legacy-browser reading)")
    print(f"emptied:         {empty} (sanitised to nothing)")
    print(f"changed:         {sum(1 for line in lines if sanitize(line) != line)} (output differs from input)")
    print(f"time:            {seconds * 1000:.1f} ms in all, {seconds / max(len(lines), 1) * 1e6:.0f} µs per vector")
    for label, entries in (("FAILED", failures), ("warning", warnings)):
        for number, vector, output, found in entries[: args.show]:
            found = list(dict.fromkeys(found))
            print(f"\n{label} line {number}: {vector[:160]!r}\n  -> {output[:160]!r}\n  {'; '.join(found)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

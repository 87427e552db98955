"""Print what the titles' word breaks cost (the ``word_breaks`` filter, articles/templatetags/titles.py).

    .venv/bin/python benchmarks/title_breaks.py

A list page shows 10 to 20 titles; each is segmented once per process and
then served from the filter's cache. Printed: the first call per title (jieba
and the rules), a cached call, and a list page's worth of titles both ways.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from articles.search.segmentation import display_breaks, get_segmenter  # noqa: E402
from articles.templatetags.titles import title_html  # noqa: E402

SUBJECTS = ["基层党建工作", "党员教育管理", "“三会一课”制度", "社区网格化治理", "农村党组织建设", "党风廉政建设"]
ANGLES = ["存在的问题及对策建议", "的实践与思考", "调研报告（2026年12月3日）", "的几点体会", "路径研究——以某县为例"]


def titles(count):
    return [f"第{n}篇：关于{SUBJECTS[n % len(SUBJECTS)]}{ANGLES[n % len(ANGLES)]}" for n in range(count)]


def per_call(function, items):
    started = time.perf_counter()
    for item in items:
        function(item)
    return (time.perf_counter() - started) / len(items) * 1e6


def main():
    started = time.perf_counter()
    get_segmenter()
    print(f"segmenter load (once per process; gunicorn preloads it): {(time.perf_counter() - started) * 1e3:.0f} ms")
    cold = titles(2000)
    display_breaks.cache_clear()
    title_html.cache_clear()
    first = per_call(title_html, cold)
    cached = per_call(title_html, cold)
    print(f"first call per title: {first:.1f} µs   cached: {cached:.2f} µs   ({len(cold)} distinct titles)")
    page = cold[:20]
    display_breaks.cache_clear()
    title_html.cache_clear()
    print(f"a list page of 20 titles: {per_call(title_html, page) * 20 / 1e3:.2f} ms first, ", end="")
    print(f"{per_call(title_html, page) * 20 / 1e3:.3f} ms cached")
    print(f"cache: {title_html.cache_info()}")


if __name__ == "__main__":
    main()

"""Print how well and how fast 文稿查重 finds copies, at N essays.

    .venv/bin/python benchmarks/copy_detection.py                          # 10,000 essays on PostgreSQL
    .venv/bin/python benchmarks/copy_detection.py --size 100000 --copies 200
    .venv/bin/python benchmarks/copy_detection.py --backend sqlite --size 2000
    # 100,000 essays generated once and kept, then measured as often as needed:
    .venv/bin/python benchmarks/copy_detection.py --size 100000 --copies 200 --generate-only
    .venv/bin/python benchmarks/copy_detection.py --size 100000 --copies 200 --reuse
    .venv/bin/python benchmarks/copy_detection.py --size 100000 --copies 200 --reuse --no-build

The essays are the search benchmark's generator (``benchmarks/search.py``)
with its paragraphs written from the genre's words (:class:`GenreEssays`;
one sentence in six is still one of its templates, the set phrases every
essay shares), loaded with bulk inserts. ``--copies`` of them are then copied the way the issue describes,
each with all of these edits:

* sentences reordered inside each paragraph,
* 10–30 % of the words replaced with the spinner's swaps (a word of the
  proofreader's swap tables replaced by another word of its group, as a
  伪原创 tool does with its thesaurus),
* one or two paragraphs dropped,
* punctuation changed (，→ , 。→ ． ；→ ; and spaces).

Printed: the full index build (``build_copy_index``'s ``rebuild``), the
share of planted copies whose top source is the right essay, the share of
unrelated essays reported above 20 %, check time p50/p95 (one essay against
the whole index), index update time per essay p50/p95 (an essay's text
changed, then ``index_article``), and the index's size.

PostgreSQL runs in its own database (``portal_bench_copies``, created and
dropped unless ``--keep``, ``--reuse`` or ``--generate-only``); SQLite in a file under ``var/``. The run is a child process with
its own settings. Numbers about speed live here, not in tests.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import search as search_bench  # noqa: E402  (the essay generator and bulk loader)

DEFAULT_POSTGRES = search_bench.DEFAULT_POSTGRES
BENCH_DATABASE = "portal_bench_copies"
SQLITE_PATH = ROOT / "var" / "bench-copies.sqlite3"
UNRELATED = 300
UPDATES = 100


def _log(message):
    print(message, file=sys.stderr, flush=True)


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


# ---------------------------------------------------------------- the essays


class GenreEssays(search_bench.EssayGenerator):
    """The search benchmark's essays, with paragraphs of the genre's own words.

    The search generator builds every sentence from 15 templates over a few
    dozen words, so any two of its essays share long runs ("……提供坚强的组织
    保障") as no two essays by different people do. Here most sentences are
    clauses of words drawn by frequency from the team's clean essays
    (``rules/genre_counts.tsv``, 2,775 words); one sentence in six is still
    one of the templates: the set phrases every essay of the genre repeats.
    """

    TEMPLATE_SHARE = 1 / 6

    def __init__(self, seed=20240701):
        super().__init__(seed)
        from articles.essay.spinner import COUNTS_PATH

        words, weights = [], []
        for line in COUNTS_PATH.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or "\t" not in line:
                continue
            word, count = line.split("\t", 1)
            if " " not in word and len(word) >= 2 and count.strip().isdigit():
                words.append(word)
                weights.append(int(count))
        self.words, self.cumulative = words, list(itertools.accumulate(weights))

    def _clause(self):
        r = self.random
        return "".join(r.choices(self.words, cum_weights=self.cumulative, k=r.randint(3, 7)))

    def paragraph(self, sentences, year):
        r = self.random
        out = []
        for _ in range(sentences):
            if r.random() < self.TEMPLATE_SHARE:
                out.append(self.fill(r.choice(search_bench.SENTENCES), year))
            else:
                out.append("，".join(self._clause() for _ in range(r.randint(2, 4))) + "。")
        return "".join(out)


# ---------------------------------------------------------------- the planted copies

_SENTENCE = re.compile(r"[^。！？]*[。！？]")
_PUNCTUATION = str.maketrans({"，": ",", "。": "．", "；": ";", "：": ":", "、": ","})


def _swap_table():
    from articles.essay.copies import shipped_swaps

    groups = {}
    for word, head in shipped_swaps().canonical.items():
        groups.setdefault(head, []).append(word)
    return {word: [other for other in groups[head] if other != word] for head in groups for word in groups[head]}


def spin(paragraphs, rng, neighbours, cut):
    """The issue's edits on a list of paragraphs; returns (text, share of words swapped)."""
    kept = list(paragraphs)
    for _ in range(rng.choice((1, 2))):
        if len(kept) > 3:
            kept.pop(rng.randrange(1, len(kept)))  # never the title
    rate = rng.uniform(0.10, 0.30)
    out, words, swapped = [], 0, 0
    for paragraph in kept:
        sentences = _SENTENCE.findall(paragraph) or [paragraph]
        rng.shuffle(sentences)
        pieces = cut("".join(sentences))
        words += len(pieces)
        swappable = sum(1 for word in pieces if word in neighbours)
        # Only some words have swaps: those are swapped more often, so that the rate is the paragraph's.
        chance = min(1.0, rate * len(pieces) / max(swappable, 1))
        spun = []
        for word in pieces:
            options = neighbours.get(word)
            if options and rng.random() < chance:
                spun.append(rng.choice(options))
                swapped += 1
            else:
                spun.append(word)
        text = "".join(spun).translate(_PUNCTUATION)
        out.append(text.replace(",", ", ", rng.randrange(3)))
    return "\n".join(out), swapped / max(words, 1)


# ---------------------------------------------------------------- one run (child process)


def _plant(size, copies_count):
    """Generate the essays and plant the copies; returns {copy id: source id}."""
    from articles.editing.rules import article_text
    from articles.models import Article, Section
    from articles.search.segmentation import get_segmenter

    rng = random.Random(21)
    ids = list(Article.all_objects.order_by("pk").values_list("pk", flat=True))
    sources = rng.sample(ids, copies_count)
    neighbours, cut = _swap_table(), get_segmenter().cut
    planted = {}
    for source in Article.all_objects.filter(pk__in=sources).prefetch_related("sections"):
        text, _rate = spin(article_text(source).split("\n"), rng, neighbours, cut)
        lines = text.split("\n")
        copy = Article.all_objects.create(title=lines[0][:200], slug=f"copy-{source.pk}", status="draft")
        Section.objects.create(
            article=copy, position=0, level=1, heading="正文", body="".join(f"<p>{line}</p>" for line in lines[1:])
        )
        planted[copy.pk] = source.pk
    from articles.copies.index import clear

    clear()  # the saves above indexed the copies one by one: build from nothing
    return planted


def _swap_rates(planted):
    """The share of words swapped in each planted copy (spin() again with the same random draws)."""
    from articles.editing.rules import article_text
    from articles.models import Article
    from articles.search.segmentation import get_segmenter

    rng = random.Random(21)
    ids = list(Article.all_objects.exclude(pk__in=list(planted)).order_by("pk").values_list("pk", flat=True))
    sources = rng.sample(ids, len(planted))
    neighbours, cut = _swap_table(), get_segmenter().cut
    rates = []
    for source in Article.all_objects.filter(pk__in=sources).prefetch_related("sections"):
        rates.append(spin(article_text(source).split("\n"), rng, neighbours, cut)[1])
    return rates


def run_child(backend, size, copies_count, postgres_url, reuse=False, generate_only=False, build=True):
    database_url = f"{postgres_url}/{BENCH_DATABASE}" if backend == "postgresql" else f"sqlite:///{SQLITE_PATH}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from articles.copies import index
    from articles.copies.check import check_article
    from articles.copies.models import CopyBand, CopyText
    from articles.models import Article, Section

    result = {"backend": backend, "size": size, "copies": copies_count}
    call_command("migrate", verbosity=0)
    existing = Article.all_objects.count()
    if reuse and existing == size + copies_count:
        _log(f"  [{backend} {size}] reusing the kept essays and planted copies")
        planted = {
            pk: int(slug.removeprefix("copy-"))
            for pk, slug in Article.all_objects.filter(slug__startswith="copy-").values_list("pk", "slug")
        }
        result["generate_seconds"] = 0.0
    else:
        if existing:
            raise SystemExit(f"the benchmark database holds {existing} essays, not {size + copies_count}")
        search_bench.EssayGenerator = GenreEssays  # _generate builds its essays with this class
        search_bench._generate(backend, size, {}, result)
        _log(f"  [{backend} {size}] generated in {result['generate_seconds']:.0f} s")
        planted = _plant(size, copies_count)
    if generate_only:
        print(json.dumps(result, ensure_ascii=False))
        return
    rng = random.Random(22)
    ids = list(Article.all_objects.exclude(pk__in=list(planted)).order_by("pk").values_list("pk", flat=True))
    rates = _swap_rates(planted)
    result["swap_rate_mean"] = sum(rates) / len(rates)
    result["swap_rate_min"], result["swap_rate_max"] = min(rates), max(rates)
    if build:
        index.clear()

    # -- the full build (or, with --no-build, the index a kept database holds)
    if build:
        started, cpu = time.perf_counter(), time.process_time()
        index.rebuild(batch_size=200, processes=os.cpu_count() or 1)
        result["build_seconds"] = time.perf_counter() - started
        result["build_cpu_seconds"] = time.process_time() - cpu  # this process only, not the database server's
        children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the worker processes, ended by now
        result["build_workers_cpu_seconds"] = children.ru_utime + children.ru_stime
        result["build_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result["build_worker_peak_rss_mb"] = children.ru_maxrss / 1024
        result["build_loadavg"] = os.getloadavg()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        _log(f"  [{backend} {size}] index built in {result['build_seconds']:.0f} s: {json.dumps(result)}")

    else:
        result["build_seconds"] = None
        _log(f"  [{backend} {size}] the kept index: {CopyText.objects.count()} texts")

    # -- checks: the copies, then unrelated essays (with the time of each step)
    from articles.copies import check

    parts = {"normalise": [], "candidates (SQL)": [], "alignment": []}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                parts[name].append(time.perf_counter() - started)

        return wrapper

    check.copies.normalise = timed("normalise", check.copies.normalise)
    check.candidates = timed("candidates (SQL)", check.candidates)
    check.copies.score = timed("alignment", check.copies.score)
    timings, cpu_timings, right, percents = [], [], 0, []
    for copy in Article.all_objects.filter(pk__in=planted).prefetch_related("sections"):
        started, cpu = time.perf_counter(), time.process_time()
        report = check_article(copy)
        timings.append(time.perf_counter() - started)
        cpu_timings.append(time.process_time() - cpu)
        if report.top is not None and report.top.row.article_id == planted[copy.pk]:
            right += 1
            percents.append(report.top.percent)
    result["found_right_source"] = right / len(planted)
    result["copy_percent_mean"] = sum(percents) / max(len(percents), 1)
    result["copy_percent_min"] = min(percents, default=0)
    involved = set(planted) | set(planted.values())
    unrelated = rng.sample([pk for pk in ids if pk not in involved], min(UNRELATED, len(ids) - len(involved)))
    reported, unrelated_percents = 0, []
    for article in Article.all_objects.filter(pk__in=unrelated).prefetch_related("sections"):
        started, cpu = time.perf_counter(), time.process_time()
        report = check_article(article)
        timings.append(time.perf_counter() - started)
        cpu_timings.append(time.process_time() - cpu)
        unrelated_percents.append(report.percent)
        reported += report.percent > 20
    result["unrelated_over_20"] = reported / len(unrelated)
    result["unrelated_percent_max"] = max(unrelated_percents)
    result["unrelated_percent_mean"] = sum(unrelated_percents) / len(unrelated_percents)
    result["check_parts_p50_ms"] = {name: _percentile(values, 0.5) * 1000 for name, values in parts.items()}
    result["check_parts_p95_ms"] = {name: _percentile(values, 0.95) * 1000 for name, values in parts.items()}
    result["check_p50_ms"] = _percentile(timings, 0.5) * 1000
    result["check_p95_ms"] = _percentile(timings, 0.95) * 1000
    result["check_cpu_p50_ms"] = _percentile(cpu_timings, 0.5) * 1000
    result["check_cpu_p95_ms"] = _percentile(cpu_timings, 0.95) * 1000
    result["check_loadavg"] = os.getloadavg()

    # -- index updates: an essay's text changes, the subscriber's work for it
    updates, update_cpu = [], []
    for pk in rng.sample(ids, UPDATES):
        first = Section.objects.filter(article_id=pk, position=0)
        body = first.values_list("body", flat=True).first()
        first.update(body="<p>修改后的第一段：" + str(pk) + "。</p>")
        started, cpu = time.perf_counter(), time.process_time()
        index.index_article(pk)
        updates.append(time.perf_counter() - started)
        update_cpu.append(time.process_time() - cpu)
        first.update(body=body)  # a kept database stays as generated
        index.index_article(pk)
    result["update_p50_ms"] = _percentile(updates, 0.5) * 1000
    result["update_p95_ms"] = _percentile(updates, 0.95) * 1000
    result["update_cpu_p50_ms"] = _percentile(update_cpu, 0.5) * 1000
    result["update_cpu_p95_ms"] = _percentile(update_cpu, 0.95) * 1000
    result["update_loadavg"] = os.getloadavg()
    result["texts"] = CopyText.objects.count()
    result["bands"] = CopyBand.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_total_relation_size('articles_copytext') + pg_total_relation_size('articles_copyband')"
            )
            result["index_bytes"] = cursor.fetchone()[0]
    print(json.dumps(result, ensure_ascii=False))


# ---------------------------------------------------------------- main


def prepare(backend, postgres_url, reuse=False):
    if reuse:  # the child keeps the essays when there are as many as asked for
        if backend == "postgresql":
            import psycopg2

            try:
                search_bench._postgres_admin(postgres_url, f"CREATE DATABASE {BENCH_DATABASE}")
            except psycopg2.errors.DuplicateDatabase:  # kept from an earlier run
                pass
        return
    if backend == "postgresql":
        search_bench._postgres_admin(postgres_url, f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        search_bench._postgres_admin(postgres_url, f"CREATE DATABASE {BENCH_DATABASE}")
    else:
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)


def cleanup(backend, postgres_url, keep=False):
    if keep:
        return
    if backend == "postgresql":
        search_bench._postgres_admin(postgres_url, f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
    else:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--copies", type=int, default=200, help="planted copies")
    parser.add_argument("--backend", default="postgresql", choices=["sqlite", "postgresql"])
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="server URL without a database name")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the essays and planted copies of a kept database of the same size (implies --keep)",
    )
    parser.add_argument(
        "--generate-only", action="store_true", help="generate the essays and plant the copies, keep them, stop"
    )
    parser.add_argument(
        "--no-build", action="store_true", help="with --reuse: keep the copy index built by an earlier run"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.keep = args.keep or args.reuse or args.generate_only
    if args.child:
        run_child(
            args.backend, args.size, args.copies, args.postgres, args.reuse, args.generate_only, not args.no_build
        )
        return
    _log(f"== {args.backend}, {args.size:,} essays, {args.copies} planted copies")
    prepare(args.backend, args.postgres, reuse=args.reuse)
    started = time.perf_counter()
    try:
        completed = subprocess.run(
            [sys.executable, __file__, "--child", "--backend", args.backend, "--size", str(args.size)]
            + ["--copies", str(args.copies), "--postgres", args.postgres]
            + (["--reuse"] if args.reuse else [])
            + (["--generate-only"] if args.generate_only else [])
            + (["--no-build"] if args.no_build else []),
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        )
    finally:
        cleanup(args.backend, args.postgres, args.keep)
    _log(completed.stdout.strip().splitlines()[-1])
    r = json.loads(completed.stdout.strip().splitlines()[-1])
    minutes = (time.perf_counter() - started) / 60
    if args.generate_only:
        print(f"generated {r['size']:,} essays + {r['copies']} planted copies in {minutes:.1f} min, kept")
        return
    print(f"\n{r['backend']}, {r['size']:,} essays + {r['copies']} planted copies (whole run {minutes:.1f} min)")
    print(
        f"  planted copies: words swapped {r['swap_rate_min']:.0%}–{r['swap_rate_max']:.0%} "
        f"(mean {r['swap_rate_mean']:.0%}), sentences reordered, 1–2 paragraphs dropped, punctuation changed"
    )
    print(
        f"  found with the right source:   {r['found_right_source']:.1%} "
        f"(its share: mean {r['copy_percent_mean']:.1f} %, lowest {r['copy_percent_min']:.1f} %)"
    )
    print(
        f"  unrelated essays above 20 %:   {r['unrelated_over_20']:.1%} of {UNRELATED} "
        f"(mean {r['unrelated_percent_mean']:.1f} %, highest {r['unrelated_percent_max']:.1f} %)"
    )
    print(
        f"  check of one essay:            p50 {r['check_p50_ms']:.0f} ms, p95 {r['check_p95_ms']:.0f} ms "
        f"(CPU of this process p50 {r['check_cpu_p50_ms']:.0f} ms, p95 {r['check_cpu_p95_ms']:.0f} ms; "
        f"load average {r['check_loadavg'][0]:.1f})"
    )
    steps = ", ".join(
        f"{name} {r['check_parts_p50_ms'][name]:.0f}/{r['check_parts_p95_ms'][name]:.0f}"
        for name in r["check_parts_p50_ms"]
    )
    print(f"    of which (p50/p95 ms):       {steps}")
    print(
        f"  index update of one essay:     p50 {r['update_p50_ms']:.0f} ms, p95 {r['update_p95_ms']:.0f} ms "
        f"(CPU of this process p50 {r['update_cpu_p50_ms']:.0f} ms, p95 {r['update_cpu_p95_ms']:.0f} ms; "
        f"load average {r['update_loadavg'][0]:.1f})"
    )
    if r["build_seconds"] is not None:
        print(
            f"  full index build:              {r['build_seconds']:.0f} s ({r['build_seconds'] / 60:.1f} min; "
            f"CPU of the Python processes {r.get('build_cpu_seconds', 0):.0f} s + workers "
            f"{r.get('build_workers_cpu_seconds', 0):.0f} s; peak memory {r.get('build_peak_rss_mb', 0):.0f} MB, "
            f"a worker {r.get('build_worker_peak_rss_mb', 0):.0f} MB; load average after it {r['build_loadavg'][0]:.1f})"
        )
    print(f"  load average at the end:       {os.getloadavg()[0]:.1f} (the machine's cores: {os.cpu_count()})")
    size = f", {r['index_bytes'] / 2**20:.0f} MB" if "index_bytes" in r else ""
    print(f"  index: {r['texts']:,} texts, {r['bands']:,} band rows{size}")


if __name__ == "__main__":
    main()

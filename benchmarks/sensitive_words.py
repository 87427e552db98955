"""Print what checking an essay against the sensitive-word and names lists costs
(articles/essay/sensitive.py: one Aho-Corasick automaton, pyahocorasick).

    .venv/bin/python benchmarks/sensitive_words.py [ENTRIES]

With ENTRIES list entries (10,000 by default: 8,000 sensitive words, 1,000
removed officials' names, 1,000 leaders with titles, all made up here), it
prints the time to build the automaton (once per list version and process),
its memory, and the milliseconds per 10,000 characters of essay text for a
text with no hit and for one with a hit every 200 characters. Target: under
5 ms per 10,000 characters.
"""

import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from articles.essay.sensitive import LEADER, REMOVED, SENSITIVE, Term, TermMatcher

# The text of the genre (our own sentences), repeated to length.
SENTENCES = (
    "基层党组织是党全部工作和战斗力的基础，必须坚持全心全意为人民服务的宗旨。",
    "一些党支部的“三会一课”流于形式，党员参加组织生活的积极性不高。",
    "坚持不懈地开展党员教育培训活动，提高党员队伍的整体素质。",
    "要把抓好党建作为最大的政绩，推动全面从严治党向基层延伸。",
    "部分村党支部多年没有发展党员，后继乏人，带头作用发挥不够。",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "明华国建平志文军伟清海林红英德新永春远东光荣芳成玉兴安"
TITLES = ("省委书记", "省长", "市委书记", "市长", "县委书记", "县长", "组织部部长", "宣传部部长")


def make_terms(count, rng):
    terms, seen = [], set()

    def unique(make):
        while True:
            text = make()
            if text not in seen:
                seen.add(text)
                return text

    names = lambda: rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))  # noqa: E731
    words = lambda: "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.randint(2, 6)))  # noqa: E731
    for _ in range(count * 8 // 10):
        terms.append(Term(SENSITIVE, unique(words), replacement="替换词"))
    for _ in range(count // 10):
        terms.append(Term(REMOVED, unique(names)))
    while len(terms) < count:
        terms.append(Term(LEADER, unique(names), title=rng.choice(TITLES)))
    return terms


def essay_text(length, rng, hits=()):
    parts, size = [], 0
    while size < length:
        sentence = rng.choice(SENTENCES)
        if hits and rng.random() < 0.35:
            sentence = sentence[:10] + rng.choice(hits) + sentence[10:]
        parts.append(sentence)
        size += len(sentence)
    return "".join(parts)[:length]


def ms_per_10k(matcher, text, rounds):
    started = time.perf_counter()
    for _ in range(rounds):
        found = matcher.findings(text)
    elapsed = (time.perf_counter() - started) / rounds
    return elapsed * 1000 * 10_000 / len(text), len(found)


def main():
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rng = random.Random(22)
    terms = make_terms(entries, rng)
    started = time.perf_counter()
    matcher = TermMatcher(terms)
    build = time.perf_counter() - started
    tracemalloc.start()  # a second build, for memory only (tracing slows it down)
    TermMatcher(terms)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"list entries: {matcher.size:,}; automaton built in {build * 1000:.1f} ms (peak {peak / 2**20:.1f} MB traced)"
    )

    clean = essay_text(10_000, rng)
    hit_words = [t.text for t in terms[:50]] + ["省委副书记" + t.text for t in terms if t.kind == LEADER][:20]
    dirty = essay_text(10_000, rng, hits=hit_words)
    for label, text in (("no hit", clean), ("hits", dirty)):
        ms, count = ms_per_10k(matcher, text, rounds=200)
        print(f"{label:>7}: {ms:.3f} ms per 10,000 characters ({count} findings in {len(text):,} characters)")
    long_text = essay_text(100_000, rng, hits=hit_words)
    ms, count = ms_per_10k(matcher, long_text, rounds=20)
    print(f"100,000-character text: {ms:.3f} ms per 10,000 characters ({count} findings)")
    print("target: < 5 ms per 10,000 characters with 10,000 entries")


if __name__ == "__main__":
    main()

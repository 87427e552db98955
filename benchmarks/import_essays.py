"""Time ``manage.py import_essay`` on a folder of 1,000 synthetic essays.

Run from the project root:

    .venv/bin/python benchmarks/import_essays.py [--count 1000] [--seed 7] [--keep]

Essays of the genre (title, lead, 一、 sections with numbered points,
conclusion, 作者单位) are generated from phrase lists written for this
script: titles, section and point counts and the point numbering style vary,
a few back-translation errors (服务→效劳, 发展→开展, 科学发展观→科学开展观,
a lost closing quotation mark …) are injected, and one essay in ten arrives
damaged the way copies from sharing sites do (page markers, line breaks
lost). The folder is imported into a throwaway SQLite database (migrated
first, not timed), once as is and once with ``--fix``, each into a fresh
database. Printed: files, total seconds and essays per second; the target is
1,000 essays in under a minute. A report, not a test: it never fails on a
slow machine.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from articles.essay.numbering import int_to_cn  # noqa: E402  (after the path is set)

PLACES = [
    "青川",
    "平武",
    "黑水",
    "松潘",
    "理塘",
    "茂汶",
    "汶川",
    "德格",
    "丹巴",
    "炉霍",
    "雅江",
    "稻城",
    "乡城",
    "得荣",
    "白玉",
    "石渠",
    "色达",
    "甘孜",
    "康定",
    "泸定",
    "九龙",
    "木里",
    "盐源",
    "会东",
    "宁南",
    "普格",
    "布拖",
    "昭觉",
    "喜德",
    "冕宁",
    "越西",
    "甘洛",
    "美姑",
    "雷波",
    "马边",
    "峨边",
]
LEVELS = ["县", "区", "镇", "街道", "市"]
SUBJECTS = [
    "农村基层党组织建设",
    "城市社区党建引领基层治理",
    "机关党建与业务融合",
    "国有企业党的建设",
    "非公企业党建工作",
    "党员教育管理",
    "基层党风廉政建设",
    "党建引领乡村振兴",
    "软弱涣散党组织整顿",
    "村级后备干部队伍建设",
    "流动党员管理",
    "学校党组织建设",
    "两新组织党建",
    "党建品牌创建",
]
TITLE_FORMS = [
    "{place}{subject}存在的问题及对策建议",
    "关于{place}{subject}的调研报告",
    "{place}{subject}的实践与思考",
    "新时代{place}{subject}的几点思考",
    "加强{place}{subject}的对策研究",
    "{place}{subject}情况的调查与思考",
]
ACTORS = ["基层党组织", "党员干部", "村党支部", "社区党委", "机关党委", "各级党组织", "广大党员", "党支部书记"]
# (right text, wrong text): the wrong text is what a machine round trip writes.
CLAUSES = [
    ("要坚持把政治建设摆在首位", None),
    ("持续推进“两学一做”学习教育常态化制度化", "持续推进“两学一做学习教育常态化制度化"),
    ("切实发挥战斗堡垒作用", None),
    ("不断增强服务群众的本领", "不断增强效劳群众的本领"),
    ("为经济社会发展提供坚强的组织保障", "为经济社会开展提供坚强的组织保障"),
    ("深入贯彻落实科学发展观", "深入贯彻落实科学开展观"),
    ("进一步巩固党的执政地位", "进一步稳固党的执政地位"),
    ("打牢党的工作基础", "打牢党的工作根底"),
    ("带领群众增收致富", "带着群众增收致富"),
    ("严格落实“三会一课”制度", None),
    ("认真开展主题党日活动", None),
    ("着力解决群众反映强烈的突出问题", None),
    ("推动党建工作与中心工作同频共振", None),
    ("建立健全党员联系服务群众机制", None),
    ("营造风清气正的良好氛围", "营造风清气正的良好气氛"),
    ("在广阔的舞台上施展才干", None),
]
SECTION_KINDS = [
    "的重要意义",
    "取得的主要成效",
    "存在的主要问题",
    "问题产生的原因",
    "的对策建议",
]
POINT_HEADINGS = [
    "思想认识不够到位",
    "组织设置不够科学",
    "队伍结构有待优化",
    "制度执行不够严格",
    "活动载体比较单一",
    "经费保障相对不足",
    "强化政治引领",
    "健全组织体系",
    "建强干部队伍",
    "完善制度机制",
    "创新活动方式",
    "加大保障力度",
    "压实主体责任",
    "深化作风建设",
    "推进融合发展",
    "注重典型示范",
]
POINT_STYLES = ["（{cn}）", "({cn})", "{n}.", "{n}、"]
ENUMERATION = ["一是", "二是", "三是", "四是"]


def sentence(rng: random.Random, error_rate: float) -> str:
    clauses = []
    for right, wrong in rng.sample(CLAUSES, rng.randint(2, 3)):
        clauses.append(wrong if wrong and rng.random() < error_rate else right)
    return rng.choice(ACTORS) + "\uff0c".join(clauses) + "。"


def paragraph(rng: random.Random, error_rate: float, enumerate_items: bool = False) -> str:
    sentences = [sentence(rng, error_rate) for _ in range(rng.randint(2, 5))]
    if enumerate_items:
        sentences = [f"{label}{s}" for label, s in zip(ENUMERATION, sentences, strict=False)]
    return "".join(sentences)


def essay(index: int, rng: random.Random) -> str:
    """One essay; ``index`` makes the title unique."""
    place = PLACES[index % len(PLACES)] + LEVELS[(index // len(PLACES)) % len(LEVELS)]
    subject = SUBJECTS[(index // (len(PLACES) * len(LEVELS))) % len(SUBJECTS)]
    title = rng.choice(TITLE_FORMS).format(place=place, subject=subject)
    error_rate = rng.choice([0.0, 0.05, 0.15, 0.3])
    style = rng.choice(POINT_STYLES)
    lines = [title]
    lines += [paragraph(rng, error_rate) for _ in range(rng.randint(1, 2))]
    for s in range(1, rng.randint(2, 5) + 1):
        lines.append(f"{int_to_cn(s)}、{subject}{SECTION_KINDS[(s - 1) % len(SECTION_KINDS)]}")
        if rng.random() < 0.5:
            lines.append(paragraph(rng, error_rate))
        for p, heading in enumerate(rng.sample(POINT_HEADINGS, rng.randint(2, 6)), start=1):
            lines.append(style.format(cn=int_to_cn(p), n=p) + heading)
            for _ in range(rng.randint(1, 3)):
                lines.append(paragraph(rng, error_rate, enumerate_items=rng.random() < 0.2))
    lines.append("总之\uff0c" + paragraph(rng, error_rate))
    lines.append(f"作者单位\uff1a{place}委组织部")
    if rng.random() < 0.1:
        return damaged(lines)
    return "\n".join(lines) + "\n"


def damaged(lines: list[str]) -> str:
    """As copied from a sharing site: breaks lost, pages numbered 1、2、…"""
    text = " ".join(lines)
    pages = [text[i : i + 600] for i in range(0, len(text), 600)]
    return "\n".join(f"{n}、{page}" for n, page in enumerate(pages, start=1)) + "\n"


def generate(folder: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    for index in range(count):
        (folder / f"essay_{index:04d}.txt").write_text(essay(index, rng), encoding="utf-8")


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def timed_import(folder: Path, workdir: Path, name: str, *options: str) -> tuple[float, subprocess.CompletedProcess]:
    database = workdir / f"{name}.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only",
        "ALLOWED_HOSTS": "localhost",
    }
    migrated = manage(env, "migrate", "--noinput")
    if migrated.returncode:
        sys.exit(f"migrate failed:\n{migrated.stderr}")
    started = time.perf_counter()
    result = manage(env, "import_essay", str(folder), *options)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and databases")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="import-essays-"))
    try:
        folder = workdir / "essays"
        folder.mkdir()
        generate(folder, args.count, args.seed)
        files = len(list(folder.glob("*.txt")))
        size = sum(p.stat().st_size for p in folder.glob("*.txt")) / 1e6
        print(f"files: {files} ({size:.1f} MB) in {folder}")
        for name, options in (("import_essay", ()), ("import_essay --fix", ("--fix",))):
            seconds, result = timed_import(folder, workdir, name.replace(" --", "-"), *options)
            summary = result.stderr.strip().splitlines()[-1:]  # 导入 N 篇；失败 M 篇…
            print(
                f"{name}: {seconds:.1f} s total, {files / seconds:.0f} essays/s "
                f"(exit {result.returncode}; {' '.join(summary)})"
            )
        print("target: 1,000 essays in under 60 s (process start-up and Django set-up included)")
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

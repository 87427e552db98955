"""import_essay on real-world texts: other numbering schemes, multi-essay pages (``--split``),
and a database that has not been migrated yet."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article

ROOT = Path(__file__).resolve().parents[2]
REALWORLD = ROOT / "articles" / "essay" / "tests" / "realworld"

MULTI = """党员学习心得体会（通用2篇）
【篇1】坚持学用结合的体会
近一个时期，我认真参加了支部组织的集中学习，对如何把理论学习成果转化为工作实效有了更深认识，现谈两点体会。
一、学习要联系实际
学习的目的全在于运用，要把学到的理论用来分析和解决村里的实际问题，做到学有所思、思有所得、得有所用。
二、学习要持之以恒
理论学习不能一阵风，要坚持每天读一点、每周学一次，日积月累才能真正提高自己的理论水平和工作能力。
【篇2】做一名合格党员的思考
作为一名有着十年党龄的基层党员，我经常思考怎样才能做一名合格的共产党员，结合工作实际谈几点认识。
一、要对党忠诚
忠诚是共产党员的第一品格，要在思想上政治上行动上同党中央保持高度一致，不折不扣落实上级部署。
二、要服务群众
群众的事无小事，要经常走访困难家庭，帮助群众解决看病、就业、子女上学等急难愁盼问题，赢得群众信任。
"""


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except CommandError as error:
        err.write(str(error))
        code = 1
    return code, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_every_dev_set_text_imports_in_a_dry_run_with_json():
    # Done-when: `import_essay --dry-run --json` on any readable .txt exits 0 and prints its structure.
    paths = sorted(str(p) for p in REALWORLD.glob("*.txt"))
    code, out, err = run("import_essay", *paths, "--dry-run", "--json")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == len(paths)
    assert all(json.loads(line)["sections"] for line in lines)


@pytest.mark.django_db
def test_a_page_of_two_essays_imports_as_two_drafts_with_split(tmp_path):
    path = tmp_path / "multi.txt"
    path.write_text(MULTI, encoding="utf-8")
    code, out, err = run("import_essay", str(path), "--split")
    assert code == 0, err
    assert sorted(Article.objects.values_list("title", flat=True)) == ["做一名合格党员的思考", "坚持学用结合的体会"]


@pytest.mark.django_db
def test_without_split_a_multi_essay_page_is_one_draft_and_the_summary_says_so(tmp_path):
    path = tmp_path / "multi.txt"
    path.write_text(MULTI, encoding="utf-8")
    code, out, err = run("import_essay", str(path))
    assert code == 0, err
    assert Article.objects.count() == 1
    assert "--split" in out


@pytest.mark.django_db
def test_json_lists_the_repairs_and_the_summary_counts_them(tmp_path):
    path = tmp_path / "site.txt"
    text = (
        "《党建文稿》由会员分享,可在线阅读,更多相关《党建文稿》请在文库网上搜索。\n"
        + MULTI.split("【篇2】")[0].split("【篇1】")[1]
    )
    path.write_text(text, encoding="utf-8")
    code, out, err = run("import_essay", str(path), "--dry-run", "--json")
    data = json.loads(out)
    assert [r["kind"] for r in data["repairs"]] == ["boilerplate"]
    assert data["title"] == "坚持学用结合的体会"
    code, out, err = run("import_essay", str(path), "--dry-run")
    assert "删除网站附加文字 1 处" in out


def _manage(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}", DEBUG="1", REDIS_URL="")
    return subprocess.run(
        [sys.executable, "manage.py", "import_essay", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_before_migrate_import_is_a_one_line_message_and_a_dry_run_still_works(tmp_path):
    essay = REALWORLD / "r001.txt"
    result = _manage(tmp_path, str(essay))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "migrate" in result.stderr and "请先运行" in result.stderr
    dry = _manage(tmp_path, str(essay), "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["sections"]

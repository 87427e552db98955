"""import_essay, load_demo and demo_editor, as an administrator runs them."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.models import Article, Section
from topics.models import Topic

WELL_FORMED = """关于加强村级党组织建设的几点思考
村级党组织是党在农村全部工作和战斗力的基础。
一、当前村级党组织建设存在的问题
（一）组织生活不够规范
部分村党支部“三会一课”制度落实不到位。
（二）带头人队伍老化
一是年龄偏大；二是学历偏低。
二、加强村级党组织建设的对策建议
（一）严格落实组织生活制度
把组织生活作为党员教育管理的基本途径。
（二）选优配强村党组织书记
拓宽选人视野，注重从致富能手中选拔。
总之，村级党组织建设是一项长期任务。
作者单位：青川县委组织部
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


@pytest.fixture
def essay_file(tmp_path):
    path = tmp_path / "village.txt"
    path.write_text(WELL_FORMED, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_dry_run_json_prints_the_structure_and_stores_nothing(essay_file):
    code, out, _ = run("import_essay", str(essay_file), "--dry-run", "--json")
    assert code == 0
    data = json.loads(out.strip())
    assert data["title"] == "关于加强村级党组织建设的几点思考"
    assert data["author_org"] == "青川县委组织部"
    assert [s["kind"] for s in data["sections"]] == ["problems", "countermeasures"]
    assert [len(s["points"]) for s in data["sections"]] == [2, 2]
    assert set(data["sections"][0]["points"][0]) == {"number", "heading", "body"}
    assert {"title", "subtitle", "author_org", "lead", "sections", "conclusion", "warnings"} <= set(data)
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_import_stores_a_draft_with_ordered_sections_and_points(essay_file):
    Topic.objects.create(name="基层组织建设", slug="jczz")
    code, out, _ = run("import_essay", str(essay_file), "--topic", "jczz")
    assert code == 0, out
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert list(article.topics.values_list("slug", flat=True)) == ["jczz"]
    sections = list(article.sections.all())
    assert [(s.level, s.number, s.heading) for s in sections] == [
        (1, "一、", "当前村级党组织建设存在的问题"),
        (2, "(一)", "组织生活不够规范"),
        (2, "(二)", "带头人队伍老化"),
        (1, "二、", "加强村级党组织建设的对策建议"),
        (2, "(一)", "严格落实组织生活制度"),
        (2, "(二)", "选优配强村党组织书记"),
    ]
    assert [s.position for s in sections] == list(range(6))
    assert sections[4].kind == Section.Kind.COUNTERMEASURES
    assert article.lead == "<p>村级党组织是党在农村全部工作和战斗力的基础。</p>"
    assert "一是年龄偏大" in sections[2].body
    assert not Article.objects.published().exists()


@pytest.mark.django_db
def test_publish_flag_makes_the_essay_public(essay_file):
    code, _, _ = run("import_essay", str(essay_file), "--publish")
    assert code == 0
    assert Article.objects.published().count() == 1


@pytest.mark.django_db
def test_bad_files_are_named_skipped_and_exit_1_while_good_ones_import(tmp_path, essay_file):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    shapeless = tmp_path / "shapeless.txt"
    shapeless.write_text("这只是一段没有任何部分标题的文字。\n第二段也没有。", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    code, out, err = run(
        "import_essay", str(binary), str(empty), str(essay_file), str(shapeless), str(missing)
    )
    assert code == 1
    for path in (binary, empty, shapeless, missing):
        assert str(path) in err
    assert "4 个文件未能导入" in err
    assert Article.objects.count() == 1
    assert Section.objects.count() == 6


@pytest.mark.django_db
def test_gb18030_file_imports(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(WELL_FORMED.encode("gb18030"))
    code, _, _ = run("import_essay", str(path))
    assert code == 0
    assert Article.objects.get().title == "关于加强村级党组织建设的几点思考"


@pytest.mark.django_db
def test_unknown_topic_is_refused_before_anything_is_stored(essay_file):
    code, _, err = run("import_essay", str(essay_file), "--topic", "no-such-topic")
    assert code == 1
    assert "no-such-topic" in err
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_load_demo_loads_the_sample_essay_structured_and_twice_changes_nothing():
    run("load_demo")
    sample = Article.objects.get(title="当前基层党建工作存在的问题及对策建议")
    assert sample.author_org == "海西州纪律检查委员会"
    outline = sample.outline()
    assert [entry.section.kind for entry in outline] == ["significance", "problems", "countermeasures"]
    assert [len(entry.points) for entry in outline] == [3, 3, 5]
    assert sample.is_public and sample.topics.exists()
    assert Article.objects.scheduled().count() == 1
    assert Article.objects.published().count() >= 6
    before = sorted(Article.objects.values_list("id", "title", "published_at", "updated_at"))
    topics_before = sorted(Topic.objects.values_list("id", "name", "parent_id"))
    sections_before = Section.objects.count()
    run("load_demo")
    assert sorted(Article.objects.values_list("id", "title", "published_at", "updated_at")) == before
    assert sorted(Topic.objects.values_list("id", "name", "parent_id")) == topics_before
    assert Section.objects.count() == sections_before


@pytest.mark.django_db
def test_demo_editor_can_log_in_to_the_admin(client, settings):
    settings.DEBUG = True
    code, out, _ = run("demo_editor")
    assert code == 0 and "editor" in out
    user = get_user_model().objects.get(username="editor")
    assert user.is_staff and not user.is_superuser
    assert user.has_perm("articles.change_article")
    assert client.login(username="editor", password="dangjian-demo-2026")
    assert client.get("/admin/articles/article/").status_code == 200


@pytest.mark.django_db
def test_demo_editor_refuses_a_default_password_in_production(settings):
    settings.DEBUG = False
    code, _, err = run("demo_editor")
    assert code == 1 and "--password" in err

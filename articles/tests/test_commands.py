"""import_essay, load_demo and demo_editor, as an administrator runs them."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.essay import Essay, EssayPoint, EssaySection
from articles.essay.layout import essay_text
from articles.essay.proofreading import Finding, apply_corrections
from articles.models import Article, ProofreadingRule, Section
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
        (2, "（一）", "组织生活不够规范"),
        (2, "（二）", "带头人队伍老化"),
        (1, "二、", "加强村级党组织建设的对策建议"),
        (2, "（一）", "严格落实组织生活制度"),
        (2, "（二）", "选优配强村党组织书记"),
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
    code, out, err = run("import_essay", str(binary), str(empty), str(essay_file), str(shapeless), str(missing))
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
def test_load_demo_loads_the_damaged_essay_as_a_structured_draft_and_twice_changes_nothing():
    run("load_demo")
    sample = Article.objects.get(title="新形势下基层党组织建设面临的问题及对策")
    assert sample.author_org == "临河区委组织部"
    outline = sample.outline()
    assert [entry.section.kind for entry in outline] == ["significance", "problems", "countermeasures"]
    assert [len(entry.points) for entry in outline] == [3, 3, 4]
    # Pasted in damaged, it waits for an editor: never published as it came.
    assert sample.status == Article.Status.DRAFT and not sample.is_public and sample.topics.exists()
    assert "科学开展观" in sample.sections.get(number="(一)", kind="countermeasures").body
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


# --------------------------------------------------------------------------
# import_essay: proofreading, --fix, folders


DAMAGED = Path(__file__).resolve().parents[1] / "demo" / "essays" / "000_jiceng_zuzhi_wenti_duice.txt"


def essay_from_json(data):
    return Essay(
        title=data["title"],
        subtitle=data["subtitle"],
        author_org=data["author_org"],
        lead=data["lead"],
        conclusion=data["conclusion"],
        sections=[
            EssaySection(
                s["number"],
                s["heading"],
                s["kind"],
                s["body"],
                [EssayPoint(p["number"], p["heading"], p["body"]) for p in s["points"]],
            )
            for s in data["sections"]
        ],
    )


def as_finding(correction):
    return Finding(**{key: correction[key] for key in Finding.__dataclass_fields__})


@pytest.mark.django_db
def test_json_lists_corrections_as_offsets_into_the_cleaned_text():
    code, out, _ = run("import_essay", str(DAMAGED), "--dry-run", "--json")
    assert code == 0
    data = json.loads(out)
    text = data["text"]
    assert text == essay_text(essay_from_json(data)), "without --fix the fields are the text"
    assert data["corrections"]
    for correction in data["corrections"]:
        assert {
            "start",
            "end",
            "original",
            "suggestion",
            "rule",
            "category",
            "severity",
            "location",
            "explanation",
        } <= set(correction)
        assert text[correction["start"] : correction["end"]] == correction["original"]
    political = [c for c in data["corrections"] if c["severity"] == "political"]
    assert {c["original"] for c in political} == {"科学开展观"}
    assert [c["location"]["path"] for c in political] == ["sections[2].points[0].body", "conclusion"]
    body = data["sections"][2]["points"][0]["body"]
    location = political[0]["location"]
    assert body[location["start"] : location["end"]] == "科学开展观"


@pytest.mark.django_db
def test_fix_applies_every_fixable_correction_to_the_stored_essay():
    code, out, _ = run("import_essay", str(DAMAGED), "--fix", "--json")
    assert code == 0
    data = json.loads(out)
    fixable = [as_finding(c) for c in data["corrections"] if c["fixable"]]
    assert len(fixable) > 20
    fixed_text = essay_text(essay_from_json(data))
    assert apply_corrections(data["text"], fixable) == fixed_text
    assert "科学开展观" not in fixed_text and "科学发展观" in fixed_text
    article = Article.objects.get(pk=data["id"])
    assert article.lead.startswith(
        # --fix also applies the GB/T 15834 width normalisation (, → ，) and
        # the spinner detector's swaps (根底 → 基础: 工作和战斗力的基础)
        "<p>基层党组织是党的全部工作和战斗力的基础。近年来\uff0c我区坚持“大抓基层、大抓支部”的鲜明导向"
    )
    assert [(s.number, s.heading) for s in article.sections.all()][:3] == [
        ("一、", "加强基层党组织建设的重要意义"),
        ("(一)", "推动改革开展的现实需要"),
        ("(二)", "巩固党的执政基础的必然要求"),
    ]


@pytest.mark.django_db
def test_without_fix_the_stored_essay_keeps_its_words_and_the_summary_counts_findings():
    code, out, _ = run("import_essay", str(DAMAGED))
    assert code == 0
    assert "校对\uff1a发现" in out and "政治性 2 处" in out and "--fix" in out
    assert "科学开展观→科学发展观" in out
    assert "稳固党的执政根底的必然要求" in Article.objects.get().sections.values_list("heading", flat=True)


@pytest.mark.django_db
def test_dry_run_fix_json_prints_the_fixed_essay_and_stores_nothing():
    code, out, _ = run("import_essay", str(DAMAGED), "--dry-run", "--fix", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["fixed"] is True and "id" not in data
    assert "科学开展观" not in json.dumps(data["sections"], ensure_ascii=False)
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_a_folder_imports_every_txt_file_and_sums_up_the_failures(tmp_path):
    folder = tmp_path / "essays"
    folder.mkdir()
    (folder / "a.txt").write_text(WELL_FORMED, encoding="utf-8")
    (folder / "b.txt").write_text("只有一段文字\uff0c没有部分标题。", encoding="utf-8")
    (folder / "c.txt").write_text(WELL_FORMED.replace("几点思考", "几点体会"), encoding="utf-8")
    (folder / "notes.md").write_text("不是文稿", encoding="utf-8")
    code, out, err = run("import_essay", str(folder))
    assert code == 1
    assert "导入 2 篇\uff1b失败 1 篇\uff1a" in err
    assert f"{folder / 'b.txt'}\uff1a未识别出文稿结构" in err
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "关于加强村级党组织建设的几点体会",
        "关于加强村级党组织建设的几点思考",
    ]
    assert out.index("a.txt") < out.index("c.txt")


@pytest.mark.django_db
def test_an_empty_folder_is_a_failure(tmp_path, essay_file):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run("import_essay", str(empty), str(essay_file))
    assert code == 1
    assert "导入 1 篇\uff1b失败 1 篇\uff1a" in err and "目录中没有 .txt 文件" in err
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_several_good_files_end_with_a_clean_summary(tmp_path, essay_file):
    other = tmp_path / "other.txt"
    other.write_text(WELL_FORMED, encoding="utf-8")
    code, out, err = run("import_essay", str(essay_file), str(other), "--json")
    assert code == 0
    assert "导入 2 篇\uff1b失败 0 篇。" in err
    assert [json.loads(line)["title"] for line in out.splitlines()] == ["关于加强村级党组织建设的几点思考"] * 2


@pytest.mark.django_db
def test_a_rule_disabled_by_an_editor_is_not_applied_by_fix():
    row = ProofreadingRule.objects.get(rule_id="political.kexue_fazhan_guan")
    row.enabled = False
    row.save()
    code, out, _ = run("import_essay", str(DAMAGED), "--dry-run", "--fix", "--json")
    assert code == 0
    data = json.loads(out)
    assert not any(c["rule"] == "political.kexue_fazhan_guan" for c in data["corrections"])
    assert "科学开展观" in essay_text(essay_from_json(data))

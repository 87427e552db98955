"""文稿查重 on stored essays: the index, the 查重 panel, the 查重报告 page, the reference check,
the confirmation at final approval and the commands."""

import io
import json

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from articles.copies.check import check_article, check_text
from articles.copies.index import index_article
from articles.copies.models import CopyBand, CopyText
from articles.editing import workflow
from articles.essay import copies
from articles.models import Article, ArticleTransition, Section
from articles.tests.factories import make_article, make_draft, make_section
from articles.tests.test_roles import EDITOR, REVIEWER, in_review, logged_in, user_in, workflow_url

pytestmark = pytest.mark.django_db

BODY = (
    "基层党组织是党在社会基层组织中的战斗堡垒，是党的全部工作和战斗力的基础，承担着服务群众、凝聚人心的重要职责。"
    "各级党组织要把抓好党建作为最大的政绩，让村里的合作社办得红红火火，让留守老人吃上热乎饭。"
    "村级组织活动场所要做到有人管事、有钱办事、有场所议事，真正成为群众的主心骨。"
)
OTHER = (
    "社区志愿服务是社区治理的重要力量。退休教师、医生和在校学生踊跃报名，周末的便民摊点前总是排着长队；"
    "从义诊义剪到垃圾分类宣传，从老人陪伴到儿童课后托管，项目贴近居民生活。建立积分兑换制度，"
    "与辖区企业合作提供培训，让志愿服务细水长流。"
)


def essay(body=BODY, make=make_article, **fields):
    article = make(**fields)
    make_section(article, "基层党建工作的重要意义", body=f"<p>{body}</p>")
    index_article(article.pk)
    return article


def report_url(article):
    return reverse("admin:articles_article_copies", args=[article.pk])


# --- the index -------------------------------------------------------------


def test_every_essay_is_indexed_with_its_bands():
    article = essay(author_org="某县委组织部")
    [row] = CopyText.objects.filter(article=article)
    assert row.is_current and row.was_published
    assert CopyBand.objects.filter(text=row).count() == copies.PERMUTATIONS


def _texts_with_keys(*keysets):
    rows = CopyText.objects.bulk_create(
        [CopyText(label=f"参考{i}", text="x", chars="x", digest=f"d{i}") for i in range(len(keysets))]
    )
    CopyBand.objects.bulk_create(
        [CopyBand(key=key, text=row) for row, keys in zip(rows, keysets, strict=True) for key in keys]
    )
    return [row.pk for row in rows]


def test_candidates_leave_out_the_keys_of_set_phrases(monkeypatch):
    from articles.copies import check

    monkeypatch.setattr(check, "COMMON_KEY", 3)
    # Keys 1 and 2: a set phrase four texts share. Keys 7 and 8: a copied passage of two texts.
    first, second, *others = _texts_with_keys([1, 2, 7, 8], [1, 2, 7, 8, 9], [1, 2], [1, 2])
    assert check.candidates([1, 2, 7, 8]) == [first, second]
    monkeypatch.setattr(check, "COMMON_KEY", 10)
    assert check.candidates([1, 2, 7, 8]) == [first, second, *others]


def test_candidates_are_ranked_by_shared_keys_and_capped():
    from articles.copies import check

    ids = _texts_with_keys(*[list(range(100, 100 + n)) for n in range(2, 14)])
    assert check.candidates(list(range(100, 140)), limit=3) == ids[::-1][:3]
    assert check.candidates(list(range(100, 140)), limit=50) == ids[::-1]


def test_a_copy_of_a_draft_in_the_recycle_bin_is_still_found():
    source = essay(make=make_draft)
    source.deleted_at = timezone.now()
    source.save()
    index_article(source.pk)
    report = check_text(BODY + OTHER)
    assert report.top.article == source
    assert report.top.status_label == "回收站"


def test_the_published_version_stays_indexed_after_the_essay_changes():
    source = essay()
    Section.objects.filter(article=source).update(body=f"<p>{OTHER}</p>")
    index_article(source.pk)
    rows = CopyText.objects.filter(article=source)
    assert rows.count() == 2 and rows.filter(is_current=True).count() == 1
    report = check_text(BODY)
    assert report.top.article == source and report.top.percent >= 90
    assert report.top.status_label == "曾发布的版本"


def test_a_drafts_earlier_texts_are_not_kept():
    source = essay(make=make_draft)
    Section.objects.filter(article=source).update(body=f"<p>{OTHER}</p>")
    index_article(source.pk)
    assert CopyText.objects.filter(article=source).count() == 1
    assert check_text(BODY).top is None


def test_a_purged_essay_leaves_the_index():
    source = essay()
    Article.all_objects.filter(pk=source.pk).delete()
    index_article(source.pk)
    assert not CopyText.objects.exists() and not CopyBand.objects.exists()


def test_the_index_follows_essay_changed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article()
        make_section(article, "一", body=f"<p>{BODY}</p>")
    assert CopyText.objects.get(article=article).is_current


def test_an_essay_is_not_its_own_source():
    article = essay()
    assert check_article(article).top is None


def test_a_copy_names_its_source_with_status_and_unit():
    source = essay(author_org="某县委组织部", title="关于基层党建的思考")
    copy = essay(body=BODY + OTHER, make=make_draft)
    report = check_article(copy)
    assert report.top.article == source
    assert report.summary().startswith("与《关于基层党建的思考》（已发布，作者单位某县委组织部）重复 ")
    assert 40 <= report.percent <= 70
    assert report.longest >= copies.MIN_PASSAGE


# --- the panel and the report page ------------------------------------------


def test_the_change_page_shows_the_panel_with_a_link_to_the_report(admin_client):
    source = essay(title="原文")
    copy = essay(make=make_draft, title="抄袭稿")
    page = admin_client.get(reverse("admin:articles_article_change", args=[copy.pk])).content.decode()
    assert "查重" in page and "《原文》" in page and report_url(copy) in page
    assert reverse("admin:articles_article_change", args=[source.pk]) in page


def test_the_report_shows_each_source_side_by_side_with_marks(admin_client):
    source = essay(title="原文")
    copy = essay(body=OTHER + BODY, make=make_draft, title="抄袭稿")
    response = admin_client.get(report_url(copy))
    assert response.status_code == 200
    page = response.content.decode()
    assert "全文重复率" in page and "《原文》" in page
    assert "<mark>" in page and "copy-compare__columns" in page
    assert "连续相同 13 字" in page  # how the percentage is computed
    [item] = response.context["comparisons"]
    assert item.source.article == source


def test_the_report_is_staff_only(client, admin_client):
    copy = essay(make=make_draft)
    response = client.get(report_url(copy))
    assert response.status_code == 302 and "/login/" in response.url
    assert admin_client.get(reverse("admin:articles_article_copies", args=[999999])).status_code == 404


def test_staff_without_the_view_permission_get_403(client):
    from django.contrib.auth import get_user_model

    draft = essay(make=make_draft)
    nobody = get_user_model().objects.create_user("nobody", password="x", is_staff=True)
    assert logged_in(client, nobody).get(report_url(draft)).status_code == 403


# --- the reference check ---------------------------------------------------


def test_a_pasted_reference_is_compared_and_not_stored(admin_client):
    article = essay(make=make_draft)
    before = CopyText.objects.count()
    response = admin_client.post(report_url(article), {"text": "往年材料：" + BODY, "label": "去年的材料"})
    assert response.status_code == 200
    reference = response.context["reference"]
    assert reference.title == "去年的材料" and reference.percent >= 70
    assert CopyText.objects.count() == before


def test_a_reference_kept_as_private_is_checked_against_later(admin_client):
    article = essay(make=make_draft, body=OTHER)
    docx_file = io.BytesIO()
    document = docx.Document()
    document.add_paragraph(BODY)
    document.save(docx_file)
    upload = SimpleUploadedFile("材料.docx", docx_file.getvalue())
    response = admin_client.post(report_url(article), {"upload": upload, "label": "外单位材料", "keep": "on"})
    assert response.status_code == 200
    row = CopyText.objects.get(kind=CopyText.Kind.REFERENCE)
    assert row.label == "外单位材料" and row.article is None
    assert check_text(BODY).top.status_label == "私有参考文本"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   "}, "请粘贴参考文本"),
        ({"upload": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}, "只能上传纯文本 .txt 或 Word .docx"),
        ({"upload": SimpleUploadedFile("a.docx", b"not a zip")}, "无法读取文件"),
        ({"text": "甲" * 200_001}, "参考文本过长"),
    ],
)
def test_bad_references_are_a_400_with_a_chinese_message(admin_client, data, message):
    article = essay(make=make_draft)
    response = admin_client.post(report_url(article), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CopyText.objects.filter(kind=CopyText.Kind.REFERENCE).exists()


def test_hostile_references_never_break_the_page(admin_client):
    from pathlib import Path

    folder = Path("/work/shared/bad-input")
    if not folder.is_dir():
        pytest.skip("no shared hostile-input lists on this machine")
    article = essay(make=make_draft)
    lines = [line for path in sorted(folder.glob("*.txt")) for line in path.read_text("utf-8", "replace").splitlines()]
    assert lines
    for line in lines[:200]:
        response = admin_client.post(report_url(article), {"text": line, "label": line[:200]})
        assert response.status_code in (200, 400)


# --- final approval -------------------------------------------------------


def test_final_approval_of_a_copy_needs_the_approvers_confirmation(settings, client):
    settings.REVIEW_STAGES = 1
    essay(title="原文")
    reviewer = user_in(REVIEWER, "checker")
    copy = in_review(created_by=user_in(EDITOR, "writer"))
    make_section(copy, "一", body=f"<p>{BODY}</p>")
    index_article(copy.pk)
    logged_in(client, reviewer)
    refused = client.post(workflow_url(copy, "approve"), {"comment": "", "confirm_secrecy": "on"})
    assert refused.status_code == 400
    assert "我已查看查重报告，确认发布" in refused.content.decode()
    copy.refresh_from_db()
    assert copy.status == Article.Status.IN_REVIEW
    page = client.get(reverse("admin:articles_article_change", args=[copy.pk])).content.decode()
    assert 'name="confirm_copies"' in page
    done = client.post(
        workflow_url(copy, "approve"), {"comment": "同意", "confirm_copies": "on", "confirm_secrecy": "on"}
    )
    assert done.status_code == 302
    copy.refresh_from_db()
    assert copy.status == Article.Status.PUBLISHED
    step = copy.transitions.get(action=ArticleTransition.Action.APPROVE)
    assert step.user == reviewer and step.at is not None
    assert "同意" in step.comment and "查重重复率 " in step.comment and "审核人已查看查重报告并确认发布" in step.comment


def test_below_the_threshold_no_confirmation_is_asked(settings):
    settings.REVIEW_STAGES = 1
    settings.COPY_CHECK_CONFIRM_PERCENT = 101
    essay(title="原文")
    reviewer = user_in(REVIEWER, "checker")
    copy = in_review(created_by=user_in(EDITOR, "writer"))
    make_section(copy, "一", body=f"<p>{BODY}</p>")
    workflow.approve(copy, reviewer, "同意", confirm_secrecy=True)
    copy.refresh_from_db()
    assert copy.status == Article.Status.PUBLISHED
    assert "查重" not in copy.transitions.get(action=ArticleTransition.Action.APPROVE).comment


# --- commands --------------------------------------------------------------


def test_check_copies_prints_json_per_essay():
    source = essay(title="原文")
    copy = essay(make=make_draft, title="抄袭稿")
    out = io.StringIO()
    call_command("check_copies", str(copy.pk), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["id"] == copy.pk and data["percent"] >= 90
    assert data["sources"][0]["article_id"] == source.pk
    out = io.StringIO()
    call_command("check_copies", "--all", stdout=out)
    assert f"#{copy.pk}《抄袭稿》：重复率 " in out.getvalue()


def test_check_copies_needs_ids_or_all_and_names_missing_essays():
    with pytest.raises(CommandError, match="二者选一"):
        call_command("check_copies")
    with pytest.raises(CommandError, match="文稿不存在：424242"):
        call_command("check_copies", "424242")


def test_build_copy_index_indexes_essays_loaded_without_events():
    article = make_article()
    make_section(article, "一", body=f"<p>{BODY}</p>")
    CopyText.objects.all().delete()
    out = io.StringIO()
    call_command("build_copy_index", "--no-progress", stdout=out)
    assert "查重索引已重建" in out.getvalue()
    assert CopyText.objects.get(article=article).is_current


def test_import_essay_check_copies_refuses_an_identical_file(tmp_path):
    from articles.tests.test_admin_import import ESSAY

    path = tmp_path / "a.txt"
    path.write_text(ESSAY, encoding="utf-8")
    call_command("import_essay", str(path), "--check-copies", stdout=io.StringIO(), stderr=io.StringIO())
    assert Article.objects.count() == 1
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_essay", str(path), "--check-copies", stdout=io.StringIO(), stderr=err)
    assert "相同（重复 100%），未导入" in err.getvalue()
    assert Article.objects.count() == 1
    out = io.StringIO()
    call_command("import_essay", str(path), "--check-copies", "--dry-run", "--json", stdout=out)
    assert json.loads(out.getvalue())["copies"]["percent"] == 100.0


def test_build_copy_index_adds_the_published_revisions_of_the_history():
    import reversion

    from articles.editing import revisions

    article = make_article(title="去年的文稿")
    make_section(article, "一", body=f"<p>{BODY}</p>")
    with reversion.create_revision():
        revisions.add_essay(article)
    Section.objects.filter(article=article).update(body=f"<p>{OTHER}</p>")
    CopyText.objects.all().delete()
    call_command("build_copy_index", "--no-progress", stdout=io.StringIO())
    assert CopyText.objects.filter(article=article).count() == 2
    report = check_text(BODY)
    assert report.top.article == article and report.top.status_label == "曾发布的版本"


def test_a_working_copy_of_a_live_essay_is_not_a_copy_of_that_essay():
    """修改稿: the change to a live essay shares nearly all of its text with the essay itself (and
    with the essay's published versions); that is the essay's own text, not a copy to confirm."""
    live = essay(author_org="某县委组织部")
    copy, _created = workflow.start_change(live, user_in(EDITOR, "copy-editor"))
    section = copy.sections.get()
    section.body = f"<p>{BODY}另外补充一句说明。</p>"
    section.save()
    index_article(copy.pk)
    assert check_article(copy).percent == 0
    assert check_article(Article.objects.get(pk=live.pk)).percent == 0
    # A third essay with the same text is still a copy of both.
    third = essay()
    assert check_article(third).percent > 80  # all but its own title and lead

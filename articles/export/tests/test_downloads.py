"""下载 Word / PDF: publication control on every request, caching per version, staff and 汇编."""

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from docx import Document

from accounts import roles
from articles.editing import workflow
from articles.export import files
from articles.export.tests.pdfcheck import need_soffice
from articles.models import Article, Compilation
from articles.tests.factories import make_article, make_draft, make_scheduled, make_topic

pytestmark = pytest.mark.django_db

DOCX = files.FORMATS["docx"]


def download(article, fmt):
    return reverse("articles:download", args=[article.slug, fmt])


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def essay(title="关于加强社区党组织建设的几点思考", **fields):
    return make_article(title, sections=3, points=2, **fields)


def stored(settings):
    folder = Path(settings.ESSAY_EXPORT_DIR)
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_a_published_essay_downloads_as_docx_in_gongwen_layout(client, settings):
    article = essay()
    response = client.get(download(article, "docx"))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert "attachment" in response["Content-Disposition"]
    assert "no-cache" in response["Cache-Control"]
    document = Document(io.BytesIO(body(response)))
    assert document.paragraphs[0].text == "关于加强社区党组织建设的几点思考"
    assert document.paragraphs[-1].text.endswith("日") and document.paragraphs[-2].text == "海西州纪律检查委员会"
    # Kept outside MEDIA_ROOT, named by essay, version and layout.
    assert stored(settings) == [f"essay-{article.pk}-v{article.version}-l1.docx"]
    assert not str(settings.ESSAY_EXPORT_DIR).startswith(str(settings.MEDIA_ROOT))


def test_the_same_version_answers_304_and_a_new_version_a_new_file(client):
    article = essay()
    first = client.get(download(article, "docx"))
    etag = first["ETag"]
    assert client.get(download(article, "docx"), HTTP_IF_NONE_MATCH=etag).status_code == 304
    article.title = "关于加强社区党组织建设的再思考"
    article.save()
    again = client.get(download(article, "docx"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag
    assert Document(io.BytesIO(body(again))).paragraphs[0].text == "关于加强社区党组织建设的再思考"


def test_a_withdrawn_essay_is_404_in_both_formats_at_once(client, admin_user, settings):
    article = essay()
    for fmt in ("docx", "pdf"):
        files.write(files.essay_file(article.pk, article.version, fmt), b"made before the withdrawal")
    assert client.get(download(article, "docx")).status_code == 200
    workflow.unpublish(article, admin_user)
    for fmt in ("docx", "pdf"):
        assert client.get(download(article, fmt)).status_code == 404
        # Even a client holding the old ETag gets nothing but 404.
        assert client.get(download(article, fmt), HTTP_IF_NONE_MATCH=f'"{article.pk}-1-1-{fmt}"').status_code == 404


def test_drafts_scheduled_deleted_and_unknown_essays_are_404(client):
    draft, scheduled = make_draft(), make_scheduled()
    deleted = essay()
    Article.all_objects.filter(pk=deleted.pk).update(deleted_at=deleted.published_at)
    for article in (draft, scheduled, deleted):
        for fmt in ("docx", "pdf"):
            assert client.get(download(article, fmt)).status_code == 404
    assert client.get(reverse("articles:download", args=["no-such-essay", "docx"])).status_code == 404
    assert client.get(download(essay("另一篇文稿"), "exe")).status_code == 404
    assert client.get(f"/articles/{'a' * 300}/download.docx").status_code == 404


def test_the_pdf_is_made_by_a_task_and_the_first_request_may_wait(client, no_task_worker):
    article = essay()
    response = client.get(download(article, "pdf"))
    assert response.status_code == 202
    assert response["Retry-After"] == "5"
    assert "正在生成" in response.content.decode()
    assert [result.task.name for result in no_task_worker.results] == ["make_pdf"]
    # Asked again meanwhile: still pending, and queued once.
    assert client.get(download(article, "pdf")).status_code == 202
    assert len(no_task_worker.results) == 1


def test_without_libreoffice_the_pdf_is_503_and_the_docx_still_works(client, monkeypatch):
    monkeypatch.setattr("articles.export.pdf.soffice", lambda: None)
    article = essay()
    response = client.get(download(article, "pdf"))
    assert response.status_code == 503 and "Word" in response.content.decode()
    assert client.get(download(article, "docx")).status_code == 200


def test_the_pdf_downloads_once_made(client):
    need_soffice()
    article = essay()
    response = client.get(download(article, "pdf"))  # the tests' tasks run at once
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert body(response).startswith(b"%PDF")


def test_downloads_are_rate_limited_per_client(client, settings):
    settings.ESSAY_EXPORT_RATE_LIMIT = 2
    article = essay()
    statuses = [client.get(download(article, "docx")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_essay_page_offers_both_downloads(client):
    article = essay()
    html = client.get(article.get_absolute_url()).content.decode()
    assert download(article, "docx") in html and download(article, "pdf") in html
    assert "下载 Word" in html and "下载 PDF" in html


def test_a_hostile_title_makes_a_safe_file_name(client):
    article = essay()
    Article.objects.filter(pk=article.pk).update(title='../..\\evil"\r\nSet-Cookie: x=1\u202e.exe')
    response = client.get(download(article, "docx"))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and "/" not in disposition.split("filename")[1]
    assert disposition.endswith(".docx") or ".docx" in disposition


# ---------------------------------------------------------------- staff


def staff(role):
    user = get_user_model().objects.create_user(f"u-{role}", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_staff_download_drafts_from_the_admin_readers_cannot(client):
    draft = make_draft("一篇尚在修改的文稿", sections=1)
    url = reverse("admin:articles_article_export", args=[draft.pk, "docx"])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(staff(roles.EDITOR))
    response = client.get(url)
    assert response.status_code == 200
    assert Document(io.BytesIO(body(response))).paragraphs[0].text == "一篇尚在修改的文稿"
    assert client.get(reverse("admin:articles_article_export", args=[draft.pk, "zip"])).status_code == 404
    change = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert url in change


# ---------------------------------------------------------------- 汇编


@pytest.mark.django_db(transaction=True)
def test_a_compilation_of_selected_essays_builds_with_progress_and_downloads(client, settings):
    need_soffice()
    first, second = essay(), make_article("第二篇文稿", sections=2, points=1)
    draft = make_draft("未发布的文稿")
    user = staff(roles.EDITOR)
    client.force_login(user)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "compile_selected", "_selected_action": [first.pk, second.pk, draft.pk]},
        follow=True,
    )
    assert "已开始生成汇编" in response.content.decode()
    compilation = Compilation.objects.get()
    assert compilation.article_ids == [second.pk, first.pk]  # published only, oldest first
    assert (compilation.status, compilation.progress, compilation.requested_by) == ("done", 100, user)
    assert not str(settings.ESSAY_EXPORT_DIR).startswith(str(settings.MEDIA_ROOT))
    page = client.get(reverse("admin:articles_compilation_change", args=[compilation.pk])).content.decode()
    assert 'value="100"' in page
    docx = client.get(reverse("admin:articles_compilation_file", args=[compilation.pk, "docx"]))
    assert docx.status_code == 200
    document = Document(io.BytesIO(body(docx)))
    contents = [p.text for p in document.paragraphs if p.style.name == "Gongwen TOC"]
    assert contents[0].startswith("第二篇文稿\t1")
    assert contents[1].startswith("关于加强社区党组织建设的几点思考\t") and int(contents[1].split("\t")[1]) > 1
    pdf = client.get(reverse("admin:articles_compilation_file", args=[compilation.pk, "pdf"]))
    assert body(pdf).startswith(b"%PDF")
    client.logout()
    assert client.get(reverse("admin:articles_compilation_file", args=[compilation.pk, "pdf"])).status_code == 302


def test_a_compilation_by_topic_and_year_needs_matching_essays(client, no_task_worker):
    topic = make_topic("组织建设")
    inside = essay(topics=[topic])
    make_article("别的专题的文稿")
    client.force_login(staff(roles.EDITOR))
    add = reverse("admin:articles_compilation_add")
    empty = client.post(add, {"title": "汇编", "year": "1990"})
    assert empty.status_code == 200 and "没有符合条件的已发布文稿" in empty.content.decode()
    neither = client.post(add, {"title": "汇编"})
    assert "请选择专题或年份" in neither.content.decode()
    response = client.post(add, {"title": "组织建设文稿汇编", "topic": topic.pk, "year": inside.published_at.year})
    assert response.status_code == 302
    compilation = Compilation.objects.get()
    assert compilation.article_ids == [inside.pk] and compilation.status == "queued"


def test_export_files_are_kept_out_of_what_is_served(settings, tmp_path):
    from articles.export.checks import check_essay_export_directory

    settings.ESSAY_EXPORT_DIR = Path(settings.MEDIA_ROOT) / "exports"
    assert [error.id for error in check_essay_export_directory(None)] == ["articles.E001"]
    settings.ESSAY_EXPORT_DIR = tmp_path / "essay-exports"
    assert check_essay_export_directory(None) == []


def test_readers_and_authors_cannot_reach_compilations(client):
    compilation = Compilation.objects.create(title="汇编", article_ids=[])
    url = reverse("admin:articles_compilation_file", args=[compilation.pk, "docx"])
    assert client.get(url).status_code == 302
    client.force_login(staff(roles.AUTHOR))
    assert client.get(url).status_code == 403
    assert client.get(reverse("admin:articles_compilation_changelist")).status_code == 403

"""Issue 20, item 6 in a real browser: a reviewer comments on a section, the author
sees the comment next to that section and marks it resolved.

Debian's chromium through Playwright against pytest-django's live server (the
``browser`` fixture of config/tests/test_reader_browser.py: skipped where either
is missing, a failure under CI; a failing test leaves screenshots in test-artifacts/).
"""

import pytest
from django.conf import settings
from django.test import Client

from config.tests.test_reader_browser import ARTIFACTS, browser, open_page  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in_page(browser, live_server, user):  # noqa: F811
    client = Client()
    client.force_login(user)
    page = open_page(browser)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    return page


def test_a_reviewer_comments_on_a_section_and_the_author_resolves_it(browser, live_server, request):  # noqa: F811
    try:
        _comment_and_resolve(browser, live_server)
    except Exception:
        # The fixture's screenshots need a hook only config/tests has: taken here.
        ARTIFACTS.mkdir(exist_ok=True)
        for n, page in enumerate(browser.pages_opened):
            if not page.is_closed():
                page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{n}.png"), full_page=True)
        raise


def _comment_and_resolve(browser, live_server):  # noqa: F811
    from articles.editing import workflow
    from articles.models import Article, SectionComment
    from articles.tests.factories import make_draft, make_section
    from articles.tests.test_roles import AUTHOR, REVIEWER, change_url, user_in

    author = user_in(AUTHOR, "author")
    reviewer = user_in(REVIEWER, "reviewer")
    article = make_draft("浏览器里审核的文稿", created_by=author)
    make_section(article, "重要意义", number="一、", body="<p>意义部分。</p>")
    problems = make_section(article, "存在的问题", number="二、", body="<p>组织生活流于形式。</p>")
    workflow.submit(article, author)

    page = logged_in_page(browser, live_server, reviewer)
    page.goto(live_server.url + change_url(article))
    page.select_option("#id_comment_section", str(problems.pk))
    page.fill("#id_comment_text", "请补充近三年的数据。")
    with page.expect_navigation():
        page.click("#section-comments input[type=submit][value=提出意见]")
    assert "已对“二、存在的问题”提出意见" in page.content()
    comment = SectionComment.objects.get()
    assert comment.section_id == problems.pk and comment.author == reviewer

    workflow.reject(Article.objects.get(pk=article.pk), reviewer, "请按审核意见修改。")

    page = logged_in_page(browser, live_server, author)
    page.goto(live_server.url + change_url(article))
    assert "尚有 1 条审核意见未标为已解决" in page.content()
    # Next to its section in the inline, and in the list of comments.
    inline = page.locator(".inline-related").filter(has=page.locator(f"input[name$='-id'][value='{problems.pk}']"))
    assert "请补充近三年的数据。" in inline.inner_text()
    with page.expect_navigation():
        page.click(f"#comment-{comment.pk} input[type=submit]")
    assert "已将这条意见标为已解决" in page.content()
    assert "已解决：author" in page.locator(f"#comment-{comment.pk}").inner_text()
    comment.refresh_from_db()
    assert comment.resolved_by == author and comment.resolved_at is not None
    assert not page.errors

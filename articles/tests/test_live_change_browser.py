"""A change to a live essay through three review stages, in a real browser.

An editor opens the published essay, presses 修改（送审后生效）, changes the lead
of the working copy and sends it to review; three reviewers, each in their own
browser session, open 待我审核, the reading view (审阅) and approve. The public
page keeps the old text until the third approval and shows the new one after.

Debian's chromium through Playwright against pytest-django's live server
(the fixture of config/tests/test_reader_browser.py: skipped where chromium or
Playwright is missing, a failure under CI). Every click and login is counted
(printed, and in the README); the reading view is kept as
var/screenshots/review-view-1280.png, and on failure each open page is saved
as a screenshot in var/screenshots/.
"""

import re

import pytest
from django.conf import settings

from config.tests.test_reader_browser import CHROMIUM, browser, open_page  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = settings.BASE_DIR / "var" / "screenshots"
PASSWORD = "dangjian-test-2026"
OLD_LEAD = "基层党建工作要坚持围绕中心、服务大局的工作思路。"
NEW_LEAD = "基层党建工作要坚持围绕中心、服务大局，把党的政治优势转化为发展优势。"


class Counter:
    clicks = 0
    logins = 0


def click(target, counter):
    counter.clicks += 1
    target.click()


def log_in(browser, live_server, username, counter):  # noqa: F811
    from django.urls import reverse

    page = open_page(browser, viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("admin:login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    click(page.locator("input[type=submit]"), counter)
    page.wait_for_url(re.compile(re.escape(reverse("admin:index")) + "$"))
    counter.logins += 1
    return page


def public_lead(browser, live_server, article):  # noqa: F811
    page = open_page(browser)
    page.goto(live_server.url + article.get_absolute_url())
    text = page.locator(".essay__lead").inner_text()
    page.context.close()
    return text


def test_a_live_essay_changed_through_three_stages(live_server, browser, request):  # noqa: F811
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from accounts import roles
    from articles.models import Article
    from articles.tests.factories import make_article

    users = get_user_model().objects
    for username, role in [("bianji", roles.EDITOR), *[(f"shenhe{n}", roles.REVIEWER) for n in (1, 2, 3)]]:
        user = users.create_user(username, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=role))
    article = make_article("加强农村基层党组织建设的几点思考", sections=2, points=1, lead=f"<p>{OLD_LEAD}</p>")
    changelist = reverse("admin:articles_article_changelist")
    counter = Counter()
    try:
        assert public_lead(browser, live_server, article) == OLD_LEAD

        # The editor: 文稿 → the essay → 修改（送审后生效） → the lead → 保存并继续编辑 → 送审.
        page = log_in(browser, live_server, "bianji", counter)
        click(page.locator(f'#content-main a[href="{changelist}"]').first, counter)
        click(page.get_by_role("link", name=article.title, exact=True), counter)
        click(page.locator("#start-working-copy"), counter)
        page.wait_for_selector("#working-copy-panel")
        lead = page.locator("#essay-lead .ck-editor__editable")
        lead.wait_for(state="visible", timeout=20_000)
        click(lead, counter)
        page.keyboard.press("Control+A")
        page.keyboard.type(NEW_LEAD)
        click(page.locator("input[name=_continue]").first, counter)
        page.wait_for_selector(".messagelist .success")
        click(page.locator("#workflow-panel input[value=送审]"), counter)
        page.wait_for_selector(".messagelist .success")
        copy = Article.objects.get(live_original=article)
        assert copy.status == Article.Status.IN_REVIEW and NEW_LEAD in copy.lead
        page.context.close()
        assert public_lead(browser, live_server, article) == OLD_LEAD

        # Three reviewers in turn: 文稿 → 待我审核 → 审阅 (rendered, with the diff) → 审核通过.
        for n, stage in [(1, "初审"), (2, "复审"), (3, "终审")]:
            page = log_in(browser, live_server, f"shenhe{n}", counter)
            click(page.locator(f'#content-main a[href="{changelist}"]').first, counter)
            click(page.locator("#changelist-filter").get_by_role("link", name="待我审核"), counter)
            click(page.get_by_role("link", name="审阅", exact=True), counter)
            page.wait_for_selector("#review-diff")
            assert "与已发布版本的差异" in page.locator("#review-diff h2").inner_text()
            assert page.locator("#review-diff ins").count() >= 1
            assert NEW_LEAD in page.locator(".review-essay .essay__lead").inner_text()
            assert page.locator(".review-essay nav.toc").count() == 1
            if n == 1:  # kept to look at, like the reading site's screenshots
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / "review-view-1280.png"), full_page=True)
            if stage == "终审":  # 保密审查: the final approval makes the change public
                click(page.locator("#id_review_confirm_secrecy"), counter)
            click(page.locator(f"#review-actions input[value='审核通过（{stage}）']"), counter)
            page.wait_for_url(re.compile(r"\?review=mine$"))
            assert page.locator(".messagelist .success").count() == 1
            assert page.errors == []
            page.context.close()
            expected = NEW_LEAD if stage == "终审" else OLD_LEAD
            assert public_lead(browser, live_server, article) == expected, stage

        assert not Article.objects.filter(live_original=article).exists()
        print(f"\nA change to a live essay through three stages: {counter.clicks} clicks, {counter.logins} logins")
        assert (counter.clicks, counter.logins) == (7 + 3 * 5 + 1, 4)
    except Exception:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for n, opened in enumerate(browser.pages_opened):
            if not opened.is_closed():
                opened.screenshot(path=str(SCREENSHOTS / f"{request.node.name}-{n}.png"), full_page=True)
        raise

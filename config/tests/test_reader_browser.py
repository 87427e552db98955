"""The reading site in a real browser: accessibility (axe-core), the reader's
flow and the editor's flow, under the site's strict CSP.

Drives Debian's chromium (/usr/bin/chromium, never a downloaded browser)
through Playwright against pytest-django's live server. Where chromium,
Playwright or axe-core (``npm ci``, run by ``make setup``) is missing the
tests skip with the reason, except under CI (``CI`` set), where that is a
failure. A failing test leaves a screenshot in test-artifacts/.
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = settings.BASE_DIR / "test-artifacts"
# Screenshots of the main pages at desktop and phone widths, kept after every
# run to look at (var/ is not in git).
SCREENSHOTS = settings.BASE_DIR / "var" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _missing(reason):
    if os.environ.get("CI"):
        pytest.fail(f"CI requires the browser tests: {reason}")
    pytest.skip(reason)


@pytest.fixture
def browser(request):
    if not CHROMIUM.exists():
        _missing(f"no chromium at {CHROMIUM}: install Debian's chromium package to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed (requirements-dev.txt)")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            browser.pages_opened = []
            try:
                yield browser
            finally:
                report = getattr(request.node, "report_call", None)
                if report is not None and report.failed:
                    ARTIFACTS.mkdir(exist_ok=True)
                    for n, page in enumerate(browser.pages_opened):
                        if not page.is_closed():
                            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{n}.png"), full_page=True)
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def open_page(browser, **options):
    context = browser.new_context(locale="zh-CN", **options)
    context.add_init_script(
        "window.__csp = [];"
        "document.addEventListener('securitypolicyviolation', e =>"
        " window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    browser.pages_opened.append(page)
    return page


@pytest.fixture
def site():
    from articles.search.indexing import rebuild as index_everything
    from articles.tests.factories import make_article, make_topic
    from siteinfo.models import SiteSettings

    SiteSettings.objects.create(
        organizer="中共某某县委组织部", icp_number="青ICP备00000000号-1", site_id_code="6300000001"
    )
    column = make_topic("理论学习")
    child = make_topic("党史学习教育", parent=column)
    article = make_article(
        "当前基层党建工作存在的问题及对策建议",
        topics=[column, child],
        sections=3,
        points=3,
        author="张三",
        source="某某县委组织部",
        responsible_editor="李四",
        view_count=30,
        lead="<p>" + "基层党建工作要坚持围绕经济抓党建、抓好党建促发展的工作思路。" * 8 + "</p>",
    )
    for section in article.sections.all():
        section.body = "<p>" + "加强基层党组织建设，发挥战斗堡垒作用和党员先锋模范作用。" * 12 + "</p>"
        section.save()
    others = [make_article(f"基层党建工作文稿第{n}篇", topics=[column]) for n in range(1, 4)]
    index_everything()
    return {"column": column, "child": child, "article": article, "others": others}


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violations(live_server, browser, site, scheme):
    if not AXE.exists():
        _missing(f"axe-core is not installed at {AXE}: run `npm ci` (make setup does)")
    # axe is injected as a script of its own, which the site's CSP would refuse.
    page = open_page(browser, bypass_csp=True, color_scheme=scheme)
    pages = {
        "首页": "/",
        "列表": "/articles/",
        "文稿": site["article"].get_absolute_url(),
        "专题": site["column"].get_absolute_url(),
        "搜索": "/articles/?q=基层党建",
        "专题索引": "/topics/",
    }
    found = {}
    for name, url in pages.items():
        assert page.goto(live_server.url + url).status == 200, url
        found[name] = axe_violations(page)
    # 长辈模式 with large type on the essay page as well.
    page.evaluate(
        "() => { localStorage.setItem('reader.elder', '1'); localStorage.setItem('reader.fontSize', 'large'); }"
    )
    page.goto(live_server.url + site["article"].get_absolute_url())
    found["文稿(长辈模式)"] = axe_violations(page)
    assert {name: v for name, v in found.items() if v} == {}


def test_reader_flow(live_server, browser, site):
    from articles.reading import viewcounts

    article = site["article"]
    page = open_page(browser, viewport={"width": 1280, "height": 800})
    # Record what would be read aloud instead of speaking it, with a Chinese
    # voice (headless chromium has none; see test_read_aloud_without_chinese_voice).
    page.add_init_script(
        "window.__spoken = [];"
        "if (window.speechSynthesis) {"
        " window.speechSynthesis.speak = u => window.__spoken.push([u.lang, u.text]);"
        " window.speechSynthesis.getVoices = () => [{lang: 'zh-CN', name: '测试语音'}];"
        " Object.defineProperty(SpeechSynthesisUtterance.prototype, 'voice',"
        "  {configurable: true, get() { return this.__voice || null; }, set(v) { this.__voice = v; }});"
        "}"
    )
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"

    # The skip link is the first stop of the keyboard and leads to #main.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    # Home → topic → essay.
    page.locator(".site-nav").get_by_role("link", name="理论学习").click()
    page.wait_for_url(re.compile(re.escape(site["column"].get_absolute_url()) + "$"))
    with page.expect_request(lambda request: request.url.endswith(f"/articles/{article.pk}/view/")) as beacon:
        page.get_by_role("link", name=article.title).first.click()
        page.wait_for_url(re.compile(re.escape(article.get_absolute_url()) + "$"))
    assert beacon.value.method == "POST"
    beacon.value.response()  # the beacon has been answered
    assert viewcounts.pending(article.pk) == 1
    assert "浏览次数：30" in page.locator(".essay__meta").inner_text()

    # The table of contents is a sticky side column: jump to the third part.
    toc = page.locator("nav.toc")
    assert toc.locator("details").evaluate("d => d.open")
    third = article.sections.filter(level=1).order_by("position")[2]
    toc.locator(f"a[href='#{third.anchor}']").click()
    assert page.evaluate("location.hash") == f"#{third.anchor}"
    # (Scrolling is smooth: wait until the heading has arrived at the top.)
    page.wait_for_function(
        "id => { const top = document.getElementById(id).getBoundingClientRect().top; return top >= 0 && top < 200; }",
        arg=third.anchor,
    )
    assert toc.evaluate("e => getComputedStyle(e).position") == "sticky"
    assert toc.evaluate("e => e.getBoundingClientRect().top") >= 0  # still on screen
    # The reading-progress bar has moved on.
    page.wait_for_function("() => document.querySelector('.reading-progress').value > 0")

    # 字号 大: larger essay text, remembered on the next page before it is drawn.
    def size():
        return page.locator(".essay__body .rich").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")

    before = size()
    page.get_by_role("button", name="大", exact=True).click()
    assert page.get_by_role("button", name="大", exact=True).get_attribute("aria-pressed") == "true"
    assert size() > before
    page.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => {"
        " window.__sizeAtLoad = document.documentElement.getAttribute('data-font-size'); });"
    )
    page.reload()
    assert page.evaluate("window.__sizeAtLoad") == "large"
    assert size() > before

    # 长辈模式 on and off.
    page.get_by_role("button", name="长辈模式").click()
    assert page.locator("html").get_attribute("data-elder") == ""
    assert size() > before * 1.2
    page.get_by_role("button", name="长辈模式").click()
    assert page.locator("html").get_attribute("data-elder") is None

    # 朗读全文 reads the essay in Chinese with the browser's speech synthesis.
    if page.evaluate("'speechSynthesis' in window"):
        page.get_by_role("button", name="朗读全文").click()
        page.wait_for_function("() => window.__spoken.length > 0")
        spoken = page.evaluate("window.__spoken")
        assert spoken[0] == ["zh-CN", article.title]
        assert any("加强基层党组织建设" in text for _, text in spoken)
        assert page.get_by_role("button", name="暂停朗读").get_attribute("aria-pressed") == "true"
        page.get_by_role("button", name="停止朗读").click()
        assert page.get_by_role("button", name="朗读全文").is_visible()

    # 打印本页 and 朗读 are offered; the share panel holds the link and a QR code that loads.
    assert page.get_by_role("button", name="打印本页").is_visible()
    page.locator(".share__summary").click()
    assert page.locator("#share-url").input_value().endswith(article.get_absolute_url())
    # The QR code loads lazily once the panel is open: wait for it, then check it is a real picture.
    page.wait_for_function(
        "() => { const img = document.querySelector('.share__qr img'); return img.complete && img.naturalWidth > 0; }"
    )
    assert page.locator(".share__qr img").evaluate("img => img.naturalWidth") > 50
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden()
    assert page.locator("nav.toc").is_visible()
    page.emulate_media(media="screen")

    # Search from the header.
    page.locator("#site-search-q").fill("基层党建")
    page.locator("#site-search-q").press("Enter")
    page.wait_for_url(re.compile(r"/articles/\?q="))
    assert page.locator(".search-result").count() >= 1

    assert page.evaluate("window.__csp") == []  # JSON-LD data block and all: no CSP report
    assert page.errors == []


def test_phone_layout(live_server, browser, site):
    page = open_page(browser, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page.goto(live_server.url + site["article"].get_absolute_url())
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    details = page.locator("nav.toc details")
    assert details.evaluate("d => d.open") is False  # folded so the essay comes first
    page.locator(".toc__summary").click()
    assert details.evaluate("d => d.open") is True
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.locator(".back-to-top").wait_for(state="visible")
    page.locator(".back-to-top").click()
    page.wait_for_function("() => window.scrollY < 50")
    for url in ("/", "/articles/", site["column"].get_absolute_url()):
        page.goto(live_server.url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, url
    assert page.evaluate("window.__csp") == []


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def _one_line(locator):
    """Whether each element found is laid out on one line (one box)."""
    return locator.evaluate_all("els => els.map(e => e.getClientRects().length)")


def test_phone_dates_titles_and_tools(live_server, browser, site):
    page = open_page(browser, **PHONE)
    # Speaking is not what this test is about: keep the page quiet.
    page.add_init_script("if (window.speechSynthesis) { window.speechSynthesis.speak = () => {}; }")
    url = live_server.url + site["article"].get_absolute_url()
    for elder in (False, True):
        if elder:  # 长辈模式 with large type: the longest lines there are
            page.evaluate(
                "() => { localStorage.setItem('reader.elder', '1'); localStorage.setItem('reader.fontSize', 'large'); }"
            )
        page.goto(url)
        # The date is one unit ("2026年12月3日" on one line), and nothing is wider than the phone.
        assert _one_line(page.locator(".essay__meta time")) == [1], elder
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, elder
        for list_url in ("/", "/articles/", site["column"].get_absolute_url()):
            page.goto(live_server.url + list_url)
            assert set(_one_line(page.locator("main time"))) <= {1}, (list_url, elder)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, (list_url, elder)
    page.goto(url)

    # Opening 分享 keeps the tool buttons where they were, on one row.
    def tools():
        return page.locator(".essay-tools__row > :not([hidden]), .share__summary").evaluate_all(
            "els => els.map(e => { const r = e.getBoundingClientRect();"
            " return [e.textContent.trim(), r.top + window.scrollY, r.left]; })"  # page coordinates: clicks scroll
        )

    for elder in (True, False):  # 长辈模式 with 大 (set above), then the ordinary page
        if not elder:
            page.evaluate("() => localStorage.clear()")
            page.goto(url)
        before = tools()
        assert [name for name, _, _ in before] == ["朗读全文", "打印本页", "分享"], elder
        assert len({top for _, top, _ in before}) == 1, elder  # one row
        page.locator(".share__summary").click()
        assert page.locator(".share__panel").is_visible()
        assert tools() == before, elder
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.locator(".share__summary").click()

    # At the end of the page 回到顶部 covers no text.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    button = page.locator(".back-to-top")
    button.wait_for(state="visible")
    page.wait_for_function(
        "() => Math.ceil(window.scrollY + window.innerHeight) >= document.documentElement.scrollHeight"
    )
    covered = page.evaluate(
        """() => {
            const b = document.querySelector('.back-to-top').getBoundingClientRect();
            const text = document.querySelectorAll('.essay__body p, main p, main li, .site-footer p, .site-footer li');
            return Array.from(text).filter(e => {
                const r = e.getBoundingClientRect();
                return r.width > 0 && r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom;
            }).map(e => e.textContent.trim().slice(0, 20));
        }"""
    )
    assert covered == []
    assert page.evaluate("window.__csp") == []
    assert page.errors == []


@pytest.mark.parametrize("voices", [[], [{"lang": "en-US", "name": "English"}]], ids=["no-voice", "english-only"])
def test_read_aloud_without_chinese_voice(live_server, browser, site, voices):
    page = open_page(browser, viewport={"width": 1280, "height": 800})
    page.add_init_script(
        "window.__spoken = [];"
        "if (window.speechSynthesis) {"
        " window.speechSynthesis.speak = u => window.__spoken.push(u.text);"
        f" window.speechSynthesis.getVoices = () => {json.dumps(voices)};"
        "}"
    )
    page.goto(live_server.url + site["article"].get_absolute_url())
    if not page.evaluate("'speechSynthesis' in window"):
        pytest.skip("this chromium has no speechSynthesis")
    page.get_by_role("button", name="朗读全文").click()
    status = page.locator(".essay-tools__status")
    status.wait_for(state="visible")
    assert "没有中文语音" in status.inner_text()
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    start = page.locator("[data-speak]")
    assert start.inner_text() == "朗读全文"
    assert start.get_attribute("aria-pressed") == "false"
    assert page.locator("[data-speak-stop]").is_hidden()
    assert page.evaluate("window.__spoken") == []
    assert page.errors == []


def test_print_hides_view_count_and_prints_contents_plainly(live_server, browser, site):
    page = open_page(browser, viewport={"width": 1280, "height": 800})
    page.goto(live_server.url + site["article"].get_absolute_url())
    link = page.locator("nav.toc a[href^='#']").first
    link.evaluate("a => a.setAttribute('aria-current', 'location')")  # the part being read: red and underlined
    assert link.evaluate("a => getComputedStyle(a).textDecorationLine") == "underline"
    page.emulate_media(media="print")
    assert page.locator(".essay__meta-views").is_hidden()
    assert "浏览次数" not in page.locator(".essay__meta").inner_text()
    assert page.locator("nav.toc").is_visible()
    styles = page.locator("nav.toc a").evaluate_all(
        "els => els.map(a => { const s = getComputedStyle(a); return [s.color, s.textDecorationLine]; })"
    )
    assert styles and set(map(tuple, styles)) == {("rgb(0, 0, 0)", "none")}


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots(live_server, browser, site, width):
    """Not a check: pictures of the main pages in var/screenshots/ to look at."""
    options = PHONE if width == 390 else {"viewport": {"width": 1280, "height": 800}}
    page = open_page(browser, **options)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = {"essay": site["article"].get_absolute_url(), "home": "/", "list": "/articles/"}
    for name, url in pages.items():
        assert page.goto(live_server.url + url).status == 200, url
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    assert page.errors == []


def test_editor_flow(live_server, browser):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from articles.models import Article

    get_user_model().objects.create_superuser("zongbian", "zongbian@example.cn", "dangjian-test-2026")
    page = open_page(browser, viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("admin:login"))
    page.locator("#id_username").fill("zongbian")
    page.locator("#id_password").fill("dangjian-test-2026")
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(reverse("admin:index")) + "$"))

    page.goto(live_server.url + reverse("admin:articles_article_add"))
    page.locator("#id_title").fill("浏览器里写的基层党建文稿")
    lead = page.locator("#essay-lead .ck-editor__editable")
    lead.wait_for(state="visible", timeout=20_000)
    lead.click()
    page.keyboard.type("这是导语。")

    add_row = page.locator(".add-row a")
    for n, (level, heading, body) in enumerate(
        [
            ("1", "一、加强组织建设", "组织建设是基础。"),
            ("2", "(一)健全组织体系", "把支部建在网格上。"),
        ]
    ):
        add_row.click()
        page.locator(f"#id_sections-{n}-level").select_option(level)
        page.locator(f"#id_sections-{n}-heading").fill(heading)
        editor = page.locator(f"#sections-{n} .ck-editor__editable")
        editor.wait_for(state="visible", timeout=20_000)
        editor.click()
        page.keyboard.type(body)

    page.locator("#id_status").select_option("published")
    page.locator("#id_confirm_secrecy").check()  # the 保密审查 statement publishing needs
    page.locator("input[name=_save]").first.click()
    page.wait_for_url(re.compile(re.escape(reverse("admin:articles_article_changelist"))))
    article = Article.objects.get(title="浏览器里写的基层党建文稿")
    assert article.is_public

    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator("h1").inner_text() == "浏览器里写的基层党建文稿"
    assert "组织建设是基础。" in page.locator(".essay__body").inner_text()
    assert page.locator("nav.toc").get_by_role("link", name="(一)健全组织体系").count() == 1
    page.goto(live_server.url + "/")
    assert page.get_by_role("link", name="浏览器里写的基层党建文稿").count() >= 1
    assert page.errors == []


# ---------------------------------------------------------------- issue 25: titles, 回到顶部, dates, 分享 on phones

# Titles with long words, dates and quoted terms (the essay fixture's title is one more).
LONG_TITLES = [
    "关于推进“三会一课”制度化规范化常态化建设的调查与思考",
    "新时代农村基层党组织建设质量提升路径研究——以2026年12月3日座谈会为例",
    "全面从严治党向基层延伸背景下社区党建引领基层治理的实践探索",
]

# Each piece of a title between two <wbr> is one text node: a word. It must
# lie on one line: all its line boxes (Range.getClientRects) share one top.
WORDS_SPLIT_ACROSS_LINES = """(selector) => {
    const split = [];
    for (const title of document.querySelectorAll(selector)) {
        if (!title.getClientRects().length) continue;  // not shown (folded, hidden)
        const walker = document.createTreeWalker(title, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const word = node.textContent;
            if (!word.trim()) continue;
            const range = document.createRange();
            range.selectNodeContents(node);
            const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
            if (tops.size > 1) split.push(title.textContent.trim().slice(0, 12) + '…: ' + word);
        }
    }
    return split;
}"""

TITLE_SELECTORS = (
    ".essay__title, .card__title, .link-list__item a, .neighbours__title, .theme-card__title, .item__source"
)


def _title_lines(page, selector):
    """How many lines each title found takes (to make sure the check ran on titles that wrap)."""
    return page.locator(selector).evaluate_all(
        "els => els.map(e => { const r = document.createRange(); r.selectNodeContents(e);"
        " return new Set(Array.from(r.getClientRects()).map(b => Math.round(b.top))).size; })"
    )


@pytest.fixture
def long_titles(site):
    from articles.tests.factories import make_article

    column = site["column"]
    return [make_article(title, topics=[column], sections=1) for title in LONG_TITLES]


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_phone_titles_break_only_between_words(live_server, browser, site, long_titles, elder):
    page = open_page(browser, **PHONE)
    page.goto(live_server.url + "/")
    if elder:
        page.evaluate(
            "() => { localStorage.setItem('reader.elder', '1'); localStorage.setItem('reader.fontSize', 'large'); }"
        )
    wrapped = 0
    for url in (
        "/",
        "/articles/",
        site["column"].get_absolute_url(),
        site["article"].get_absolute_url(),  # the heading, related essays, previous/next
        long_titles[1].get_absolute_url(),
    ):
        page.goto(live_server.url + url)
        assert page.evaluate(WORDS_SPLIT_ACROSS_LINES, TITLE_SELECTORS) == [], (url, elder)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, (url, elder)
        wrapped += sum(1 for lines in _title_lines(page, TITLE_SELECTORS) if lines > 1)
    assert wrapped >= 5  # the titles did wrap: the check looked at real line breaks
    # The date and the quoted term of the long titles are on one line each.
    page.goto(live_server.url + long_titles[1].get_absolute_url())
    heading = page.locator(".essay__title")
    assert heading.evaluate("h => getComputedStyle(h).wordBreak") == "keep-all"
    assert _title_lines(page, ".essay__title")[0] > 1
    assert page.errors == []


TEXT_LINES_UNDER = """(selector) => {
    const b = document.querySelector(selector).getBoundingClientRect();
    if (!b.width || !b.height) return null;  // not shown
    const hits = [];
    for (const block of document.querySelectorAll('main p, main li, main h1, main h2, main h3, main h4, main blockquote, main td, main th, main dd, main dt')) {
        const range = document.createRange();
        range.selectNodeContents(block);
        for (const line of range.getClientRects()) {
            if (line.width && line.left < b.right && b.left < line.right && line.top < b.bottom && b.top < line.bottom) {
                hits.push(block.textContent.trim().slice(0, 16));
                break;
            }
        }
    }
    return hits;
}"""


@pytest.mark.parametrize(("width", "elder"), [(390, False), (800, False), (1280, False), (1280, True)])
def test_back_to_top_never_covers_text_mid_essay(live_server, browser, site, width, elder):
    options = PHONE if width == 390 else {"viewport": {"width": width, "height": 800}}
    page = open_page(browser, **options)
    if elder:  # larger type, a wider text column: the margin may be gone
        page.goto(live_server.url + "/")
        page.evaluate(
            "() => { localStorage.setItem('reader.elder', '1'); localStorage.setItem('reader.fontSize', 'large'); }"
        )
    page.goto(live_server.url + site["article"].get_absolute_url())
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height > 3 * page.evaluate("innerHeight")  # a long essay
    button = page.locator(".back-to-top")
    # Reading down the essay: stop in the middle, a little at a time.
    for _step in range(0, height // 2, 300):
        page.mouse.wheel(0, 300)
    page.wait_for_function("y => window.scrollY >= y", arg=height // 2 - 600)
    page.wait_for_timeout(100)  # one animation frame for the scroll handler
    assert page.evaluate(TEXT_LINES_UNDER, ".back-to-top") in (None, []), width
    if width == 1280 and not elder:
        assert button.is_visible()  # in the margin beside the text
    elif width < 1280:
        assert button.is_hidden()  # no margin: reading on downwards, it is not offered
    # Scrolling back up: the reader wants to go back, the button is offered.
    page.mouse.wheel(0, -200)
    button.wait_for(state="visible")
    button.click()
    page.wait_for_function("() => window.scrollY < 50")
    assert page.evaluate("window.__csp") == []
    assert page.errors == []


# ---------------------------------------------------------------- issue 25: feeds read in a browser (XSLT)


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_feed_opened_in_the_browser_is_a_readable_chinese_page(live_server, browser, site, kind):
    """The XSLT stylesheet (static/feeds/feed-style.xml) turns the feed into a Chinese page, under the CSP."""
    page = open_page(browser, viewport={"width": 1280, "height": 800})
    page.add_init_script(
        "window.__cspTargets = [];"
        "document.addEventListener('securitypolicyviolation', e =>"
        " window.__cspTargets.push(e.target && e.target.nodeName));"
    )
    for url in (f"/feed/{kind}/", site["column"].get_absolute_url() + f"feed/{kind}/"):
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        assert "xml" in response.headers["content-type"], url
        # Transformed into HTML: a heading, the explanation, the items -- not XML text.
        heading = page.locator("h1")
        heading.wait_for(state="visible")
        assert heading.inner_text().strip(), url
        assert page.get_by_text("订阅方法").is_visible(), url
        assert page.get_by_text("这是一个订阅源").is_visible(), url
        assert page.locator(".card__title").first.is_visible(), url
        titles = page.locator(".card__title").all_inner_texts()
        assert site["article"].title in titles, (url, titles)
        assert "<rss" not in page.locator("body").inner_text() and "<feed" not in page.locator("body").inner_text()
        # The site's stylesheet applies: the page is the site's design, not unstyled markup.
        assert page.locator("body").evaluate("b => getComputedStyle(b).display") == "flex", url
        assert page.locator("body").evaluate("b => b.className") == "page-feed"
        # Chromium 156 puts its own banner into any page made by XSLT ("This site
        # uses XSLT; that functionality is being removed from this browser very
        # soon …"), with inline style and an onclick that the site's CSP blocks.
        # Those reports are the browser's; the page itself must cause none.
        assert set(page.evaluate("window.__cspTargets")) <= {"XSLT-WARNING-BANNER"}, url
    assert page.errors == []


def test_the_footer_rss_link_opens_the_subscribe_page(live_server, browser, site):
    """The footer's “RSS 订阅” is a page of the site (no XSLT, no browser banner), at 1280 and 390 px."""
    for options in ({"viewport": {"width": 1280, "height": 800}}, PHONE):
        page = open_page(browser, **options)
        page.goto(live_server.url + "/")
        page.locator(".site-footer").get_by_role("link", name="RSS 订阅").click()
        page.wait_for_url(re.compile(r"/feed/$"))
        assert page.locator("h1").inner_text() == "订阅本站"
        assert page.get_by_text("订阅方法：").is_visible()
        assert page.get_by_text(live_server.url + "/feed/rss/").is_visible()
        assert page.get_by_text(live_server.url + site["column"].get_absolute_url() + "feed/atom/").is_visible()
        assert page.locator("xslt-warning-banner").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= options["viewport"]["width"]
        assert page.evaluate("window.__csp") == []
        assert page.errors == []

"""The library's charts in a real browser: ECharts draws under the site's CSP,
no script error, and axe finds no serious violation (chromium via Playwright;
skipped with the reason where chromium, Playwright or node_modules is missing)."""

import pytest

from config.tests.test_reader_browser import AXE, _missing, axe_violations, browser, open_page  # noqa: F401
from library.staticfiles import echarts_available
from library.tests.factories import ATTITUDE, ORGANIZATION, STUDY, make_essay

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def library(no_task_worker):
    from library.models import LibraryItem
    from library.regrouping import regroup

    for i in range(3):
        make_essay(problems=[ATTITUDE[i], ORGANIZATION[i]], countermeasures=STUDY, author_org=f"第{i}党委")
    regroup()
    return LibraryItem.objects.filter(heading=ATTITUDE[0]).first().theme


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_charts_draw_under_the_csp_and_pages_are_accessible(live_server, browser, library, scheme):  # noqa: F811
    if not echarts_available():
        _missing("ECharts is not installed in node_modules: run `npm ci` (make setup does)")
    page = open_page(browser, color_scheme=scheme)
    for url in ("/library/problems/", library.get_absolute_url()):
        assert page.goto(live_server.url + url).status == 200
        page.wait_for_selector(".library-chart__canvas:not([hidden]) svg", timeout=10_000)
        assert page.evaluate("() => window.__csp") == []
        assert page.errors == []
        # The table with the same figures stays beside the chart.
        assert page.locator(".library-table caption").count() >= 1
    if not AXE.exists():
        _missing(f"axe-core is not installed at {AXE}")
    checker = open_page(browser, bypass_csp=True, color_scheme=scheme)
    found = {}
    for url in ("/library/problems/", "/library/countermeasures/", library.get_absolute_url()):
        checker.goto(live_server.url + url)
        found[url] = axe_violations(checker)
    assert {url: v for url, v in found.items() if v} == {}

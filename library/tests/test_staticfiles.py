"""ECharts is served from node_modules (that file only); without it the pages keep their tables."""

import pytest
from django.contrib.staticfiles import finders

from library import staticfiles
from library.regrouping import regroup
from library.tests.factories import ATTITUDE, make_essay


def test_only_echarts_min_js_is_found(tmp_path, monkeypatch):
    source = tmp_path / "echarts.min.js"
    source.write_text("/* echarts */")
    monkeypatch.setattr(staticfiles, "SOURCE", source)
    finder = staticfiles.EChartsFinder()
    assert finder.find("vendor/echarts/echarts.min.js") == str(source)
    assert finder.find("vendor/echarts/echarts.min.js", find_all=True) == [str(source)]
    assert finder.find("vendor/echarts/package.json") == []
    assert finder.find("echarts/dist/echarts.js") == []
    assert [path for path, _ in finder.list([])] == ["echarts.min.js"]


def test_the_finder_is_installed():
    assert any(isinstance(f, staticfiles.EChartsFinder) for f in finders.get_finders())


@pytest.mark.django_db
def test_without_node_modules_the_page_has_tables_and_no_echarts(client, tmp_path, monkeypatch, no_task_worker):
    monkeypatch.setattr(staticfiles, "SOURCE", tmp_path / "missing.js")
    make_essay(problems=ATTITUDE)
    regroup()
    page = client.get("/library/problems/").content.decode()
    assert "echarts.min.js" not in page
    assert "<caption>问题库：提出最多的主题" in page
    assert staticfiles.EChartsFinder().find("vendor/echarts/echarts.min.js") == []

"""A staticfiles finder that serves ECharts from node_modules, and nothing else there.

``node_modules`` holds far more than the site should publish (sources, maps,
other packages): only ``echarts/dist/echarts.min.js`` is exposed, as
``vendor/echarts/echarts.min.js``. A clone without npm has no such file; the
library's pages then show their tables, which carry the same figures.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

STATIC_PATH = "vendor/echarts/echarts.min.js"
SOURCE = Path(settings.BASE_DIR) / "node_modules" / "echarts" / "dist" / "echarts.min.js"


def echarts_available():
    return SOURCE.is_file()


class EChartsFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(SOURCE.parent))
        self.storage.prefix = "vendor/echarts"

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.get("all", False)
        if path == STATIC_PATH and echarts_available():
            return [str(SOURCE)] if find_all else str(SOURCE)
        return []

    def list(self, ignore_patterns):
        if echarts_available():
            yield SOURCE.name, self.storage

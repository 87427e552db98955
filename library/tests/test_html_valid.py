"""The library's pages are valid HTML (the Nu HTML Checker, as for the reading site)."""

import pytest

from articles.tests.factories import make_topic
from articles.tests.test_html_valid import check, vnu  # noqa: F401 - vnu is a fixture
from library.models import LibraryItem
from library.regrouping import regroup
from library.tests.factories import ATTITUDE, ORGANIZATION, STUDY, make_essay


@pytest.mark.django_db
def test_library_pages_are_valid_html(client, vnu, tmp_path, no_task_worker):  # noqa: F811
    column = make_topic("组织建设")
    for i in range(3):
        make_essay(
            problems=[ATTITUDE[i], ORGANIZATION[i]], countermeasures=STUDY, topics=[column], author_org=f"第{i}党委"
        )
    regroup()
    problem = LibraryItem.objects.filter(heading=ATTITUDE[0]).first().theme
    countermeasure = LibraryItem.objects.filter(heading=STUDY[0]).first().theme
    pages = {
        "problems": client.get("/library/problems/"),
        "problems-filtered": client.get("/library/problems/", {"org": "第1党委", "sort": "newest"}),
        "problems-invalid": client.get("/library/problems/", {"year": "abc"}),
        "countermeasures": client.get("/library/countermeasures/"),
        "problem-theme": client.get(problem.get_absolute_url()),
        "countermeasure-theme": client.get(countermeasure.get_absolute_url()),
        "export-refused": client.get("/library/problems/export.csv", {"year": "abc"}),
    }
    for name, response in pages.items():
        assert response.status_code == (400 if name == "export-refused" else 200), name
    errors = check(vnu, {name: response.content.decode() for name, response in pages.items()}, tmp_path)
    assert errors == [], "\n".join(errors)

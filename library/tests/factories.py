"""Essays with problems and countermeasures sections, for the library's tests."""

from articles.models import Section
from articles.tests.factories import make_article, make_section


def make_essay(problems=(), countermeasures=(), causes=(), **fields):
    """A published essay whose 二、 lists ``problems`` and 三、 ``countermeasures`` as points.

    Each entry is ``heading`` or ``(heading, body_text)``.
    """
    article = make_article(**fields)
    for kind, heading, points in (
        (Section.Kind.PROBLEMS, "存在的问题", problems),
        (Section.Kind.CAUSES, "原因分析", causes),
        (Section.Kind.COUNTERMEASURES, "对策建议", countermeasures),
    ):
        if not points:
            continue
        make_section(article, heading, kind=kind, body="")
        for point in points:
            point_heading, body = point if isinstance(point, tuple) else (point, "")
            make_section(
                article, point_heading, level=Section.Level.POINT, kind=kind, body=f"<p>{body}</p>" if body else ""
            )
    return article


ATTITUDE = [
    "对党建工作重要性认识不足，重业务轻党建",
    "党组织书记重业务轻党建，对党建重要性认识不到位",
    "思想上对党建重要性认识不足，存在重业务轻党建倾向",
]
ORGANIZATION = [
    "组织生活不规范，三会一课流于形式",
    "三会一课制度落实不到位，组织生活流于形式",
    "组织生活质量不高，三会一课流于形式",
]
STUDY = ["强化理论学习，提高对党建工作重要性的认识", "严格落实三会一课制度，规范组织生活"]

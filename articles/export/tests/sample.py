"""A test essay in the shape of the portal's sample (lead; 一、 parts with （一） points; conclusion;
author unit), written for these tests, long enough to fill several pages."""

from articles.export import layout

_SENTENCES = (
    "村党支部把每月的主题党日放到田间地头和农家院落，党员带着问题来、揣着办法走。",
    "支部书记逐户走访，把群众反映的道路硬化、饮水安全等事项列成清单，限时办结并公开进度。",
    "有的党员年龄偏大、外出务工多，组织生活难以集中开展，教育管理存在时间和空间上的空档。",
    "要建立党员联系户制度，让每名党员都有具体的服务对象，把组织的关心送到群众心坎上。",
)


def paragraph(n=1, start=0):
    text = "".join(_SENTENCES[(start + i) % len(_SENTENCES)] for i in range(4 * n))
    return f"<p>{text}</p>"


def sample_essay():
    return layout.Essay(
        title="新时代农村基层党组织建设的实践与思考",
        lead_html=paragraph(1) + paragraph(1, 1),
        sections=[
            layout.Section(1, "一、", "加强农村基层党组织建设的重要意义", paragraph(1, 2)),
            layout.Section(2, "（一）", "夯实党在农村执政根基的需要", paragraph(2, 3)),
            layout.Section(2, "(二)", "推动乡村全面振兴的需要", paragraph(2)),
            layout.Section(1, "二、", "当前存在的主要问题", paragraph(1, 1)),
            layout.Section(
                2,
                "（一）",
                "组织生活质量不高",
                "<p><strong>一是</strong>学习形式单一。</p><ol><li>集中学习少；</li><li>个人自学缺督促。</li></ol>"
                + paragraph(2, 2),
            ),
            layout.Section(
                2,
                "（二）",
                "服务群众能力不足",
                "<table><caption>表1 调研村基本情况</caption><tr><th>村名</th><th>党员数</th></tr>"
                "<tr><td>东坡村</td><td>42</td></tr><tr><td>西河村</td><td>37</td></tr></table>" + paragraph(2, 3),
            ),
            layout.Section(1, "三、", "对策建议", paragraph(1)),
            layout.Section(2, "（一）", "严格组织生活", paragraph(3, 1)),
            layout.Section(2, "（二）", "建强带头人队伍", paragraph(3, 2)),
        ],
        conclusion_html=paragraph(2, 3),
        author_unit="某县委组织部",
        date="2026年3月5日",
    )

"""``parse`` on the team's own essays (one per numbering style) and on edge cases.

Each fixture essay under ``essays/`` is asserted down to every field, so a
change in a heuristic shows exactly which structure moved.
"""

import random
from pathlib import Path

import pytest

from articles.essay import Essay, EssayError, parse, parsing

ESSAYS = Path(__file__).resolve().parent / "essays"


def read(name):
    return parse((ESSAYS / name).read_text(encoding="utf-8"))


def outline(essay):
    """Sections as nested tuples: easy to compare, easy to read in a failure."""
    return [
        (s.number, s.heading, s.kind, s.body, [(p.number, p.heading, p.body) for p in s.points]) for s in essay.sections
    ]


# ---------------------------------------------------------------------------
# Fixture essays


def test_fullwidth_bracket_points_with_subtitle_lead_conclusion_and_author():
    essay = read("01_fullwidth_paren.txt")
    assert essay.title == "关于提升农村党支部组织力的调研报告"
    assert essay.subtitle == "以某县三个乡镇为例"
    assert essay.lead == (
        "为摸清农村党支部建设底数，今年以来，县委组织部采取蹲点走访、座谈交流等方式，"
        "对三个乡镇的四十二个村党支部开展了专题调研。现将有关情况报告如下。"
    )
    assert outline(essay) == [
        (
            "一、",
            "基本情况",
            "situation",
            "近年来，全县坚持抓党建促乡村振兴，农村党支部的政治功能和组织功能持续增强。",
            [
                (
                    "（一）",
                    "班子结构逐步优化",
                    "通过村“两委”换届，村党支部书记平均年龄下降到四十六岁，大专以上学历占比明显提升。",
                ),
                ("（二）", "阵地建设基本完善", "各村均建成党群服务中心，实现了有场所议事、有资金办事。"),
            ],
        ),
        (
            "二、",
            "存在的主要问题",
            "problems",
            "",
            [
                ("（一）", "党员队伍老化", "部分村三年未发展党员，五十五岁以上党员占比超过六成。"),
                ("（二）", "组织生活质量不高", "有的支部“三会一课”照本宣科，党员参与热情不高。"),
            ],
        ),
        (
            "三、",
            "对策建议",
            "countermeasures",
            "",
            [
                (
                    "（一）",
                    "拓宽发展党员渠道",
                    "注重从返乡大学生、致富能手中发展党员，每个村每两年至少发展一名年轻党员。",
                ),
                ("（二）", "提高组织生活质量", "推行主题党日清单化管理，把政策宣讲与解决群众急难愁盼问题结合起来。"),
            ],
        ),
    ]
    assert essay.conclusion == "总之，提升农村党支部组织力是一项长期任务，必须久久为功、常抓不懈。"
    assert essay.author_org == "中共某某县委组织部"
    assert essay.warnings == []


def test_ascii_bracket_points_with_heading_and_body_on_one_line():
    essay = read("02_ascii_paren_inline.txt")
    assert essay.title == "推动机关党建与业务工作深度融合的思考"
    assert essay.subtitle == ""
    assert (
        essay.lead
        == "机关党建是推动机关各项工作的重要保证。当前，一些单位仍存在党建与业务“两张皮”的现象，需要认真研究解决。"
    )
    assert outline(essay) == [
        (
            "一、",
            "融合发展的重要意义",
            "significance",
            "",
            [
                (
                    "(一)",
                    "是落实全面从严治党的必然要求",
                    "机关是贯彻落实党中央决策部署的“最初一公里”，党建工作抓得实不实，直接关系到业务工作的成效。",
                ),
                ("(二)", "是提升机关效能的有效途径", "把党建优势转化为工作优势，能够激发干部干事创业的内生动力。"),
            ],
        ),
        (
            "二、",
            "融合不够的表现及原因",
            "causes",
            "",
            [
                ("(一)", "思想认识有偏差", "有的干部认为业务是硬任务、党建是软指标，抓党建的主动性不强。"),
                ("(二)", "载体手段较单一", "党建活动多以开会学习为主，与中心工作结合的项目不多。"),
            ],
        ),
        (
            "三、",
            "推进融合的路径",
            "countermeasures",
            "",
            [
                ("(一)", "同谋划", "年初将党建任务与业务目标一并研究、一并部署。"),
                ("(二)", "同考核", "把党建工作成效纳入处室年度考核，考核结果与评优评先挂钩。"),
                ("(三)", "同督查", "定期开展党建与业务融合情况督查，发现问题及时整改。"),
            ],
        ),
    ]
    # Every point is one paragraph, so the extra paragraph after the last one is the conclusion.
    assert essay.conclusion == "只有坚持党建和业务同向发力，才能真正实现以高质量党建引领机关工作高质量发展。"
    assert essay.author_org == "某市直机关工委"
    assert essay.warnings == []


def test_arabic_dot_points_without_lead_or_conclusion():
    essay = read("03_arabic_dot.txt")
    assert (essay.title, essay.subtitle, essay.lead, essay.author_org) == ("社区党组织服务能力建设调研", "", "", "")
    assert outline(essay) == [
        (
            "一、",
            "社区党建的现状",
            "situation",
            "",
            [
                ("1.", "组织覆盖不断扩大", "全区八十六个社区全部建立党组织，新建小区党支部同步组建。"),
                ("2.", "服务阵地持续完善", "各社区普遍设立党员服务站，开展政策咨询、矛盾调解等服务。"),
            ],
        ),
        (
            "二、",
            "存在的不足",
            "problems",
            "",
            [
                (
                    "1.",
                    "服务力量不足",
                    "社区工作者平均每人联系三百余户，一是人手少，二是专业化程度不高，难以满足居民多样化需求。",
                ),
                ("2.", "共建机制不顺", "驻区单位参与社区治理多停留在节日慰问层面。\n部分共建协议签订后缺少跟踪落实。"),
            ],
        ),
        (
            "三、",
            "改进措施",
            "countermeasures",
            "",
            [
                ("1.", "充实服务队伍", "通过公开招聘、党员认领岗位等方式，补齐社区工作力量。"),
                (
                    "2.",
                    "完善共建机制",
                    "建立驻区单位党组织共建清单，实行资源、需求、项目三张清单管理，定期通报履约情况。",
                ),
            ],
        ),
    ]
    assert essay.conclusion == ""
    assert essay.warnings == ["未找到结语"]


def test_arabic_dun_points_are_not_mistaken_for_page_markers():
    essay = read("04_arabic_dun.txt")
    assert essay.title == "新时代国有企业基层党建工作的调查与思考"
    assert essay.lead == (
        "国有企业党组织在企业改革发展中发挥把方向、管大局、保落实的领导作用。笔者结合所在企业实际，对基层党建工作进行了调查。"
    )
    assert outline(essay) == [
        (
            "一、",
            "加强国企基层党建的必要性",
            "significance",
            "加强基层党建是坚持党对国有企业全面领导的根本要求，也是企业应对市场竞争的政治保障。",
            [],
        ),
        (
            "二、",
            "存在的问题",
            "problems",
            "",
            [
                ("1、", "党建考核指标偏软，与经营业绩挂钩不紧", ""),
                ("2、", "一线党员教育管理难，倒班作业导致集中学习时间难以保证", ""),
                ("3、", "党务干部交流渠道不畅，有的同志多年从事党务工作，成长空间受限", ""),
            ],
        ),
        (
            "三、",
            "对策建议",
            "countermeasures",
            "",
            [
                ("1、", "完善考核体系", "把党建考核结果与领导班子薪酬、任免挂钩，做到党建工作可量化、可比较。"),
                ("2、", "创新教育方式", "利用手机学习平台开展“微党课”，把学习送到班组和车间。"),
                ("3、", "畅通交流渠道", "推动党务干部与经营管理干部双向交流，打造复合型人才队伍。"),
            ],
        ),
    ]
    assert (
        essay.conclusion == "综上所述，只有把党建工作融入企业生产经营全过程，才能把党的政治优势转化为企业的发展优势。"
    )
    assert essay.author_org == ""
    assert not any("页码" in w for w in essay.warnings)


def test_arabic_bracket_points_heading_only_section_and_closing_section():
    essay = read("05_arabic_paren.txt")
    assert essay.title == "关于加强“两新”组织党建工作的几点建议"
    assert (essay.subtitle, essay.lead) == ("", "")
    assert essay.author_org == "某某区委“两新”工委"
    assert outline(essay) == [
        ("一、", "总体情况", "situation", "", []),
        (
            "二、",
            "主要问题",
            "problems",
            "",
            [
                ("(1)", "党组织覆盖面不够广", "部分小微企业党员人数少、流动性大，难以单独建立党组织。"),
                ("(2)", "党建工作活力不足", "有的企业党组织活动开展不经常，作用发挥不明显。"),
            ],
        ),
        (
            "三、",
            "工作建议",
            "countermeasures",
            "",
            [
                ("(1)", "扩大有效覆盖", "采取单独组建、联合组建、挂靠组建等方式，做到应建尽建。"),
                ("(2)", "激发内生动力", "引导企业把党建活动与企业文化建设、员工关爱结合起来。"),
            ],
        ),
    ]
    # A last section headed 结语 is the conclusion, not a section.
    assert essay.conclusion == "抓好“两新”组织党建，关键在于找准党建工作与企业发展的结合点。"
    assert essay.warnings == []


def test_damaged_essay_is_repaired():
    essay = read("06_damaged.txt")
    assert essay.title == "新形势下街道党工委抓党建促治理的实践与思考"
    assert essay.subtitle == ""
    assert essay.lead == (
        "街道是城市治理的基本单元,街道党工委在基层治理中处于承上启下的关键位置。"
        "近年来,某街道坚持以党建引领社区治理,取得了初步成效"
    )
    assert outline(essay) == [
        (
            "一、",
            "主要做法",
            "situation",
            "街道党工委把抓党建促治理作为重点任务来推进",
            [
                ("(一)", "建强网格党组织", "按照一格一支部的思路,将辖区划分为三十二个网格,每个网格配备一名专职网格员"),
                (
                    "(二)",
                    "推行党员报到制度",
                    "组织在职党员到居住地社区报到,认领服务岗位,参与垃圾分类宣传、矛盾纠纷化解等工作",
                ),
            ],
        ),
        (
            "二、",
            "存在的问题",
            "problems",
            "调研发现,街道党建引领治理仍有一些薄弱环节",
            [
                ("(一)", "网格员队伍不稳定", "网格员待遇偏低,一年内流失率接近两成,一些网格长期处于空岗状态"),
                ("(二)", "共驻共建积极性不高", "部分驻区单位认为社区事务与己无关,参与活动多为应付了事"),
            ],
        ),
        (
            "三、",
            "对策建议",
            "countermeasures",
            "",
            [
                ("(一)", "完善激励保障机制", "建立网格员薪酬动态调整机制,把优秀网格员纳入后备干部培养"),
                (
                    "(二)",
                    "健全共建联席制度",
                    "每季度召开一次联席会议,一是共商辖区重点事项,二是通报共建项目进展,推动资源共享",
                ),
            ],
        ),
    ]
    assert essay.conclusion == "实践表明,只有把党的组织优势转化为治理效能,才能让群众的获得感成色更足"
    assert essay.author_org == "某市某区某街道党工委"
    warnings = "\n".join(essay.warnings)
    assert "删除了第1页至第4页的页码标记" in warnings
    assert "标题前有水印“学海无涯”，已删除" in warnings
    assert "标题重复出现" in warnings
    assert "缺少括号" in warnings
    assert "作者单位“某市某区某街道党工委”粘连在正文末尾" in warnings


def test_bracket_points_keep_third_level_items_in_their_body():
    essay = read("07_nested_items.txt")
    assert essay.title == "以高质量党建引领高校基层组织建设的调研"
    assert outline(essay) == [
        (
            "一、",
            "高校基层党建面临的新情况",
            "situation",
            "",
            [
                ("(一)", "学生党员规模持续扩大", "近五年来，学生党员人数年均增长百分之八。"),
                (
                    "(二)",
                    "教师党支部书记“双带头人”培育工作深入推进",
                    "全校教师党支部书记中“双带头人”占比达到百分之九十以上。",
                ),
            ],
        ),
        (
            "二、",
            "问题产生的原因",
            "causes",
            "",
            [
                (
                    "(一)",
                    "制度执行存在温差",
                    "1.有的支部对发展党员程序把关不严。\n2.有的支部组织生活会批评与自我批评辣味不足。",
                ),
                ("(二)", "考核评价不够科学", "考核偏重台账材料，对实际成效关注不够。"),
            ],
        ),
        (
            "三、",
            "对策措施",
            "countermeasures",
            "",
            [
                ("(一)", "压实支部书记责任", "推行支部书记抓党建述职评议全覆盖。"),
                ("(二)", "优化考核评价办法", "减少材料报送，增加师生满意度测评权重。"),
            ],
        ),
    ]
    # A closing "(作者系…)" line is not the conclusion; it fills the unit, with a warning.
    assert essay.conclusion == ""
    assert essay.author_org == "某大学党委组织部干部"
    assert any("作者系" in w for w in essay.warnings)


@pytest.mark.parametrize("path", sorted(ESSAYS.glob("*.txt")), ids=lambda p: p.name)
def test_every_fixture_round_trips_through_to_dict(path):
    essay = parse(path.read_text(encoding="utf-8"))
    data = essay.to_dict()
    assert list(data) == ["title", "subtitle", "author_org", "lead", "sections", "conclusion", "warnings", "repairs"]
    for section in data["sections"]:
        assert list(section) == ["number", "heading", "kind", "body", "points"]
        for point in section["points"]:
            assert list(point) == ["number", "heading", "body"]
    assert 200 <= len(path.read_text(encoding="utf-8")) <= 700


# ---------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\u3000\r\n", "\ufeff\u200b"])
def test_empty_text_is_an_error(text):
    with pytest.raises(EssayError, match="文本为空"):
        parse(text)


def test_none_is_an_error_not_a_type_error():
    with pytest.raises(EssayError):
        parse(None)


def test_text_without_sections_is_an_error_with_a_chinese_message():
    with pytest.raises(EssayError) as caught:
        parse("关于基层党建工作的几点思考\n基层党建工作十分重要，必须常抓不懈。\n(一)加强学习。")
    assert str(caught.value) == "未识别出文稿结构：找不到“一、”这样的部分标题"


def test_essay_error_is_a_value_error():
    assert issubclass(EssayError, ValueError)


def test_binary_garbage_is_an_essay_error():
    junk = random.Random(7).randbytes(20_000)
    with pytest.raises(EssayError):
        parse(junk)
    with pytest.raises(EssayError):
        parse(junk.decode("latin-1"))


def test_bytes_are_decoded_as_utf8_or_gb18030():
    text = "关于加强党建的思考\n一、重要意义\n基层党建很重要。"
    assert parse(text.encode("utf-8")).sections[0].heading == "重要意义"
    assert parse(text.encode("gb18030")).sections[0].heading == "重要意义"


def test_random_input_never_raises_anything_but_essay_error():
    # The inner function, so that a bug is not hidden by parse()'s safety net.
    alphabet = "一二三四五六七八九十、.．()（）是些 \n\t。，,：:“”党建问题对策作者单位1234567890—天道酬勤"
    rng = random.Random(2024)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        try:
            result = parsing._parse(text)
        except EssayError:
            continue
        assert isinstance(result, Essay)


# ---------------------------------------------------------------------------
# Structure edge cases


def test_heading_only_section_and_section_without_points():
    essay = parse(
        "标题\n一、总体情况\n二、存在问题\n部分党员学习不够。\n有的支部活动偏少。\n三、对策\n(一)加强学习\n坚持每月集中学习。"
    )
    assert outline(essay) == [
        ("一、", "总体情况", "situation", "", []),
        ("二、", "存在问题", "problems", "部分党员学习不够。\n有的支部活动偏少。", []),
        ("三、", "对策", "countermeasures", "", [("(一)", "加强学习", "坚持每月集中学习。")]),
    ]


def test_essay_without_title_warns_and_keeps_the_opening_as_lead():
    essay = parse("根据安排，我们对全镇党建工作进行了调研，情况如下。\n一、基本情况\n全镇共有党支部二十个。")
    assert essay.title == ""
    assert essay.lead == "根据安排，我们对全镇党建工作进行了调研，情况如下。"
    assert any("未找到标题" in w for w in essay.warnings)


def test_subtitle_on_the_title_line_and_section_numbers_with_dots():
    essay = parse("加强党员教育的实践 ——以某镇为例\n一．重要意义\n教育是基础。\n二.主要做法\n坚持每月学习。")
    assert (essay.title, essay.subtitle) == ("加强党员教育的实践", "以某镇为例")
    assert [(s.number, s.heading) for s in essay.sections] == [("一、", "重要意义"), ("二、", "主要做法")]


def test_short_line_after_title_is_subtitle_and_org_line_is_author_unit():
    essay = parse("加强党员教育的实践\n基于三个村的调查\n一、重要意义\n教育是基础。")
    assert essay.subtitle == "基于三个村的调查"
    essay = parse("加强党员教育的实践\n中共某某镇委员会\n一、重要意义\n教育是基础。")
    assert (essay.subtitle, essay.author_org) == ("", "中共某某镇委员会")


def test_byline_with_author_name_is_dropped_with_a_warning():
    essay = parse("加强党员教育的实践\n作者：张某\n调研情况如下。\n一、重要意义\n教育是基础。")
    assert essay.lead == "调研情况如下。"
    assert any("张某" in w for w in essay.warnings)


def test_section_heading_with_body_on_the_same_line_is_split():
    essay = parse("题目\n一、基本情况。全县共有党组织三百个，党员一万名。\n二、问题：活动偏少。")
    assert [(s.heading, s.body) for s in essay.sections] == [
        ("基本情况", "全县共有党组织三百个，党员一万名。"),
        ("问题", "活动偏少。"),
    ]


def test_quarter_enumeration_is_not_a_section():
    essay = parse("题目\n一、基本情况\n一、二季度共开展活动十次。\n二、问题\n活动偏少。")
    assert [s.heading for s in essay.sections] == ["基本情况", "问题"]
    assert essay.sections[0].body == "一、二季度共开展活动十次。"


def test_skipped_section_number_is_accepted_with_a_warning():
    essay = parse("题目\n一、基本情况\n情况良好。\n三、对策\n加强学习。")
    assert [s.number for s in essay.sections] == ["一、", "三、"]
    assert any("跳到了“三、”" in w for w in essay.warnings)


def test_out_of_order_numbers_stay_in_the_body():
    essay = parse("题目\n一、基本情况\n(一)组织健全\n党组织全覆盖。\n(一)重复编号\n二、问题\n一、说明文字")
    points = essay.sections[0].points
    assert [p.heading for p in points] == ["组织健全"]
    assert points[0].body == "党组织全覆盖。\n(一)重复编号"
    assert essay.sections[1].body == "一、说明文字"


def test_point_without_short_heading_keeps_its_text_as_body():
    long_line = "加强党员教育管理，" * 10
    essay = parse(f"题目\n一、对策\n(一){long_line}\n(二)严格组织生活。坚持三会一课。")
    first, second = essay.sections[0].points
    assert (first.heading, first.body) == ("", long_line)
    assert (second.heading, second.body) == ("严格组织生活", "坚持三会一课。")
    assert any("没有可识别的小标题" in w for w in essay.warnings)


def test_bracket_point_glued_after_a_sentence_starts_a_new_paragraph():
    essay = parse("题目\n一、对策\n(一)加强学习。每月学习一次。(二)严肃纪律。严格执纪问责。")
    assert [(p.number, p.heading, p.body) for p in essay.sections[0].points] == [
        ("(一)", "加强学习", "每月学习一次。"),
        ("(二)", "严肃纪律", "严格执纪问责。"),
    ]


def test_number_alone_on_a_line_joins_its_heading():
    essay = parse("题目\n一、\n重要意义\n(一)\n适应需要\n正文一。\n(二)\n巩固基础\n正文二。")
    section = essay.sections[0]
    assert section.heading == "重要意义"
    assert [(p.number, p.heading, p.body) for p in section.points] == [
        ("(一)", "适应需要", "正文一。"),
        ("(二)", "巩固基础", "正文二。"),
    ]


def test_bare_numerals_on_their_own_lines_in_well_formatted_text():
    essay = parse("题目\n一、重要意义\n一适应发展需要\n党建要适应新形势。\n二巩固执政基础\n党建是执政之基。")
    section = essay.sections[0]
    assert section.body == ""
    assert [(p.number, p.heading, p.body) for p in section.points] == [
        ("(一)", "适应发展需要", "党建要适应新形势。"),
        ("(二)", "巩固执政基础", "党建是执政之基。"),
    ]


def test_a_single_bare_numeral_is_not_enough_for_points():
    essay = parse("题目\n一、重要意义\n党建工作是一切工作的生命线\n我们要抓好党建一抓到底")
    assert essay.sections[0].points == []


def test_conclusion_opener_after_the_last_point():
    essay = parse(
        "题目\n一、对策\n(一)加强学习\n每月学习。\n每季考试。\n(二)严肃纪律\n严格执纪。\n总而言之，党建要常抓不懈。\n各级要高度重视。"
    )
    last = essay.sections[0].points[-1]
    assert last.body == "严格执纪。"
    assert essay.conclusion == "总而言之，党建要常抓不懈。\n各级要高度重视。"


def test_no_conclusion_when_the_last_paragraph_may_belong_to_the_point():
    essay = parse("题目\n一、对策\n(一)加强学习\n每月学习。\n每季考试。\n(二)严肃纪律\n严格执纪。\n强化问责。")
    assert essay.sections[0].points[-1].body == "严格执纪。\n强化问责。"
    assert essay.conclusion == ""
    assert "未找到结语" in essay.warnings


def test_author_unit_in_brackets_glued_to_conclusion():
    essay = parse("题目\n一、对策\n(一)学习\n学。\n(二)纪律\n严。\n总之，要抓好党建。（作者单位：某县委组织部）")
    assert essay.conclusion == "总之，要抓好党建。"
    assert essay.author_org == "某县委组织部"


def test_ascii_words_keep_their_spaces():
    body = "推进 5G 网络进村入户，建设 smart party building 平台，" * 5
    essay = parse(f"题目\n一、做法\n{body}")
    assert essay.sections[0].body == body


# ---------------------------------------------------------------------------
# Size


def _long_wellformed_essay():
    paragraph = "基层党组织要坚持把政治建设摆在首位，持续推进学习教育常态化制度化，切实增强党员的政治意识。" * 8
    lines = ["关于加强基层党建工作的调研报告", "为全面掌握情况，课题组开展了调研。"]
    for section in range(1, 10):
        lines.append(f"{'一二三四五六七八九'[section - 1]}、第{section}部分的标题")
        for point in range(1, 41):
            lines.append(f"（{parsing.int_to_cn(point)}）要点标题{point}")
            lines.extend([paragraph] * 3)
    return "\n".join(lines)


def test_one_megabyte_wellformed_essay_parses():
    text = _long_wellformed_essay()
    assert len(text.encode("utf-8")) > 1_000_000
    essay = parse(text)
    assert len(essay.sections) == 9
    assert all(len(section.points) == 40 for section in essay.sections)


def test_one_megabyte_damaged_single_line_parses():
    body = "基层党组织要坚持把政治建设摆在首位,持续推进学习教育常态化制度化,切实增强党员的政治意识" * 11
    parts = ["学海无涯关于加强基层党建工作的调研", "关于加强基层党建工作的调研报告", "为全面掌握情况,课题组开展了调研"]
    for section in range(1, 10):
        parts.append(f"{'一二三四五六七八九'[section - 1]}、第{section}部分的标题 引言部分")
        for point in range(1, 81):
            parts[-1] += f"{parsing.int_to_cn(point)}推进要点建设"
            parts.append(body)
    text = "1、" + " ".join(parts)
    assert len(text.encode("utf-8")) > 1_000_000
    essay = parse(text)
    assert essay.title == "关于加强基层党建工作的调研报告"
    assert len(essay.sections) == 9
    assert [len(section.points) for section in essay.sections] == [80] * 9
    assert essay.sections[0].points[0].heading == "推进要点建设"


def test_org_byline_with_a_name_under_the_title():
    essay = parse("加强党员教育的实践\n中共某某县委组织部 张某\n一、重要意义\n教育是基础。")
    assert (essay.subtitle, essay.author_org, essay.lead) == ("", "中共某某县委组织部", "")
    assert any("张某" in w for w in essay.warnings)


def test_short_lead_with_a_comma_is_not_a_subtitle():
    essay = parse("加强党员教育的实践\n党员是党的细胞,教育是基础\n一、重要意义\n教育是基础。")
    assert (essay.subtitle, essay.lead) == ("", "党员是党的细胞,教育是基础")


def test_damaged_text_with_brackets_glued_to_the_previous_sentence():
    text = (
        "1、精品文档加强党员队伍建设的思考 加强党员队伍建设的思考 党员队伍是党的肌体的细胞,加强党员队伍建设是一项基础工程 "
        "一、重要意义 党员是党的细胞,党员队伍的状况直接决定党的战斗力（一）夯实执政基础 党员队伍素质提高了,执政基础就更加坚实"
        "（二）密切党群关系 党员做出表率,群众就会跟上 二、对策 （一）严把入口关 坚持标准,保证质量（二）畅通出口关 "
        "稳妥有序做好组织处置工作 加强党员队伍建设任重道远,必须常抓不懈"
    )
    essay = parse(text)
    assert essay.title == "加强党员队伍建设的思考"
    assert essay.lead == "党员队伍是党的肌体的细胞,加强党员队伍建设是一项基础工程"
    assert outline(essay) == [
        (
            "一、",
            "重要意义",
            "significance",
            "党员是党的细胞,党员队伍的状况直接决定党的战斗力",
            [
                ("（一）", "夯实执政基础", "党员队伍素质提高了,执政基础就更加坚实"),
                ("（二）", "密切党群关系", "党员做出表率,群众就会跟上"),
            ],
        ),
        (
            "二、",
            "对策",
            "countermeasures",
            "",
            [
                ("（一）", "严把入口关", "坚持标准,保证质量"),
                ("（二）", "畅通出口关", "稳妥有序做好组织处置工作"),
            ],
        ),
    ]
    assert essay.conclusion == "加强党员队伍建设任重道远,必须常抓不懈"
    assert any("精品文档" in w for w in essay.warnings)


def test_fullwidth_point_numbers_stay_fullwidth_and_halfwidth_stay_as_written():
    essay = parse(
        "标题\n一、对策\n（一）加强学习\n坚持每月学习。\n（二）严明纪律\n严格执纪。\n二、问题\n(一)学习不够\n有的支部学习偏少。"
    )
    assert [p.number for s in essay.sections for p in s.points] == ["（一）", "（二）", "(一)"]


def test_a_colon_on_a_heading_line_starts_its_subtitle_but_a_description_is_body():
    essay = parse(
        "标题\n一、强化政治引领：把牢基层党建正确方向\n坚持把政治建设摆在首位。\n"
        "二、主要做法：全县推行党员积分管理，效果明显。\n三、经验启示\n要久久为功。"
    )
    assert [(s.heading, s.body) for s in essay.sections[:2]] == [
        ("强化政治引领：把牢基层党建正确方向", "坚持把政治建设摆在首位。"),
        ("主要做法", "全县推行党员积分管理，效果明显。"),
    ]


def test_word_enumerations_around_the_sections_never_replace_the_section_numbers():
    essay = parse(
        "标题\n首先，要提高认识，这是做好工作的前提。\n一、基本情况\n全县党组织健全，党员队伍稳定，各项制度落实较好。\n"
        "二、对策建议\n最后，要加强保障，确保各项措施落到实处。"
    )
    assert [(s.number, s.heading) for s in essay.sections] == [("一、", "基本情况"), ("二、", "对策建议")]


def test_headings_on_their_own_line_above_numbered_points_are_the_top_level():
    essay = parse(
        "社区党建工作的几点做法\n近年来，我们坚持党建引领，社区治理水平不断提升，现将主要做法总结如下。\n"
        "建强组织体系\n1、网格建支部。每个网格都建立党支部，由社区党委委员担任支部书记。\n"
        "2、楼栋设小组。每栋楼设立党小组，党员骨干担任楼栋长，及时收集居民诉求。\n"
        "提升服务能力\n1、办好实事。每年梳理居民最关心的十件实事，逐项落实到人。\n"
        "2、畅通渠道。开通社区服务热线，群众诉求二十四小时内回应。\n"
    )
    assert [(s.heading, [p.heading for p in s.points]) for s in essay.sections] == [
        ("建强组织体系", ["网格建支部", "楼栋设小组"]),
        ("提升服务能力", ["办好实事", "畅通渠道"]),
    ]


def test_a_space_after_a_heading_on_a_short_line_ends_it():
    essay = parse(
        "标题\n一、基本情况 全县共有基层党组织一千三百余个，党员两万余名。\n二、存在问题\n部分党员作用发挥不够。"
    )
    assert [(s.heading, s.body) for s in essay.sections] == [
        ("基本情况", "全县共有基层党组织一千三百余个，党员两万余名。"),
        ("存在问题", "部分党员作用发挥不够。"),
    ]


def test_an_excerpt_with_one_later_part_keeps_it_as_the_top_level():
    essay = parse(
        "（三）制度执行不够严格。一些支部对组织生活制度执行打折扣，存在以会代训的现象。\n"
        "三、对策建议\n（一）加强教育\n组织党员系统学习党章党规。\n（二）严格管理\n落实党员积分管理制度。"
    )
    assert [(s.number, s.heading, [p.heading for p in s.points]) for s in essay.sections] == [
        ("三、", "对策建议", ["加强教育", "严格管理"])
    ]
    assert any("节选" in warning for warning in essay.warnings)


def test_a_unit_or_a_date_under_the_title_is_no_heading():
    essay = parse(
        "做好新时代宣传思想工作的体会\n——以某县为例\n某县委宣传部\n2023年5月\n"
        "宣传思想工作是党的一项极端重要的工作，近年来我们坚持守正创新，在理论武装、舆论引导等方面做了积极探索。\n"
        "强化理论武装\n坚持用党的创新理论武装头脑，组建基层宣讲队伍，开展分众化、互动化宣讲活动两百余场。\n"
        "创新舆论引导\n建好用好县级融媒体中心，推出一批接地气、有温度的新闻作品，主流舆论不断壮大。\n"
        "总之，宣传思想工作必须与时俱进、久久为功。"
    )
    assert [s.heading for s in essay.sections] == ["强化理论武装", "创新舆论引导"]


# ---------------------------------------------------------------------------
# Top levels other than 一、 (articles/essay/schemes.py)

_BODY = "要坚持问题导向，把工作做细做实，确保各项任务落到实处，推动基层党建工作不断取得新成效。"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["1、强化政治引领", _BODY, "2、夯实组织基础", _BODY], [("1、", "强化政治引领"), ("2、", "夯实组织基础")]),
        (["1．强化政治引领", _BODY, "2．夯实组织基础", _BODY], [("1．", "强化政治引领"), ("2．", "夯实组织基础")]),
        (
            ["（一）强化政治引领", _BODY, "（二）夯实组织基础", _BODY],
            [("（一）", "强化政治引领"), ("（二）", "夯实组织基础")],
        ),
        (
            ["第一部分 强化政治引领", "1.1 统一思想", _BODY, "第二部分 夯实组织基础", _BODY],
            [("第一部分", "强化政治引领"), ("第二部分", "夯实组织基础")],
        ),
        (
            ["第一章 强化政治引领", _BODY, "第二章 夯实组织基础", _BODY],
            [("第一章", "强化政治引领"), ("第二章", "夯实组织基础")],
        ),
        (
            ["首先，要强化政治引领。" + _BODY, "最后，要夯实组织基础。" + _BODY],
            [("", "首先，要强化政治引领"), ("", "最后，要夯实组织基础")],
        ),
        (
            ["一是强化政治引领，" + _BODY, "二是夯实组织基础，" + _BODY],
            [("", "一是强化政治引领"), ("", "二是夯实组织基础")],
        ),
        (
            ["问：怎样强化政治引领？", "答：" + _BODY, "问：怎样夯实组织基础？", "答：" + _BODY],
            [("", "怎样强化政治引领？"), ("", "怎样夯实组织基础？")],
        ),
        (["强化政治引领", _BODY, "夯实组织基础", _BODY], [("", "强化政治引领"), ("", "夯实组织基础")]),
    ],
    ids=["ar_dun", "ar_fdot", "cn_paren", "di_part", "di_chapter", "ordinal", "yishi", "qa", "headline"],
)
def test_other_top_levels(lines, expected):
    lead = "基层党组织是党的全部工作和战斗力的基础，做好基层党建工作意义重大，现结合工作实际谈几点认识。"
    essay = parse("\n".join(["关于加强基层党建工作的思考", lead, *lines]))
    assert [(s.number, s.heading) for s in essay.sections] == expected
    assert essay.title == "关于加强基层党建工作的思考"


def test_intro_body_conclusion_parts():
    essay = parse(
        "关于加强基层党建工作的思考\n引言\n基层党组织是党的全部工作和战斗力的基础，意义重大。\n主体\n强化政治引领\n"
        + _BODY
        + "\n夯实组织基础\n"
        + _BODY
        + "\n结语\n总之，基层党建工作必须常抓不懈。"
    )
    assert essay.lead == "基层党组织是党的全部工作和战斗力的基础，意义重大。"
    assert [(s.heading, [p.heading for p in s.points]) for s in essay.sections] == [
        ("主体", ["强化政治引领", "夯实组织基础"])
    ]
    assert essay.conclusion == "总之，基层党建工作必须常抓不懈。"


def test_readable_text_without_structure_is_one_section_with_a_warning():
    text = "关于加强基层党建工作的思考\n" + _BODY * 6
    essay = parse(text)
    assert [(s.number, s.heading) for s in essay.sections] == [("", "正文")]
    assert essay.sections[0].body == _BODY * 6
    assert any("未识别出文稿结构" in warning for warning in essay.warnings)


def test_short_text_without_structure_is_still_refused():
    with pytest.raises(EssayError, match="未识别出文稿结构"):
        parse("关于加强基层党建工作的思考\n" + _BODY)


def test_an_own_line_heading_right_under_the_title_starts_the_first_part():
    essay = parse(
        "关于加强基层党建工作的思考\n强化政治引领\n" + _BODY + "\n夯实组织基础\n" + _BODY + "\n加强作风建设\n" + _BODY
    )
    assert [s.heading for s in essay.sections] == ["强化政治引领", "夯实组织基础", "加强作风建设"]
    subtitled = parse("关于加强基层党建工作的思考\n以某县为例\n强化政治引领\n" + _BODY + "\n夯实组织基础\n" + _BODY)
    assert subtitled.subtitle == "以某县为例"
    assert [s.heading for s in subtitled.sections] == ["强化政治引领", "夯实组织基础"]


def test_decimal_points_keep_their_printed_number():
    """第一部分 + 1.1, 1.2: the points are stored as 1.1 and 1.2, not as 1. and 2. (as printed)."""
    lead = "基层党组织是党的全部工作和战斗力的基础，做好基层党建工作意义重大，现结合工作实际谈几点认识。"
    lines = [
        "第一部分 主要成效",
        "1.1 组织体系不断健全。" + _BODY,
        "1.2 阵地建设持续加强。" + _BODY,
        "第二部分 存在问题",
        "2.1 带头人队伍素质有待提升。" + _BODY,
        "2．2 组织生活不够规范。" + _BODY,
    ]
    essay = parse("\n".join(["关于加强基层党建工作的思考", lead, *lines]))
    assert [[(p.number, p.heading) for p in s.points] for s in essay.sections] == [
        [("1.1", "组织体系不断健全"), ("1.2", "阵地建设持续加强")],
        [("2.1", "带头人队伍素质有待提升"), ("2.2", "组织生活不够规范")],
    ]


def test_point_heading_run_into_its_first_sentence_is_cut():
    """Line breaks lost: （一）带头人……有待提升部分村党组织书记…… — the heading ends before the body's first word."""
    text = (
        "关于加强村级党组织建设的调研报告 近年来，我县认真落实新时代党的建设总要求，村级党组织建设取得明显成效，"
        "但也存在一些短板，现将调研情况报告如下。一、存在的主要问题（一）带头人队伍整体素质有待提升部分村党组织书记"
        "年龄偏大，带富能力不强，后备力量不足。（二）组织生活不够规范个别支部三会一课流于形式，组织生活会批评与自我批评"
        "辣味不足。（三）着力解决部分村级组织软弱涣散状况成效不明显从整顿情况看，一些村仍然缺乏凝聚力。"
        "二、对策建议（一）选优配强带头人注重从致富能手、退役军人中选拔书记。（二）严格组织生活落实主题党日制度。"
    )
    essay = parse(text)
    problems = essay.sections[0]
    assert [(p.heading, p.body[:6]) for p in problems.points[:2]] == [
        ("带头人队伍整体素质有待提升", "部分村党组织"),
        ("组织生活不够规范", "个别支部三会"),
    ]
    # 部分 as the object of 解决 is part of the heading, not the start of the body.
    assert problems.points[2].heading.startswith("着力解决部分村级组织")


def test_verb_phrase_heading_run_into_a_sentence_opening_with_a_function_word_is_cut():
    """Countermeasure headings (强化…/完善…) whose line break was lost: the body opens with 通过/把/按照/要 …"""
    text = (
        "关于加强村级后备干部队伍建设的调研报告 后备干部是村级组织建设的源头活水，现将调研情况报告如下。"
        "一、夯实组织基础通过开展“星级党支部”评定，对全区二百个基层党组织分类定级、动态管理，推动后进支部晋位升级。"
        "二、对策建议（一）拓宽来源渠道通过召开座谈会、走访在外能人等方式，动员返乡大学生回村任职，建立村级后备干部人才库。"
        "（二）强化实践锻炼把后备干部放到信访维稳、项目建设等一线岗位上摔打磨炼，安排到先进村跟班学习。"
        "（三）完善管理机制按照“一人一档”的要求建立后备干部成长档案，每年进行一次考核，对不适宜继续培养的及时调整出库。"
        "（四）提升服务能力要坚持群众需要什么就提供什么，推行党员干部“包户联户”制度，帮助群众解决实际困难。"
        "（五）发展壮大集体经济因地制宜发展特色种养、乡村旅游等产业，增强村级组织自我保障能力。"
    )
    essay = parse(text)
    assert essay.sections[0].heading == "夯实组织基础"
    assert essay.sections[0].body.startswith("通过开展“星级党支部”评定")
    assert [(p.heading, p.body[:4]) for p in essay.sections[1].points] == [
        ("拓宽来源渠道", "通过召开"),
        ("强化实践锻炼", "把后备干"),
        ("完善管理机制", "按照“一"),
        ("提升服务能力", "要坚持群"),
        ("发展壮大集体经济", "因地制宜"),
    ]


@pytest.mark.parametrize(
    "point",
    [
        # The function word belongs to the heading: after a verb that takes it (加强对…), or the heading
        # opens with its subject (党员干部要…), or it sits inside a word (重要, 需要).
        "（一）持续加强对村干部的日常监督管理工作，防止小微权力滥用，切实维护群众的合法权益。",
        "（一）党员干部要敢于担当，勇于作为，在急难险重任务面前冲在前、干在先，当好群众的主心骨。",
        "（一）充分认识抓好党建工作的重要意义，始终把党建工作摆在突出位置，切实做到常抓不懈。",
        # 要 before the heading's own predicate (要持之以恒, 要敢于……), not before the body's verb (要坚持……).
        "（一）严格党的组织生活要持之以恒三会一课、谈心谈话、民主评议党员等制度贵在坚持重在落实，不能搞一阵风。",
        # Two verb–object pairs and a third: no function word, no cut (a wrong cut is worse than none).
        "（一）选优配强带头人拓宽选人视野，注重从返乡创业人员中选拔村党组织书记，把好人选关。",
    ],
)
def test_verb_phrase_heading_is_not_cut_without_a_clear_body_opener(point):
    text = "关于加强基层党建工作的思考 基层党建是党的全部工作的基础，现将有关思考报告如下。一、对策建议" + point
    heading = parse(text).sections[0].points[0].heading
    assert heading == point[3 : point.index("，")] or heading == point[3 : point.index("。")]


def test_a_point_run_into_a_short_section_paragraph_is_split_off():
    """One paragraph: ……作用1、政治引领作用……职责。2、组织动员作用…… — the 2、 after a sentence end starts a point."""
    text = (
        "发挥农村基层党组织在乡村振兴中的作用 乡村振兴，关键在党，现将有关思考报告如下。"
        "一、充分认识农村基层党组织的重要作用1、政治引领作用农村基层党组织是党在农村的“神经末梢”，承担着宣传党的主张的职责。"
        "2、组织动员作用做好群众工作，必须依靠坚强有力的党组织把农民群众组织起来。"
        "二、当前存在的不足1、带头人队伍老化部分村党组织书记年龄偏大，创新意识和带富能力不强。2、组织生活不够规范一些村党组织“三会一课”流于形式，党员参与积极性不高。"
    )
    essay = parse(text)
    assert [[(p.number, p.heading) for p in s.points] for s in essay.sections] == [
        [("1、", "政治引领作用"), ("2、", "组织动员作用")],
        [("1、", "带头人队伍老化"), ("2、", "组织生活不够规范")],
    ]


def test_a_colon_subtitle_run_into_the_body_ends_where_the_body_opens():
    """（一）强化政治功能：让支部坚强有力各支部把…… with the line breaks lost: the subtitle stays in the heading."""
    text = (
        "机关党支部建设的几点做法 机关党支部是机关党建的基本单元，现将有关做法报告如下。"
        "（一）强化政治功能：让支部坚强有力各支部把学习贯彻党的创新理论作为首要政治任务，每月开展一次集中学习。"
        "（二）规范组织生活：让制度落地见效我们制定了组织生活纪实手册，对“三会一课”作出具体规定。"
        "（三）发挥党员作用：让身份亮出来在窗口单位设立党员示范岗，在重点工作中组建党员先锋队。"
        "（四）主要做法：全县各支部在重点工作中普遍组建了党员先锋队和突击队，发挥了骨干作用。"
    )
    essay = parse(text)
    assert [(s.heading, s.body[:4]) for s in essay.sections] == [
        ("强化政治功能：让支部坚强有力", "各支部把"),
        ("规范组织生活：让制度落地见效", "我们制定"),
        ("发挥党员作用：让身份亮出来", "在窗口单"),
        # A description after the colon (its subject first) is the body.
        ("主要做法", "全县各支"),
    ]


@pytest.mark.parametrize(
    ("point", "heading"),
    [
        # A heading word followed by 的 modifies what follows: no cut there.
        ("是落实全面从严治党要求的内在需要机关党组织处在贯彻落实党中央决策部署的第一线。", None),
        # … nor one followed by its predicate (问题仍有发生).
        ("微腐败问题仍有发生个别村干部在惠民资金发放、集体资产处置中优亲厚友、吃拿卡要。", "微腐败问题仍有发生"),
        # 作用 as an object (发挥作用上) or before its predicate (作用充分发挥) ends nothing …
        ("党员先锋模范作用充分发挥一批党员在疫情防控和防汛救灾中冲锋在前、勇挑重担。", None),
        ("发挥作用上支持不够有的企业认为党建会影响生产经营，对党组织活动支持力度不大。", "发挥作用上支持不够"),
        # … but a noun phrase ending in 作用 is a heading (政治引领作用).
        ("政治引领作用农村基层党组织是党在农村的神经末梢，承担着宣传党的主张的重要职责。", "政治引领作用"),
    ],
)
def test_a_run_in_heading_is_not_cut_inside_a_phrase(point, heading):
    text = (
        "关于加强基层党建工作的思考 基层党建是党的全部工作的基础，现将有关思考报告如下。一、主要情况（一）"
        + point
        + "后文还有一句话，说明具体情况。"
    )
    got = parse(text).sections[0].points[0].heading
    assert got == (point[:-1] if heading is None else heading)


def test_a_quotation_of_several_paragraphs_is_no_unpaired_quote():
    text = (
        "标题\n一、学习先进\n一位老党员说：\n“入党那天我就想好了，这辈子要对得起胸前的党徽。\n"
        "“只要群众需要，我随叫随到。”\n二、争当先锋\n要见贤思齐。"
    )
    assert not [w for w in parse(text).warnings if "引号不成对" in w]
    lost = text.replace("\n“只要群众需要，我随叫随到。”", "\n只要群众需要，我随叫随到。")
    assert [w for w in parse(lost).warnings if "引号不成对" in w]


def test_one_paragraph_with_ascii_dot_numbers_glued_after_sentences():
    text = (
        "关于加强年轻干部培养的几点建议 年轻干部是党和国家事业发展的生力军。结合工作实际，提出以下建议。"
        "1.强化理想信念教育通过举办专题培训班、开展红色教育等方式，引导年轻干部坚定理想信念，筑牢思想根基。"
        "2.加强实践锻炼把年轻干部放到乡村振兴、信访维稳等一线岗位上摔打磨炼，在急难险重任务中经风雨、见世面。"
        "3.完善考核评价按照“干什么考什么”的原则，建立年轻干部成长档案，全面客观地评价干部实绩。"
        "总之，培养年轻干部是一项战略任务，必须常抓不懈。"
    )
    essay = parse(text)
    assert [(s.number, s.heading) for s in essay.sections] == [
        ("1.", "强化理想信念教育"),
        ("2.", "加强实践锻炼"),
        ("3.", "完善考核评价"),
    ]


def test_one_paragraph_with_ordinal_words_glued_after_sentences():
    text = (
        "做好新时代机关党建工作的思考 机关党建是推动机关各项工作的重要保证，现谈几点思考。"
        "首先，要提高政治站位。机关党组织要把政治建设摆在首位，引导党员干部做到“两个维护”。"
        "其次，要夯实基层基础。要健全党支部工作制度，推动组织生活规范化、常态化，使每个支部都成为坚强战斗堡垒。"
        "最后，要加强作风建设。要持续整治形式主义、官僚主义，为基层松绑减负，让干部把更多精力用在抓落实上。"
    )
    essay = parse(text)
    assert [s.heading for s in essay.sections] == [
        "首先，要提高政治站位",
        "其次，要夯实基层基础",
        "最后，要加强作风建设",
    ]


def test_ordinal_words_inside_the_paragraphs_of_a_formatted_essay_stay_where_they_are():
    paragraph = (
        "做好这项工作，首先，要提高政治站位，把政治建设摆在首位。其次，要夯实基层基础，推动组织生活规范化。"
        "最后，要加强作风建设，为基层松绑减负。"
    )
    text = (
        f"机关党建工作的思考\n机关党建是推动机关各项工作的重要保证。\n{paragraph}\n我们将继续努力，把机关党建工作做得更好，为全市发展提供坚强保证。\n"
        * 1
    )
    essay = parse(text * 1 + "这是全文的最后一段，内容是对以上工作的总结和对下一步工作的展望。" * 6)
    assert [s.heading for s in essay.sections] == ["正文"]
    assert paragraph in essay.sections[0].body.split("\n")


def test_a_verb_phrase_heading_run_into_a_body_opening_with_its_subject_is_cut():
    """……集体经济各村立足……: 各X or 全县/我县 opening a clause (a predicate follows) starts the body."""
    text = (
        "关于加强村级组织建设的思考 村级组织是党在农村全部工作的基础，现将有关思考报告如下。一、对策建议"
        "（一）壮大村级集体经济各村立足资源禀赋，因村施策发展特色产业，集体经济收入稳步增长，带动群众增收。"
        "（二）严格落实组织生活各支部要制定年度学习计划，按时召开支部党员大会和支委会，认真开展主题党日活动。"
        "（三）强化结果运用将党建考核结果与领导班子年度考核挂钩，作为干部选拔任用和评先评优的重要依据。"
        "（四）完善党建工作各项制度建立健全党建工作责任制和考核评价办法，推动党建工作规范化、制度化开展。"
    )
    points = parse(text).sections[0].points
    assert [p.heading for p in points[:3]] == ["壮大村级集体经济", "严格落实组织生活", "强化结果运用"]
    # 各项制度 is the heading's object, not a subject with its predicate: no cut there.
    assert points[3].heading.startswith("完善党建工作各项制度")


def test_a_problem_heading_run_into_its_body_ends_after_its_predicate():
    """（一）学习教育针对性不强集中学习多以…… — a problem heading ends with its predicate (不强, 单一, 滞后 …)."""
    text = (
        "关于机关党建工作的调研报告 机关党建是推动机关各项工作的重要保证，现将调研情况报告如下。一、存在的问题"
        "（一）学习教育针对性不强集中学习多以读文件、念报纸为主，联系实际不够紧密，党员参与的积极性不高。"
        "（二）党建经费来源单一社区开展党建活动的经费主要依靠上级拨付，辖区单位支持不多，难以满足工作需要。"
        "（三）党务干部队伍建设滞后专职党务干部配备不足，兼职干部精力有限，业务能力难以适应新形势的要求。"
        "（四）村级组织存在的薄弱环节需要重视村级小微权力监督仍有盲区，一些村务公开流于形式，群众意见较大。"
    )
    points = parse(text).sections[0].points
    assert [p.heading for p in points[:3]] == ["学习教育针对性不强", "党建经费来源单一", "党务干部队伍建设滞后"]
    assert [p.body[:4] for p in points[:3]] == ["集中学习", "社区开展", "专职党务"]
    # 薄弱 before the noun it modifies (薄弱环节) ends nothing.
    assert points[3].heading.startswith("村级组织存在的薄弱环节")


def test_jiehe_after_a_pair_joined_by_yu_belongs_to_the_heading():
    text = (
        "关于企业党建工作的调研报告 企业党建是推动企业发展的重要保证，现将调研情况报告如下。一、存在的问题"
        "（一）党建与企业发展结合不紧企业党组织把党建工作当作额外负担，与生产经营各搞一套，作用发挥有限。"
    )
    assert parse(text).sections[0].points[0].heading.startswith("党建与企业发展结合不紧")

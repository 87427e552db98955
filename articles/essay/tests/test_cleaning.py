"""Damage repair: normalising, page markers, lost line breaks, watermark and duplicate title."""

from articles.essay import cleaning


def test_normalise_unifies_breaks_and_spaces_and_drops_invisible_characters():
    warnings = []
    text = cleaning.normalise("\ufeff标题\r\n\u3000\u3000正文\u200b内容\r第二段\t\t结束\x00", warnings)
    assert text == "标题\n 正文内容\n第二段 结束"
    assert warnings == []


def test_normalise_reports_replacement_characters():
    warnings = []
    assert cleaning.normalise("党\ufffd\ufffd建", warnings) == "党建"
    assert warnings == ["删除了2个无法识别的字符（�），请核对原文"]


def test_normalise_keeps_punctuation_as_printed():
    assert cleaning.normalise("（一）加强学习，提高素质;(二)严肃纪律,", []) == "（一）加强学习，提高素质;(二)严肃纪律,"


def _pages(*texts):
    return "\n".join(f"{number}、{text}" for number, text in enumerate(texts, start=1))


def test_page_markers_are_removed_and_split_words_joined_without_separator():
    page_one = "标题 导语" + "基层党组织建设" * 20 + "社会主义"
    page_two = "市场经济" + "持续推进" * 30
    warnings = []
    text = cleaning.remove_page_markers(_pages(page_one, page_two, "结尾"), warnings)
    assert text == page_one + page_two + "结尾"
    assert "社会主义市场经济" in text
    assert warnings == ["删除了第1页至第3页的页码标记（“1、”至“3、”）"]


def test_a_page_starting_with_a_section_number_starts_a_new_line():
    text = cleaning.remove_page_markers(_pages("导语" * 60, "二、存在的问题" + "正文" * 60), [])
    assert text.split("\n")[1].startswith("二、存在的问题")


def test_a_space_kept_at_a_page_end_is_kept():
    text = cleaning.remove_page_markers("1、" + "甲" * 120 + " \n2、乙乙", [])
    assert text == "甲" * 120 + " 乙乙"


def test_real_numbered_points_are_not_page_markers():
    # Short lines: list items, not pages.
    items = "1、加强学习。\n2、严肃纪律。\n3、改进作风。"
    assert cleaning.remove_page_markers(items, []) == items
    # Numbers that restart below a title are points, however long the lines.
    essay = "标题\n1、" + "甲" * 300 + "\n2、" + "乙" * 300
    assert cleaning.remove_page_markers(essay, []) == essay


def test_page_markers_must_count_up_from_one():
    text = "1、" + "甲" * 200 + "\n3、" + "乙" * 200
    warnings = []
    assert cleaning.remove_page_markers(text, warnings) == "甲" * 200 + "\n3、" + "乙" * 200
    assert warnings == ["删除了第1页的页码标记“1、”"]


def test_single_short_numbered_line_is_left_alone():
    assert cleaning.remove_page_markers("1、加强学习", []) == "1、加强学习"


def test_spaces_between_chinese_text_are_paragraph_breaks():
    assert cleaning.split_run_together("第一段结束 第二段开始 第三段") == ["第一段结束", "第二段开始", "第三段"]


def test_spaces_around_ascii_words_and_inside_phrases_are_kept():
    line = "推进 5G 网络建设，实施 smart city 工程，“ 两学一做 ”，开展活动 。"
    assert cleaning.split_run_together(line) == [line]


def test_long_lines_are_split_short_lines_are_not():
    warnings = []
    long_line = "甲" * 60 + " " + "乙" * 60
    paragraphs = cleaning.split_paragraphs(f"加强党建 调研报告\n{long_line}", warnings)
    assert paragraphs == ["加强党建 调研报告", "甲" * 60, "乙" * 60]
    assert warnings == ["原文用空格代替换行，已按空格拆分出1处段落"]


def test_numbers_left_alone_by_the_split_rejoin_their_text():
    line = "导语" * 50 + " 一、 重要意义 （一） 适应需要 正文"
    # "一、 重要意义" is one piece already: no break after a 、 (the section regex skips the space).
    assert cleaning.split_paragraphs(line, [])[1:] == ["一、 重要意义", "（一）适应需要", "正文"]


def test_markers_glued_after_a_sentence_end_start_new_paragraphs():
    paragraphs = cleaning.split_paragraphs("做好工作。(二)严肃纪律。三、对策建议", [])
    assert paragraphs == ["做好工作。", "(二)严肃纪律。", "三、对策建议"]


def test_enumerations_after_a_sentence_end_are_not_split():
    text = "全年开展活动十次。一、二季度较多。(1)不拆分。"
    assert cleaning.split_paragraphs(text, []) == [text]


def test_duplicate_title_keeps_the_later_copy_and_reports_the_watermark():
    warnings = []
    kept = cleaning.merge_duplicate_title(
        "学海无涯乡村振兴中党建引领作用研究", "乡村振兴中党建引领的作用研究", warnings
    )
    assert kept == "乡村振兴中党建引领的作用研究"
    assert warnings == [
        "标题前有水印“学海无涯”，已删除",
        "标题重复出现（另一处为“学海无涯乡村振兴中党建引领作用研究”），已合并",
    ]


def test_duplicate_title_keeps_the_first_copy_when_the_later_one_has_the_prefix():
    warnings = []
    kept = cleaning.merge_duplicate_title("乡村振兴中党建引领作用研究", "精品范文乡村振兴中党建引领作用研究", warnings)
    assert kept == "乡村振兴中党建引领作用研究"
    assert warnings[0] == "标题前有水印“精品范文”，已删除"


def test_different_titles_are_not_merged():
    assert cleaning.merge_duplicate_title("乡村振兴中党建引领作用研究", "机关作风建设调研", []) is None
    long_paragraph = "乡村振兴中党建引领作用研究。" * 10
    assert cleaning.merge_duplicate_title("乡村振兴中党建引领作用研究", long_paragraph, []) is None


def test_known_watermark_on_a_single_title_is_removed():
    warnings = []
    assert cleaning.strip_known_watermark("天道酬勤关于加强党建的思考", warnings) == "关于加强党建的思考"
    assert warnings == ["标题前有水印“天道酬勤”，已删除"]
    assert cleaning.strip_known_watermark("天道酬勤", []) == "天道酬勤"  # nothing would be left


def test_bracket_reference_inside_an_ordinary_long_paragraph_is_not_split():
    paragraph = "根据有关规定第三章（一）款的要求，" + "各支部要认真落实组织生活制度，" * 8
    assert cleaning.split_paragraphs(paragraph, []) == [paragraph]


# ---------------------------------------------------------------------------
# Undoable repairs


def _kinds(text):
    return [(r.kind, r.original.strip()) for r in cleaning.find_repairs(text)]


def test_site_lines_watermarks_and_citation_markers_are_repairs():
    text = (
        "收藏\n1、关于加强党建工作的思考\n党建工作十分重要网页12。要抓好落实qk7Zp9，久久为功。\n"
        "【党建论坛】(www.example-dj.com)\n第2页共3页\n"
    )
    assert _kinds(text) == [
        ("boilerplate", "收藏"),
        ("page_marker", "1、"),
        ("citation", "网页12"),
        ("anticopy", "qk7Zp9"),
        ("watermark", "【党建论坛】(www.example-dj.com)"),
        ("page_footer", "第2页共3页"),
    ]
    repaired = cleaning.apply_repairs(text, cleaning.find_repairs(text))
    assert repaired == "关于加强党建工作的思考\n党建工作十分重要。要抓好落实，久久为功。\n"


def test_a_kept_repair_leaves_its_text():
    text = "收藏\n关于加强党建工作的思考\n正文。\n"
    repairs = cleaning.find_repairs(text)
    assert cleaning.apply_repairs(text, repairs, keep={repairs[0].id}) == text


def test_hard_wraps_are_joined_but_headings_and_short_lines_are_not():
    wrapped = (
        "关于加强党建工作的思考\n一、基本情况\n全县共有基层党组织一千三百余个，党员两万\n"
        "余名，近年来党组织的政治功能和组织功能持\n续增强，党员队伍结构不断优化，为经济社会\n发展提供了坚强保证。\n"
    )
    joins = [r for r in cleaning.find_repairs(wrapped) if r.kind == "wrap"]
    assert len(joins) == 3
    assert "党员两万余名" in cleaning.apply_repairs(wrapped, joins)
    plain = "标题\n一、基本情况\n全县共有基层党组织一千三百余个。\n二、存在问题\n一些党员作用发挥不够。\n"
    assert [r for r in cleaning.find_repairs(plain) if r.kind == "wrap"] == []


def test_genre_words_and_ordinary_numbers_are_not_repairs():
    text = "加强5G基站建设，GDP增长百分之六，2023年完成任务。\n阅读是党员的好习惯。\n"
    assert cleaning.find_repairs(text) == []


def test_a_long_heading_wrapped_onto_a_short_line_is_joined():
    """A PDF's wrapped heading (……的初步\\n成效): a numbered line ending without a mark, then a short remainder."""
    wrapped = (
        "关于推进城乡基层治理现代化的调研报告\n"
        "为深入了解城乡基层治理现状，调研组先后深入六个县区，采取座谈\n"
        "交流、实地察看、问卷调查等方式开展调研，现将有关情况报告如下\n。\n"
        "一、城乡基层治理的主要做法和取得的初步\n成效\n"
        "各地坚持党建引领，推动治理重心下移、资源下沉，基层治理体系\n不断完善，群众满意度逐年提升。\n"
        "二、城乡基层治理中存在的问题\n"
        "基层治理力量相对薄弱，社区工作者待遇偏低、流动性大；部分地\n方治理手段单一，数字化应用水平不高。\n"
    )
    text = cleaning.apply_repairs(wrapped, cleaning.find_repairs(wrapped))
    assert "一、城乡基层治理的主要做法和取得的初步成效\n各地" in text
    # A short heading and its body's first line stay apart.
    assert "二、城乡基层治理中存在的问题\n基层" in text


def test_page_footers_between_wrapped_lines_do_not_hide_the_wraps():
    line = "基层治理力量相对薄弱，社区工作者待遇偏低、流动性大；部分地"
    wrapped = (
        "关于推进城乡基层治理现代化的调研报告\n"
        "为深入了解城乡基层治理现状，调研组先后深入六个县区，采取座谈\n"
        "交流、实地察看、问卷调查等方式开展调研，现将有关情况报告如下\n"
        "一、主要做法\n- 1 -\n"
        "各地坚持党建引领，推动治理重心下移、资源下沉，基层治理体系\n- 2 -\n不断完善，群众满意度逐年提升。\n"
        f"二、存在的问题\n{line}\n- 3 -\n方治理手段单一，数字化应用水平不高。\n"
    )
    text = cleaning.apply_repairs(wrapped, cleaning.find_repairs(wrapped))
    assert "采取座谈交流、实地察看" in text
    assert "基层治理体系不断完善" in text and "部分地方治理" in text and "- 2 -" not in text

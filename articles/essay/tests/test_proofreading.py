"""Behaviour of the proofreading engine: each rule fires where the word is
wrong and stays silent where it is right, and the built-in checks put lost
closing marks where they belong."""

import json
import re
from pathlib import Path

import pytest

from articles.essay.patterns import Pattern
from articles.essay.proofreading import (
    CATEGORIES,
    SEVERITIES,
    Finding,
    Rule,
    _compile,
    apply_corrections,
    load_rules,
    proofread,
    rules_version,
)

ROOT = Path(__file__).resolve().parents[3]
SAMPLE_PATHS = (ROOT.parent / "shared" / "corpus" / "000_732e1f7d4a6dfbca.txt",)
GOLD_PATH = ROOT / "benchmarks" / "proofreading" / "sample_gold.json"


def rule_findings(text):
    return proofread(text, builtin_checks=False)


_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


def without_width_fixes(findings):
    """The findings less the GB/T 15834 width normalisations (an ASCII mark between
    hanzi → its full-width form): these texts use ASCII marks as the sample essay
    does; the normalisations have their own tests (test_punctuation.py)."""
    return [
        f
        for f in findings
        if not (f.rule == "punct.halfwidth" and f.suggestion == _FULL_WIDTH.get(f.original.rstrip(" ")))
    ]


# (rule id, sentence, wrong text, suggestion): one sentence per shipped rule.
POSITIVE = [
    ("political.kexue_fazhan_guan", "深入贯彻落实科学开展观。", "科学开展观", "科学发展观"),
    ("political.liangxue_yizuo", "推进“两学一作”学习教育常态化", "两学一作", "两学一做"),
    ("political.sanhui_yike", "严格落实三会一堂制度", "三会一堂", "三会一课"),
    ("political.quanmian_congyan_zhidang", "推进全面严格治党向纵深发展", "全面严格治党", "全面从严治党"),
    ("political.guandang_congyan", "坚持党要管党、严格治党", "严格治党", "从严治党"),
    ("political.buwang_chuxin", "不忘初衷、牢记使命", "初衷", "初心"),
    ("political.laoji_shiming", "不忘初心、牢记任务", "任务", "使命"),
    ("political.sige_yishi", "增强“四个认识”", "四个认识", "四个意识"),
    ("political.sige_zixin", "坚定“四个信心”", "四个信心", "四个自信"),
    ("political.liangge_weihu", "做到“两个捍卫”", "两个捍卫", "两个维护"),
    ("political.zhongguo_tese", "坚持中国特点社会主义道路", "中国特点社会主义", "中国特色社会主义"),
    ("political.xin_shidai_sixiang", "学习习近平新时期中国特色社会主义思想", "新时期", "新时代"),
    ("political.tese_sixiang", "学习习近平新时代中国特色社会主义思维", "思维", "思想"),
    ("political.qunzhong_luxian", "党的群众道路教育实践活动", "群众道路", "群众路线"),
    ("political.minzhu_jizhong", "坚持民主集中体制", "民主集中体制", "民主集中制"),
    ("political.zhandou_baolei", "发挥党组织的战斗碉堡作用", "战斗碉堡", "战斗堡垒"),
    ("political.xianfeng_mofan", "发挥党员的先锋典范作用", "先锋典范", "先锋模范"),
    ("bt.fuwu.xiaolao", "全心全意为人民效劳", "效劳", "服务"),
    ("bt.fazhan.domain_subject", "推进经济社会又好又快开展提供保障", "开展", "发展"),
    ("bt.fazhan.manner_end", "两者相互促进,协调开展,为推进", "开展", "发展"),
    ("bt.fazhan.promote", "抓好党建促开展的工作思路", "开展", "发展"),
    ("bt.fazhan.of_noun", "随着社会的开展和进步", "开展", "发展"),
    ("bt.fazhan.noun_head", "坚持新的开展理念", "开展", "发展"),
    ("bt.fazhan.of_path", "纳入开展的轨道", "开展", "发展"),
    ("bt.fazhan.practice", "开始了新一轮的开展实践。", "开展", "发展"),
    ("bt.fazhan.party_member", "组织一下学习,开展几个党员,工作一般", "开展", "发展"),
    ("bt.fazhan.direction", "引导群众向先锋模范党员方向开展。", "开展", "发展"),
    ("bt.jichu.after_noun", "打牢党的工作根底", "根底", "基础"),
    ("bt.jichu.before_noun", "加强根底设施建设", "根底", "基础"),
    ("bt.jichu.on_basis", "在此根底上", "根底", "基础"),
    ("bt.bufen.yi", "一局部同志认为", "局部", "部分"),
    ("bt.bufen.people", "局部人忙", "局部", "部分"),
    ("bt.buzu.after_noun", "对重要性认识缺乏,对自身", "缺乏", "不足"),
    ("bt.buzu.some", "还存在一些缺乏。", "缺乏", "不足"),
    ("bt.buzu.zhichu", "工作中的缺乏之处", "缺乏", "不足"),
    ("bt.gonggu.verb", "稳固党的执政地位", "稳固", "巩固"),
    ("bt.guangda.people", "得到广阔人民群众的拥护", "广阔", "广大"),
    ("bt.tixian.role", "在表达党员先锋作用上下功夫", "表达", "体现"),
    ("bt.gaijin.strengthen", "加强和改良党的建设", "改良", "改进"),
    ("bt.gaijin.work", "切实改良工作作风", "改良", "改进"),
    ("bt.dailing.people", "我党带着人民群众开始了新征程", "带着", "带领"),
    ("bt.jianding.belief", "认真学好党章,坚决理想信念。", "坚决", "坚定"),
    ("bt.xiangmu.gexiang_mubiao", "实现各工程标任务的职责", "各工程标", "各项目标"),
    ("bt.chengdan.chengdang", "承当着重要职责", "承当", "承担"),
    ("bt.fenwei.nonghou", "形成争先进的浓厚气氛", "气氛", "氛围"),
    ("bt.xingshi.new_situation", "必须适应新形式、新要求", "形式", "形势"),
    ("bt.chuangjian.activity", "开展学习型党员创立活动", "创立", "创建"),
]

# Wrong uses from the brief, each with the fix expected (any rule may do it).
MORE_POSITIVE = [
    ("效劳于经济开展,", ["服务", "发展"]),
    ("步入科学开展的轨道", ["发展"]),
    ("为实现城乡统筹开展,", ["发展"]),
    ("基层经济社会开展状况", ["发展"]),
    ("适应时代开展的需求", ["发展"]),
    ("带着群众谋开展、干事业", ["带领", "发展"]),
    ("推动经济稳定开展有着重要作用", ["发展"]),
    ("推动经济社会持续健康开展。", ["发展"]),
    ("相当一局部基层党组织", ["部分"]),
    ("致使局部党员干部党性不强", ["部分"]),
    ("二是监督职能缺乏,缺少应有的抓手", ["不足"]),
    ("积极教育引导广阔党员群众", ["广大"]),
    ("稳固执政地位的需求", ["巩固"]),
    ("扩大党的群众根底", ["基础"]),
    ("稳固党的执政根底,", ["巩固", "基础"]),
    ("使我党正确带着人民不断前进", ["带领"]),
    ("就学习型、效劳型、创新型党组织建设", ["服务"]),
    ("在全社会形成学先进的浓厚气氛,", ["氛围"]),
]

# Right uses of the same words: nothing may be flagged.
NEGATIVE = [
    "深入开展“两学一做”学习教育。",
    "要深入开展“创先争优”活动。",
    "认真开展调研,开展学习,开展活动。",
    "号召力不强,工作难开展。",
    "在全社会开展社会主义核心价值观宣传教育。",
    "新时代开展基层党建工作的几点思考。",
    "各项工作协调开展,有序推进。",
    "统筹开展各类培训,科学开展调查研究。",
    "督促开展自查自纠,持续开展作风建设。",
    "活动的开展离不开群众的支持。",
    "开展党员志愿服务活动,开展党员教育培训。",
    "对党的活动缺乏积极性。",
    "各类资源缺乏有效整合。",
    "缺乏实施管理的必要手段。",
    "资金缺乏,人才匮乏。",
    "存在一些缺乏经验的同志。",
    "为党员发挥作用提供广阔的舞台。",
    "农村是一个广阔的天地,前景广阔。",
    "局部地区出现强降雨,局部利益服从整体利益。",
    "这一局部的变化不大。",
    "执政地位稳固,基础更加稳固。",
    "打下稳固的基础。",
    "畅通群众表达诉求的渠道,充分表达意见。",
    "推进品种改良和土壤改良。",
    "带着问题下基层,带着感情做群众工作。",
    "带着群众的嘱托履职尽责,带着大家一起干,带着全体党员的期望。",
    "坚决反对形式主义,坚决贯彻落实。",
    "实施民生工程和重点工程,完成各工程标段建设。",
    "会场气氛热烈。",
    "活动形式多样,不能流于形式。",
    "分析新形势,适应新形势、新要求。",
    "老一辈革命家创立了中华人民共和国。",
    "他的古文根底很好。",
    "为国效劳。",
    "科学发展观是马克思主义中国化的重大成果。",
    "不忘初衷,方得始终。",
    "推进全面从严治党向纵深发展,全面从严管党治党。",
    "推动经济社会持续健康发展。",
    "巩固党的执政基础,广大党员干部带领群众。",
    "他一个人承担了全部任务,表达了决心。",
    "营造风清气正的良好氛围。",
    "进一步增强党员队伍的综合素质。",
    "第一要务是发展。",
    "做到“两个维护”,增强“四个意识”、坚定“四个自信”。",
    "学习《中国共产党章程》(2017年修订)。",
    "(一)适应时代发展的需求",
    "（二）巩固执政地位的需求",
    "一是管理关系脱节。二是监督职能不足。",
    "落实“三会一课”制度,发挥“战斗堡垒”作用。",
    "坚持“围绕经济抓党建，抓好党建促发展”的工作思路。",
]


@pytest.mark.parametrize(("rule_id", "text", "wrong", "suggestion"), POSITIVE, ids=[p[0] for p in POSITIVE])
def test_rule_flags_the_wrong_word_with_the_right_fix(rule_id, text, wrong, suggestion):
    findings = rule_findings(text)
    assert [(f.rule, f.original, f.suggestion) for f in findings] == [(rule_id, wrong, suggestion)]
    finding = findings[0]
    assert text[finding.start : finding.end] == wrong
    assert 0 < finding.confidence <= 1


def test_every_shipped_rule_has_a_positive_example():
    assert {rule.id for rule in load_rules()} == {rule_id for rule_id, *_ in POSITIVE}


@pytest.mark.parametrize(("text", "fixes"), MORE_POSITIVE)
def test_wrong_usage_from_the_sample_is_fixed(text, fixes):
    assert [f.suggestion for f in rule_findings(text)] == fixes


@pytest.mark.parametrize("text", NEGATIVE)
def test_right_usage_is_not_flagged(text):
    assert without_width_fixes(proofread(text)) == []


def test_political_terms_have_political_severity():
    findings = rule_findings("贯彻落实科学开展观,推动经济开展")
    assert [(f.original, f.category, f.severity) for f in findings] == [
        ("科学开展观", "political_term", "political"),
        ("开展", "back_translation", "high"),
    ]
    assert all(rule.severity == "political" for rule in load_rules() if rule.category == "political_term")


def test_political_finding_wins_over_the_word_swap_inside_it():
    # bt.fazhan.manner_end would also flag the 开展 inside 科学开展观.
    findings = rule_findings("深入学习实践科学开展观活动")
    assert [(f.rule, f.original) for f in findings] == [("political.kexue_fazhan_guan", "科学开展观")]


def test_offsets_point_at_the_original_text():
    text = "基层党建工作要服从、效劳于经济开展,两者相互促进,协调开展。"
    findings = rule_findings(text)
    assert [(f.start, f.end) for f in findings] == [(10, 12), (15, 17), (27, 29)]
    assert all(text[f.start : f.end] == f.original for f in findings)


def test_findings_are_sorted_and_do_not_overlap():
    text = open_sample_or_skip()
    findings = proofread(text)
    assert findings == sorted(findings, key=lambda f: (f.start, f.end))
    for before, after in zip(findings, findings[1:], strict=False):
        assert before.end <= after.start


def test_apply_corrections_fixes_the_text():
    text = "要坚持“围绕经济抓党建,抓好党建促开展的工作思路,为人民效劳。"
    findings = without_width_fixes(proofread(text))
    assert apply_corrections(text, findings) == "要坚持“围绕经济抓党建,抓好党建促发展”的工作思路,为人民服务。"


def test_apply_corrections_deletes_page_markers_and_brackets_point_numbers():
    line = "随着社会主义现代化建设的深入推进," * 8
    text = f"{line}社会主义\n2、市场经济体制的完善,新的问题不断呈现,具有十分重要的现实意义一适应时代的需求 步入新征程。"
    fixed = apply_corrections(text, proofread(text))
    assert "社会主义市场经济体制" in fixed
    assert "现实意义\n(一)适应时代的需求 步入" in fixed


def test_apply_corrections_skips_advisory_findings_and_refuses_stale_ones():
    text = "学习党章”和党规。"
    findings = proofread(text)
    assert [(f.rule, f.is_fixable) for f in findings] == [("quote.unpaired", False)]
    assert apply_corrections(text, findings) == text
    stale = Finding(0, 2, "不是", "是", "x", "back_translation", "high", "", 0.5)
    with pytest.raises(ValueError, match="does not match"):
        apply_corrections(text, [stale])


def test_finding_to_dict_is_plain_data():
    finding = rule_findings("为人民效劳")[0]
    data = finding.to_dict()
    assert data["original"] == "效劳" and data["suggestion"] == "服务" and data["rule"] == "bt.fuwu.xiaolao"
    json.dumps(data, ensure_ascii=False)


# Lost closing quotation marks: "|" marks where the closing mark belongs.
QUOTES = [
    "基层党建工作要坚持“围绕经济抓党建,抓好党建促开展|的工作思路,不断超越自我",
    "步入“十三五|征程,我党带领人民群众",
    "抱着“干与不干一个样、干好干坏一个样|的心理,不思进取",
    "积极寻求基层党组织建设的“创新点|。基层党组织",
    "要深入开展“创先争优|活动,只有在探索新思路",
    "认真开展“学习型组织|、“学习型党员|创立活动,不断深入学习",
    "深入落实“两学一做|教育,在“两学一做|学习教育中争当表率",
    "扎实推进“放管服|改革",
    "认真学习《中国共产党章程|,严格遵守党的纪律",
    "（一|加强学习",
]


@pytest.mark.parametrize("marked", QUOTES)
def test_lost_closing_mark_is_put_where_it_belongs(marked):
    text = marked.replace("|", "")
    positions = []
    offset = 0
    for piece in marked.split("|")[:-1]:
        offset += len(piece)
        positions.append(offset)
    findings = [f for f in without_width_fixes(proofread(text)) if f.category == "punctuation"]
    assert [(f.start, f.end) for f in findings] == [(p, p) for p in positions]
    assert all(f.original == "" and f.suggestion in "”》）" and f.suggestion for f in findings)
    assert {f.rule for f in findings} <= {"quote.unpaired", "book_title.unpaired", "bracket.unpaired"}
    assert findings[0].explanation.startswith("缺少")


def test_known_term_closes_even_at_paragraph_end():
    findings = proofread("深入学习“两学一做\n下一段")
    assert [(f.start, f.suggestion) for f in findings] == [(9, "”")]


def test_quote_split_by_a_page_marker_is_still_paired():
    page = "随着社会主义现代化建设的深入推进," * 8
    text = f"{page}深入落实“两学一\n8、做”学习教育。"
    assert [f.rule for f in without_width_fixes(proofread(text))] == ["structure.page_marker"]


def test_stray_closing_mark_is_advisory():
    findings = proofread("学习党章》和党规。")
    assert [(f.rule, f.original, f.is_fixable, f.explanation) for f in findings] == [
        ("book_title.unpaired", "》", False, "缺少前书名号")
    ]


def test_paired_and_nested_quotes_are_fine():
    assert without_width_fixes(proofread("他说:“要学习‘两学一做’精神。”我们都记住了“三会一课”。(一)(二)")) == []


def test_unpaired_quote_at_paragraph_end_without_a_clear_boundary_is_advisory():
    text = "他们提出了“一心一意谋发展全心全意为人民服务共同打造幸福美好家园永远跟党走\n下一段"
    findings = proofread(text)
    assert len(findings) == 1
    assert findings[0].rule == "quote.unpaired" and not findings[0].is_fixable


def test_page_marker_in_a_short_line_is_a_list_item_not_a_page():
    assert proofread("主要措施如下\n1、加强学习\n2、改进作风") == []


def test_bare_point_numbers_follow_their_sequence():
    text = "意义一适应时代的需求 步入新时代。保障二巩固执政地位的需求 基层经济。要求四满足群众的期盼 人民。"
    findings = [f for f in proofread(text) if f.rule == "structure.bare_point_number"]
    # 四 does not follow 二, so it is taken for a word.
    assert [f.original for f in findings] == ["一", "二"]


def test_bare_point_number_ignores_words_and_enumerations():
    text = "统一思想 提高认识。一是管理关系脱节 二是监督不足。进一步增强素质 提高能力。"
    assert [f for f in proofread(text) if f.rule == "structure.bare_point_number"] == []


def test_yi_yao_er_yao_enumerations_are_not_bare_point_numbers():
    # Clean text in the genre: 一要……二要…… enumerate duties, they are no run-in point numbers.
    text = (
        "做好新形势下的组织工作，一要提高政治站位 二要压实工作责任 三要加强督促检查。\n"
        "各支部一要把学习抓在经常 二要把制度落到实处。"
    )
    assert [f for f in proofread(text) if f.rule == "structure.bare_point_number"] == []


# ---- rule files ----------------------------------------------------------


def write_rules(tmp_path, rules, version="test"):
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"version": version, "rules": rules}, ensure_ascii=False), encoding="utf-8")
    return path


def a_rule(**changes):
    rule = {
        "id": "t.one",
        "pattern": "效劳",
        "suggestion": "服务",
        "category": "back_translation",
        "severity": "high",
        "explanation": "机器回译错词",
    }
    rule.update(changes)
    return rule


def test_shipped_rules_load_and_validate():
    rules = load_rules()
    assert len(rules) >= 40
    assert len({rule.id for rule in rules}) == len(rules)
    assert all(rule.category in CATEGORIES and rule.severity in SEVERITIES for rule in rules)
    assert all(rule.explanation and any("\u4e00" <= char <= "\u9fff" for char in rule.explanation) for rule in rules)
    assert rules_version() == "2026.12.1"


def test_rules_load_from_a_custom_file(tmp_path):
    path = write_rules(tmp_path, [a_rule(context_before="为人民", confidence=0.5)])
    rules = load_rules(path)
    assert rules == [Rule(**a_rule(context_before="为人民", confidence=0.5))]
    assert [f.suggestion for f in without_width_fixes(proofread("为人民效劳,为国效劳", rules))] == ["服务"]
    assert rules_version(path) == "test"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"category": "typo"}, "unknown category 'typo'"),
        ({"severity": "critical"}, "unknown severity 'critical'"),
        ({"pattern": "效(劳"}, "invalid regex in 'pattern'"),
        ({"context_after": "[党"}, "invalid regex in 'context_after'"),
        ({"not_before": "(?<=a+)b"}, "invalid regex in 'not_before'"),
        ({"pattern": "x?"}, "must not match the empty string"),
        ({"category": "political_term", "severity": "high"}, "severity 'political'"),
        ({"confidence": 2}, "confidence"),
        ({"colour": "red"}, "unknown field"),
    ],
)
def test_invalid_rules_are_refused_with_a_clear_message(tmp_path, changes, message):
    path = write_rules(tmp_path, [a_rule(**changes)])
    with pytest.raises(ValueError, match=message) as error:
        load_rules(path)
    assert "t.one" in str(error.value)


def test_duplicate_ids_and_missing_fields_are_refused(tmp_path):
    with pytest.raises(ValueError, match="duplicate rule id"):
        load_rules(write_rules(tmp_path, [a_rule(), a_rule()]))
    rule = a_rule()
    del rule["suggestion"]
    with pytest.raises(ValueError, match="missing field"):
        load_rules(write_rules(tmp_path, [rule]))
    (tmp_path / "bad.json").write_text('{"rules": []}', encoding="utf-8")
    with pytest.raises(ValueError, match="version"):
        load_rules(tmp_path / "bad.json")


def test_rules_built_in_code_are_validated_too():
    with pytest.raises(ValueError, match="unknown severity"):
        proofread("为人民效劳", [Rule(**a_rule(severity="urgent"))])


def test_disabled_rules_are_ignored(tmp_path):
    rules = load_rules(
        write_rules(tmp_path, [a_rule(enabled=False), a_rule(id="t.two", pattern="开展", suggestion="发展")])
    )
    assert [f.rule for f in proofread("为人民效劳,促进开展", rules, builtin_checks=False)] == ["t.two"]


def test_context_and_veto_regexes_decide(tmp_path):
    rule = Rule(**a_rule(pattern="开展", suggestion="发展", context_before="经济", not_after="工作"))
    assert [f.start for f in proofread("经济开展,经济开展工作,社会开展", [rule], builtin_checks=False)] == [2]


# ---- the sample essay ----------------------------------------------------


def open_sample_or_skip():
    for path in SAMPLE_PATHS:
        if path.exists():
            return path.read_text(encoding="utf-8")
    pytest.skip("sample essay not available")


def gold_spans(text):
    spans = []
    for entry in json.loads(GOLD_PATH.read_text(encoding="utf-8")):
        context = entry["context"]
        plain = context.replace("‸", "")
        assert text.count(plain) == 1, context
        start = text.index(plain) + context.index("‸")
        spans.append((start, start + len(entry["original"]), entry))
    return spans


def test_sample_essay_recall_and_no_findings_outside_gold():
    text = open_sample_or_skip()
    golds = gold_spans(text)
    findings = without_width_fixes(proofread(text))

    def matches(finding, start, end, entry):
        if start == end:  # a lost mark: located within two characters
            return (
                finding.start == finding.end
                and abs(finding.start - start) <= 2
                and finding.suggestion == entry["suggestion"]
            )
        if finding.start == finding.end or finding.end <= start or end <= finding.start:
            return False
        lo, hi = min(finding.start, start), max(finding.end, end)
        ours = text[lo : finding.start] + finding.suggestion + text[finding.end : hi]
        theirs = text[lo:start] + entry["suggestion"] + text[end:hi]
        return ours == theirs

    outside = [f for f in findings if not any(matches(f, *gold) for gold in golds)]
    assert outside == []
    unwanted = [f for f in findings for gold in golds if gold[2].get("ambiguous") and matches(f, *gold)]
    assert unwanted == []
    core = [
        gold
        for gold in golds
        if gold[2]["category"] in ("back_translation", "political_term") and not gold[2].get("ambiguous")
    ]
    found = [gold for gold in core if any(matches(f, *gold) for f in findings)]
    assert len(found) / len(core) >= 0.9
    political = [gold for gold in core if gold[2]["category"] == "political_term"]
    assert political and all(any(matches(f, *gold) for f in findings) for gold in political)


# ---- the regex engine: linear time whatever the pattern ---------------------


def test_every_shipped_pattern_runs_on_the_linear_time_engine():
    for rule in load_rules():
        compiled = _compile(rule)
        regexes = (compiled.pattern, compiled.before, compiled.after, compiled.not_before, compiled.not_after)
        assert all(regex is None or isinstance(regex, Pattern) for regex in regexes), rule.id


def test_a_catastrophic_pattern_runs_on_the_linear_time_engine():
    # Python's backtracking engine never returns from this on a long line.
    rule = Rule(**a_rule(pattern="(.*.*)*ZZZ", context_after="(.*)*YYY", not_before="(x+x+)+y"))
    compiled = _compile(rule)
    assert isinstance(compiled.pattern, Pattern) and isinstance(compiled.after, Pattern)
    assert proofread("基层党建工作" * 5000, [rule], builtin_checks=False) == []


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"context_after": "实践(?!活动)"}, "环视"),
        ({"pattern": r"(开展)\1"}, "反向引用"),
        ({"pattern": r"\b开展"}, r"\b"),
        ({"pattern": "党" * 1001}, "上限 1000"),
        ({"pattern": ".{0,999}开展"}, "过于复杂"),
    ],
)
def test_patterns_the_linear_time_engine_cannot_run_quickly_are_refused(tmp_path, changes, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        load_rules(write_rules(tmp_path, [a_rule(**changes)]))
    with pytest.raises(ValueError, match=re.escape(words)):
        proofread("开展实践", [Rule(**a_rule(**changes))])


def test_a_context_after_looks_no_further_than_forty_characters():
    rule = Rule(**a_rule(pattern="开展", suggestion="发展", context_after=".{39}号"))
    assert proofread("开展" + "一" * 39 + "号", [rule], builtin_checks=False)
    far = Rule(**a_rule(pattern="开展", suggestion="发展", context_after=".{40}号"))
    assert proofread("开展" + "一" * 40 + "号", [far], builtin_checks=False) == []


def test_a_context_after_still_sees_the_end_of_the_text():
    rule = Rule(**a_rule(pattern="开展", suggestion="发展", context_after="[，。]|$"))
    assert [f.start for f in proofread("协调开展，协调开展工作，协调开展", [rule], builtin_checks=False)] == [2, 14]


def test_findings_carry_character_offsets_in_text_with_wide_characters():
    text = "😀基层党建，为人民效劳。𠀀为人民效劳"
    findings = proofread(text, [Rule(**a_rule(context_before="为人民"))], builtin_checks=False)
    assert [(f.start, f.end, text[f.start : f.end]) for f in findings] == [(9, 11, "效劳"), (16, 18, "效劳")]


def test_an_ideographic_space_counts_as_a_space_in_a_context():
    rule = Rule(**a_rule(pattern="开展", suggestion="发展", context_after=r"\s"))
    assert [f.start for f in proofread("协调开展\u3000工作", [rule], builtin_checks=False)] == [2]


def test_a_quotation_of_several_paragraphs_opens_each_and_closes_only_the_last():
    """GB/T 15834: a quotation running over paragraphs repeats “ at each paragraph start, ” only at its end."""
    text = "一位老党员说：\n“入党那天我就想好了，这辈子要对得起胸前的党徽。\n“只要群众需要，我随叫随到。”\n朴素的话语。"
    assert without_width_fixes(proofread(text)) == []
    # Without the repeated “ the next paragraph is no continuation: the lost ” is still found.
    text = "一位老党员说：“入党那天我就想好了，这辈子要对得起胸前的党徽。\n只要群众需要，我随叫随到。"
    assert [f.rule for f in without_width_fixes(proofread(text))] == ["quote.unpaired"]

"""Guess what a section is about from its heading.

Rule: every keyword found in the heading votes for its kind, and the keyword
that ends *last* wins. Chinese noun phrases are head-final, so the last
keyword is usually the head: 问题产生的原因 is about causes, 解决问题的对策
about countermeasures, 存在的问题及对策建议 ends in 对策建议 and is filed
under countermeasures (the part an editor would look for). 问题 right after
a verb such as 解决/破解/整改 is the object of an action, not a problem list,
so it does not vote.
"""

import re

_KEYWORDS = {
    "significance": ("意义", "重要性", "必要性", "紧迫性", "重要作用"),
    "situation": ("现状", "成效", "基本情况", "总体情况", "情况", "成绩", "做法", "进展", "概况", "成果"),
    "problems": ("问题", "不足", "缺乏", "短板", "困难", "挑战", "差距", "弱项", "薄弱环节", "表现"),
    "causes": ("原因", "成因", "根源", "症结"),
    "countermeasures": ("对策", "建议", "措施", "路径", "举措", "途径", "思路", "办法", "抓手"),
}

# 问题 as the object of a remedy verb ("解决…问题") is not a list of problems.
_REMEDIED_PROBLEM_RE = re.compile(r"(?:解决|破解|整改|化解|处理)[^,，、；]{0,8}$")


def guess_kind(heading: str) -> str:
    """Return one of significance / situation / problems / causes / countermeasures / other."""
    if not isinstance(heading, str) or not heading:
        return "other"
    best_kind, best_end, best_len = "other", -1, 0
    for kind, words in _KEYWORDS.items():
        for word in words:
            start = heading.rfind(word)
            while start != -1 and word == "问题" and _REMEDIED_PROBLEM_RE.search(heading[:start]):
                start = heading.rfind(word, 0, start)
            if start == -1:
                continue
            end = start + len(word)
            if end > best_end or (end == best_end and len(word) > best_len):
                best_kind, best_end, best_len = kind, end, len(word)
    return best_kind

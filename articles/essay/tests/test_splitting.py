"""``split_essays``: a page of several essays (【篇1】【篇2】, 范文一/范文二) cut into essays."""

from articles.essay import parse
from articles.essay.splitting import split_essays

PAGE = (
    "党员学习心得体会（通用2篇） 【篇1】坚定理想信念 通过这段时间的集中学习，我深刻认识到理想信念是共产党人的精神之钙，必须把坚定理想信念作为安身立命的根本，时刻对标对表、查找差距。"
    "一、加强理论学习 要原原本本学习党的创新理论，做到学深悟透。二、坚持学用结合 要把学习成果转化为推动工作的实际成效。"
    "【篇2】践行为民宗旨 作为一名在基层工作多年的党员，我始终牢记全心全意为人民服务的根本宗旨，把群众的事当作自己的事，努力做群众的贴心人。"
    "一、深入群众 经常走访困难群众，了解他们的实际需求。二、真情服务 用心用情为群众办实事、解难题。"
)


def test_bracketed_markers_split_a_page_that_lost_its_line_breaks():
    pieces = split_essays(PAGE)
    assert [parse(piece).title for piece in pieces] == ["坚定理想信念", "践行为民宗旨"]
    assert [[s.heading for s in parse(piece).sections] for piece in pieces] == [
        ["加强理论学习", "坚持学用结合"],
        ["深入群众", "真情服务"],
    ]


def test_markers_with_line_breaks_still_split_and_a_mention_inside_a_sentence_does_not():
    page = "心得体会（通用2篇）\n【篇1】学习体会\n正文一。\n【篇2】工作体会\n正文二。\n"
    assert split_essays(page) == ["学习体会\n正文一。", "工作体会\n正文二。"]
    prose = "这篇文章分为篇一和篇二两部分，篇一讲学习，篇二讲工作。"
    assert split_essays(prose) == [prose]

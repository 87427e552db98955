"""Reading uploaded Word essays: text in order, Word's automatic numbering
put back, and archives that are not honest .docx files refused before
python-docx opens them."""

import io
import random
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from articles.editing import docx as essay_docx
from articles.editing.docx import DocxError, check_archive, docx_to_text
from articles.essay import EssayError, parse


def save(document):
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def zip_bytes(members, compression=zipfile.ZIP_DEFLATED):
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return stream.getvalue()


def minimal_members(document_xml=b"<w:document/>"):
    return {"[Content_Types].xml": b"<Types/>", "word/document.xml": document_xml}


# --- text ----------------------------------------------------------------------


def test_paragraphs_and_tables_come_out_in_document_order():
    document = docx.Document()
    document.add_paragraph("标题")
    document.add_paragraph("导语第一段。")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "格一"
    table.cell(0, 1).text = "格二"
    document.add_paragraph("结语。")
    assert docx_to_text(save(document)) == "标题\n导语第一段。\n格一\n格二\n结语。"


def test_runs_tabs_and_line_breaks_are_kept_within_a_paragraph():
    document = docx.Document()
    paragraph = document.add_paragraph("基层")
    paragraph.add_run("党建").bold = True
    paragraph.add_run("\t工作")
    paragraph.add_run().add_break()
    paragraph.add_run("第二行")
    assert docx_to_text(save(document)) == "基层党建\t工作\n第二行"


def test_tracked_deletions_are_left_out_and_insertions_kept():
    document = docx.Document()
    paragraph = document.add_paragraph("坚持")
    paragraph._p.append(
        parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="a"><w:r><w:delText>科学开展观</w:delText></w:r></w:del>')
    )
    paragraph._p.append(
        parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="a"><w:r><w:t>科学发展观</w:t></w:r></w:ins>')
    )
    assert docx_to_text(save(document)) == "坚持科学发展观"


def _add_numbering(document, levels):
    """A list definition: ``levels`` is [(numFmt, lvlText)] by level; returns its numId."""
    numbering = document.part.numbering_part.element
    level_xml = "".join(
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for ilvl, (fmt, text) in enumerate(levels)
    )
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{level_xml}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return 90


def _numbered(document, text, num_id, ilvl):
    paragraph = document.add_paragraph(text)
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


def test_word_automatic_chinese_numbering_is_put_back():
    document = docx.Document()
    num_id = _add_numbering(document, [("chineseCounting", "%1、"), ("chineseCounting", "（%2）")])
    document.add_paragraph("基层党建工作的几点思考")
    document.add_paragraph("基层党建工作要坚持围绕发展抓党建的思路，不断夯实党的执政根基。")
    _numbered(document, "重要意义", num_id, 0)
    _numbered(document, "适应时代发展的需求", num_id, 1)
    document.add_paragraph("基层党组织是党全部工作和战斗力的基础。")
    _numbered(document, "巩固执政地位的需求", num_id, 1)
    document.add_paragraph("正文。")
    _numbered(document, "存在问题", num_id, 0)
    _numbered(document, "组织生活不规范", num_id, 1)  # restarts at (一) under 二、
    document.add_paragraph("正文。")
    _numbered(document, "组织建设薄弱", num_id, 1)
    document.add_paragraph("正文。")
    text = docx_to_text(save(document))
    lines = text.split("\n")
    assert lines[2] == "一、重要意义"
    assert lines[3] == "（一）适应时代发展的需求"
    assert lines[5] == "（二）巩固执政地位的需求"
    assert lines[7] == "二、存在问题"
    assert lines[8] == "（一）组织生活不规范"
    essay = parse(text)
    assert [section.heading for section in essay.sections] == ["重要意义", "存在问题"]
    assert [len(section.points) for section in essay.sections] == [2, 2]


def test_numbering_from_a_paragraph_style_is_put_back():
    document = docx.Document()
    document.add_paragraph("甲", style="List Number")
    document.add_paragraph("乙", style="List Number")
    assert docx_to_text(save(document)) == "1.甲\n2.乙"


def test_bullets_are_not_turned_into_numbers():
    document = docx.Document()
    document.add_paragraph("要点", style="List Bullet")
    assert docx_to_text(save(document)) == "要点"


@pytest.mark.parametrize(
    "value, fmt, expected",
    [
        (3, "decimal", "3"),
        (3, "chineseCounting", "三"),
        (12, "chineseCountingThousand", "十二"),
        (2, "decimalFullWidth", "２"),
        (28, "lowerLetter", "bb"),
        (4, "upperRoman", "IV"),
        (7, "decimalZero", "07"),
        (5, "unknownFormat", "5"),
    ],
)
def test_number_formats(value, fmt, expected):
    assert essay_docx._format_number(value, fmt) == expected


# --- refused archives ----------------------------------------------------------


def test_refusals_are_essay_errors_with_chinese_messages():
    with pytest.raises(EssayError, match="不是有效的 .docx 文件"):
        docx_to_text(b"plain text, not a zip")


def test_zip_bomb_by_uncompressed_size_is_refused_before_opening(monkeypatch):
    bomb = zip_bytes(minimal_members(b"<w:document>" + b" " * (21 * 1024 * 1024)))
    assert len(bomb) < 100 * 1024
    opened = []
    monkeypatch.setattr(docx, "Document", lambda *args: opened.append(args))
    with pytest.raises(DocxError, match="解压后超过 20 MB"):
        docx_to_text(bomb)
    assert not opened


def test_zip_bomb_by_compression_ratio_is_refused():
    with pytest.raises(DocxError, match="压缩比异常"):
        check_archive(zip_bytes(minimal_members(b" " * (3 * 1024 * 1024))))


def test_xml_with_more_elements_than_the_reader_takes_is_refused_before_opening(monkeypatch):
    # 20 MB of XML can hold 3 million elements, some 400 MB once parsed;
    # the elements are counted, without building a tree, before python-docx
    # parses anything. The bound is lowered here to keep the test small.
    monkeypatch.setattr(essay_docx, "MAX_XML_NODES", 2000)
    document = docx.Document()
    for _ in range(1000):
        document.add_paragraph("正文")
    opened = []
    monkeypatch.setattr(docx, "Document", lambda *args: opened.append(args))
    with pytest.raises(DocxError, match="结构过于庞大"):
        docx_to_text(save(document))
    assert not opened


def test_xml_elements_are_counted_whatever_the_parts_are_called(monkeypatch):
    monkeypatch.setattr(essay_docx, "MAX_XML_NODES", 2000)
    many = b"<a>" + b"<b/>" * 3000 + b"</a>"
    with pytest.raises(DocxError, match="结构过于庞大"):
        check_archive(zip_bytes({**minimal_members(), "word/media/image1.png": many}))


def test_the_longest_essay_the_import_page_takes_fits_the_element_bound_as_word_writes_it():
    # Word's own XML is verbose: revision ids on every paragraph and run, and
    # 公文 formatting (仿宋 三号, fixed line spacing) repeated on every run.
    from articles.admin.importing import MAX_TEXT_CHARS

    words = random.Random(0)
    fonts = '<w:rFonts w:ascii="仿宋" w:eastAsia="仿宋" w:hAnsi="仿宋" w:hint="eastAsia"/><w:sz w:val="32"/><w:szCs w:val="32"/>'

    def run():
        text = "".join(words.choice("党建引领基层治理工作组织群众服务发展巩固坚持推进落实") for _ in range(30))
        return f'<w:r w:rsidRPr="00A1B2C3"><w:rPr>{fonts}</w:rPr><w:t>{text}</w:t></w:r>'

    document = docx.Document()
    body = document.element.body
    for _ in range(MAX_TEXT_CHARS // 150):
        body.insert(
            0,
            parse_xml(
                f'<w:p {nsdecls("w")} w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3" w:rsidP="00A1B2C3"><w:pPr>'
                '<w:spacing w:line="560" w:lineRule="exact"/><w:ind w:firstLineChars="200" w:firstLine="640"/>'
                f"<w:rPr>{fonts}</w:rPr></w:pPr>{''.join(run() for _ in range(5))}</w:p>"
            ),
        )
    data = save(document)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert essay_docx._xml_nodes(archive) < essay_docx.MAX_XML_NODES / 2
    assert len(docx_to_text(data)) > MAX_TEXT_CHARS * 0.99


def test_too_many_members_are_refused():
    members = {f"word/media/{i}.xml": b"x" for i in range(essay_docx.MAX_MEMBERS + 1)}
    with pytest.raises(DocxError, match="部件"):
        check_archive(zip_bytes({**minimal_members(), **members}, zipfile.ZIP_STORED))


def test_oversized_file_is_refused():
    with pytest.raises(DocxError, match="文件过大"):
        check_archive(b"PK" + b"\x00" * essay_docx.MAX_DOCX_BYTES)


def test_old_word_format_is_explained():
    with pytest.raises(DocxError, match="旧版 Word"):
        check_archive(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)


def test_zip_without_a_word_document_is_refused():
    with pytest.raises(DocxError, match="没有正文部分"):
        check_archive(zip_bytes({"hello.txt": b"hi"}))


def test_empty_file_is_refused():
    with pytest.raises(DocxError, match="文件为空"):
        docx_to_text(b"")


def test_corrupt_document_xml_is_a_docx_error():
    document = docx.Document()
    document.add_paragraph("正文")
    data = save(document)
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {name: source.read(name) for name in source.namelist()}
    members["word/document.xml"] = b"<w:document><unclosed>"
    with pytest.raises(DocxError, match="无法读取"):
        docx_to_text(zip_bytes(members))


def test_entities_are_not_expanded():
    document = docx.Document()
    document.add_paragraph("正文")
    source = zipfile.ZipFile(io.BytesIO(save(document)))
    members = {name: source.read(name) for name in source.namelist()}
    xml = members["word/document.xml"].decode()
    laughs = '<!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    xml = xml.replace("?>", "?>" + laughs, 1).replace("正文", "正文&b;")
    members["word/document.xml"] = xml.encode()
    try:
        text = docx_to_text(zip_bytes(members))
    except DocxError:
        return  # refusing is fine too
    assert "哈" not in text


def test_document_without_text_is_refused():
    with pytest.raises(DocxError, match="没有文字"):
        docx_to_text(save(docx.Document()))


def test_qn_is_the_namespace_the_reader_uses():
    # Guards the hand-written namespace in articles.editing.docx against typos.
    assert qn("w:p") == essay_docx._w("p")


# --- hostile numbering definitions ---------------------------------------------
# Every number below comes from the file. Whatever it declares, the labels
# stay short and the work stays proportional to the document's size.


def _add_list(document, num_id, levels, override=""):
    """A list ``num_id`` from raw ``<w:lvl>`` XML (``levels``) and an optional ``<w:lvlOverride>``."""
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">{levels}</w:abstractNum>'))
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/>{override}</w:num>')
    )
    return num_id


def _level(ilvl, start, fmt, text):
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
    )


def _lines(document):
    lines = docx_to_text(save(document)).split("\n")
    # Checked before any comparison, so that a runaway label fails as a
    # number rather than as a diff of millions of characters.
    assert max(len(line) for line in lines) < 100
    return lines


def test_a_list_declared_to_start_at_a_billion_imports_with_short_labels():
    # The attack: a 2 KB file, lowerLetter from 10^9, used to build "a" × 38 million per item.
    document = docx.Document()
    num_id = _add_list(document, 91, _level(0, 10**9, "lowerLetter", "%1."))
    _numbered(document, "甲", num_id, 0)
    _numbered(document, "乙", num_id, 0)
    # Word's 起始编号 goes up to 32767; a start beyond it is ignored, as if absent.
    assert _lines(document) == ["a.甲", "b.乙"]


@pytest.mark.parametrize("start", ["-5", "32768", "1" + "0" * 4000, "十"])
def test_a_start_word_cannot_write_counts_from_one(start):
    document = docx.Document()
    num_id = _add_list(document, 92, _level(0, start, "decimal", "%1、"))
    _numbered(document, "甲", num_id, 0)
    assert _lines(document) == ["1、甲"]


def test_a_start_override_beyond_words_range_is_ignored_too():
    document = docx.Document()
    num_id = _add_list(
        document,
        93,
        _level(0, 3, "upperRoman", "%1."),
        override='<w:lvlOverride w:ilvl="0"><w:startOverride w:val="999999999"/></w:lvlOverride>',
    )
    _numbered(document, "甲", num_id, 0)
    assert _lines(document) == ["III.甲"]


def test_the_largest_start_word_allows_still_gives_a_short_label():
    document = docx.Document()
    num_id = _add_list(document, 94, _level(0, 32767, "lowerLetter", "%1)"))
    _numbered(document, "甲", num_id, 0)
    assert _lines(document) == ["32767)甲"]


@pytest.mark.parametrize(
    "fmt",
    [
        "decimal",
        "lowerLetter",
        "upperLetter",
        "lowerRoman",
        "upperRoman",
        "chineseCounting",
        "decimalFullWidth",
        "decimalZero",
        "ideographDigital",
    ],
)
@pytest.mark.parametrize("value", [0, 1, 27, 390, 391, 3999, 4000, 32767, 10**6])
def test_number_labels_are_short_whatever_the_value(fmt, value):
    assert 1 <= len(essay_docx._format_number(value, fmt)) <= 15


@pytest.mark.parametrize(
    "value, fmt, expected",
    [
        (390, "lowerLetter", "z" * 15),
        (391, "lowerLetter", "391"),
        (3999, "upperRoman", "MMMCMXCIX"),
        (4000, "lowerRoman", "4000"),
        (0, "lowerRoman", "0"),
        (100, "chineseCounting", "100"),
    ],
)
def test_letters_and_roman_numerals_beyond_their_range_are_written_in_digits(value, fmt, expected):
    assert essay_docx._format_number(value, fmt) == expected


@pytest.mark.parametrize("ilvl", ["9", "100000", "-1"])
def test_list_levels_word_does_not_have_give_no_label(ilvl):
    # Word has nine levels (0-8) and refuses files with others; each level
    # kept would be copied into every list that uses the definition.
    document = docx.Document()
    num_id = _add_list(document, 95, _level(ilvl, 1, "decimal", "%1."))
    _numbered(document, "甲", num_id, ilvl)
    assert _lines(document) == ["甲"]


def test_a_level_text_longer_than_word_allows_gives_no_label():
    # Word allows 31 characters and nine %N placeholders in a level's text.
    document = docx.Document()
    num_id = _add_list(document, 96, _level(0, 1, "decimal", "%1" * 5000))
    _numbered(document, "甲", num_id, 0)
    assert _lines(document) == ["甲"]


def test_a_document_with_more_text_than_the_reader_takes_is_refused(monkeypatch):
    monkeypatch.setattr(essay_docx, "MAX_TEXT_CHARS", 50)
    document = docx.Document()
    for _ in range(10):
        document.add_paragraph("基层党建工作要坚持围绕发展抓党建。")
    with pytest.raises(DocxError, match="文字过多"):
        docx_to_text(save(document))


# --- document structure ----------------------------------------------------------


def _textbox(text):
    return parse_xml(
        f'<w:r {nsdecls("w")} xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<w:t>前</w:t><w:pict><wps:txbx><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
        f"</w:txbxContent></wps:txbx></w:pict></w:r>"
    )


def test_text_boxes_are_left_out_and_the_paragraph_around_them_kept():
    document = docx.Document()
    paragraph = document.add_paragraph("甲")
    paragraph._p.append(_textbox("框中文字"))
    paragraph.add_run("乙")
    assert docx_to_text(save(document)) == "甲前乙"


def test_a_paragraph_nested_in_a_paragraph_keeps_its_own_runs():
    # Word never writes this; a hostile file may. The inner paragraph ends first.
    document = docx.Document()
    outer = document.add_paragraph("外一")
    outer._p.append(parse_xml(f"<w:p {nsdecls('w')}><w:r><w:t>内</w:t></w:r></w:p>"))
    outer.add_run("外二")
    assert docx_to_text(save(document)) == "内\n外一外二"


def test_a_deletion_inside_an_insertion_is_still_left_out():
    document = docx.Document()
    paragraph = document.add_paragraph("坚持")
    paragraph._p.append(
        parse_xml(
            f'<w:ins {nsdecls("w")} w:id="1" w:author="a"><w:r><w:t>科学</w:t></w:r>'
            f'<w:del w:id="2" w:author="a"><w:r><w:delText>开展</w:delText></w:r></w:del>'
            f"<w:r><w:t>发展观</w:t></w:r></w:ins>"
        )
    )
    assert docx_to_text(save(document)) == "坚持科学发展观"


def test_xml_nested_deeper_than_the_parser_allows_is_a_chinese_message():
    document = docx.Document()
    document.add_paragraph("正文")
    source = zipfile.ZipFile(io.BytesIO(save(document)))
    members = {name: source.read(name) for name in source.namelist()}
    xml = members["word/document.xml"].decode()
    deep = "<w:ins>" * 5000 + "</w:ins>" * 5000
    members["word/document.xml"] = xml.replace("正文", "正文" + "</w:t></w:r>" + deep + "<w:r><w:t>", 1).encode()
    with pytest.raises(DocxError, match="无法读取"):
        docx_to_text(zip_bytes(members))


def test_paragraph_styles_are_looked_up_through_their_base_styles():
    document = docx.Document()
    styles = document.styles.element
    styles.append(
        parse_xml(
            f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Derived"><w:name w:val="Derived"/>'
            f'<w:basedOn w:val="ListNumber"/></w:style>'
        )
    )
    document.add_paragraph("甲", style="List Number")
    paragraph = document.add_paragraph("乙")
    paragraph._p.get_or_add_pPr().append(parse_xml(f'<w:pStyle {nsdecls("w")} w:val="Derived"/>'))
    # A style that does not exist, and one that is its own base, give no label.
    for missing in ("NoSuchStyle", "Derived2"):
        other = document.add_paragraph("丙")
        other._p.get_or_add_pPr().append(parse_xml(f'<w:pStyle {nsdecls("w")} w:val="{missing}"/>'))
    styles.append(
        parse_xml(
            f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Derived2"><w:name w:val="Derived2"/>'
            f'<w:basedOn w:val="Derived2"/></w:style>'
        )
    )
    assert docx_to_text(save(document)) == "1.甲\n2.乙\n丙\n丙"

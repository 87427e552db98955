"""导入文稿 in the admin: paste or upload, review the findings, create a draft.

The review step is submitted the way a browser would submit it: the form is
read back from the rendered HTML (hidden fields, ticked boxes, selected
options), so the template is tested along with the view.
"""

import io
import zipfile
from html.parser import HTMLParser

import docx
import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Formulation, ProofreadingRule, Section
from topics.models import Topic

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:articles_article_import")
CHANGELIST = reverse("admin:articles_article_changelist")

# A small essay with three kinds of damage: a political-term error
# (科学开展观), a back-translated word (效劳) and a lost closing quote
# (“两学一做学习教育).
ESSAY = """关于加强基层党建工作的几点思考
基层党建工作要坚持“围绕经济抓党建，抓好党建促发展”的工作思路，深入贯彻落实科学开展观，不断夯实党的执政根基。
一、基层党建工作的重要意义
（一）适应时代发展的需求
基层党组织是党全部工作和战斗力的基础，必须坚持全心全意为人民效劳的宗旨。
（二）巩固执政地位的需求
深入开展“两学一做学习教育，推动全面从严治党向基层延伸。
二、基层党建工作存在的问题
（一）组织生活不够规范
一些党支部的“三会一课”流于形式，党员参加组织生活的积极性不高。
（二）党员队伍结构老化
部分村党支部多年没有发展党员，后继乏人。
三、加强基层党建的对策建议
（一）强化党员教育培训
坚持不懈地开展党员教育培训活动，提高党员素质。
总之，基层党建工作任重道远，必须常抓不懈。
作者单位：某县委组织部
"""
POLITICAL_RULE = "political.kexue_fazhan_guan"
XIAOLAO_RULE = "bt.fuwu.xiaolao"
QUOTE_RULE = "quote.unpaired"


class _FormReader(HTMLParser):
    """What a browser would submit from the page's import form (not the
    admin header's log-out form)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields = []  # (name, value)
        self.in_form = self.done = False
        self._select = None
        self._options = []
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.done:
            return
        if tag == "form" and "import-" in (attrs.get("class") or ""):
            self.in_form = True
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form, self.done = False, True
        elif tag == "select" and self._select:
            chosen = [value for value, selected in self._options if selected] or [self._options[0][0]]
            self.fields.append((self._select, chosen[0]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None


def browser_form(response):
    reader = _FormReader()
    reader.feed(response.content.decode())
    data = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return data


def paste(client, text=ESSAY):
    return client.post(IMPORT, {"step": "source", "text": text})


def upload(client, name, data, text=""):
    return client.post(IMPORT, {"step": "source", "text": text, "upload": SimpleUploadedFile(name, data)})


def submit_review(client, review, *, untick=(), rules=None, button="create", **fields):
    """Submit the review form as rendered, with the editor's changes."""
    data = browser_form(review)
    untick_ids = {item.id for item in review.context["check"].items if item.finding.rule in untick}
    data["accept"] = [value for value in data.get("accept", []) if value not in untick_ids]
    for rule, choice in (rules or {}).items():
        [group] = [group for group in review.context["check"].groups if rule in group.rules]
        data[group.choice_name] = [choice]
    data.update({key: value if isinstance(value, list) else [value] for key, value in fields.items()})
    data[button] = ["1"]
    return client.post(IMPORT, data)


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_errors(response):
    return " ".join(str(error) for error in response.context["form"].non_field_errors()) + " ".join(
        str(error) for errors in response.context["form"].errors.values() for error in errors
    )


def items_of(response, rule):
    return [item for item in response.context["check"].items if item.finding.rule == rule]


def make_docx(paragraphs):
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def zip_bytes(members):
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return stream.getvalue()


# --- the page and who may use it --------------------------------------------


def test_changelist_links_to_the_import_page(admin_client):
    page = admin_client.get(CHANGELIST).content.decode()
    assert f'href="{IMPORT}"' in page
    assert "导入文稿" in page


def test_import_page_offers_paste_and_upload(admin_client):
    response = admin_client.get(IMPORT)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="text"' in page and 'name="upload"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "第一步：提供文本" in page
    # Styles and the script come from static files: no inline script.
    assert "admin-extra/proofreading.js" in page
    assert "<script>" not in page


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(IMPORT)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    response = client.post(IMPORT, {"step": "source", "text": ESSAY})
    assert response.status_code == 302
    assert not Article.objects.exists()


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_user("editor", password="pw", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_article", "change_article"]))
    client.force_login(user)
    return client, user


def test_staff_without_add_permission_gets_403_and_no_button(staff_client):
    client, _user = staff_client
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"step": "source", "text": ESSAY}).status_code == 403
    assert "导入文稿" not in client.get(CHANGELIST).content.decode()
    assert not Article.objects.exists()


def test_staff_with_add_permission_may_import(staff_client):
    client, user = staff_client
    user.user_permissions.add(Permission.objects.get(codename="add_article"))
    assert client.get(IMPORT).status_code == 200
    review = paste(client)
    assert review.status_code == 200
    response = submit_review(client, review)
    assert response.status_code == 302
    assert Article.objects.get().created_by == user


# --- step 2: the review ------------------------------------------------------


def test_review_shows_the_parsed_structure(admin_client):
    response = paste(admin_client)
    assert response.status_code == 200
    page = response.content.decode()
    assert "第二步：核对校对结果并生成草稿" in page
    assert "关于加强基层党建工作的几点思考" in page
    for heading in ("基层党建工作的重要意义", "基层党建工作存在的问题", "加强基层党建的对策建议"):
        assert heading in page
    for kind in ("重要意义", "存在问题", "对策建议"):
        assert kind in page
    assert "适应时代发展的需求" in page and "强化党员教育培训" in page
    assert "总之，基层党建工作任重道远" in page
    assert "某县委组织部" in page
    assert "识别出 3 个部分、5 个要点" in page
    # The parser's warning about the lost quotation mark.
    assert "识别时的提示" in page and "引号不成对" in page
    assert not Article.objects.exists()


def test_review_marks_each_finding_in_place_with_severity_label(admin_client):
    response = paste(admin_client)
    page = response.content.decode()
    # In the text: original struck out, suggestion inserted, severity as text.
    assert '<del>科学开展观</del><ins>科学发展观</ins><sup class="pr-sev-label">政治性错误</sup>' in page
    assert '<del>效劳</del><ins>服务</ins><sup class="pr-sev-label">高</sup>' in page
    assert '两学一做<a class="pr-mark pr-sev-medium"' in page
    assert '<ins>”</ins><sup class="pr-sev-label">中</sup>' in page
    assert "pr-mark pr-sev-political" in page
    # In the list: explanation and confidence.
    assert "政治术语错误：“科学开展观”应为“科学发展观”" in page
    assert "把握 99%" in page
    assert "缺少后引号" in page


def test_review_groups_findings_by_rule_with_bulk_choices(admin_client):
    response = paste(admin_client)
    groups = {rule: group for group in response.context["check"].groups for rule in group.rules}
    assert {POLITICAL_RULE, XIAOLAO_RULE, QUOTE_RULE} <= set(groups)
    assert response.context["check"].groups[0].severity == "political"  # worst first
    page = response.content.decode()
    assert f'name="rule:{XIAOLAO_RULE}"' in page
    for label in ("逐条", "全部接受", "全部拒绝"):
        assert label in page
    form = browser_form(response)
    # Every fixable finding is ticked by default (all have confidence ≥ 0.7).
    ids = {item.id for item in response.context["check"].items}
    assert set(form["accept"]) == ids
    assert form[f"rule:{POLITICAL_RULE}"] == ["each"]
    assert form["raw_text"][0].replace("\r\n", "\n") == ESSAY


# Three rules turn 开展 into 发展, each in its own context (the last point's body).
SAME_CHANGE_ESSAY = ESSAY.replace(
    "坚持不懈地开展党员教育培训活动，提高党员素质。",
    "坚持新的开展理念，推动经济社会持续健康开展，抓好党建促开展。",
)
FAZHAN_RULES = {"bt.fazhan.noun_head", "bt.fazhan.domain_subject", "bt.fazhan.promote"}


def test_rules_proposing_the_same_change_are_one_group_with_the_summed_count(admin_client):
    response = paste(admin_client, SAME_CHANGE_ESSAY)
    check = response.context["check"]
    [group] = [group for group in check.groups if group.explanation == "机器回译错词：“开展”应为“发展”"]
    assert set(group.rules) == FAZHAN_RULES and len(group.items) == 3
    assert len({group.explanation for group in check.groups}) == len(check.groups)  # no heading twice
    page = response.content.decode()
    assert page.count("机器回译错词：“开展”应为“发展”</h3>") == 1
    assert "共 3 处" in page
    assert f'name="{group.choice_name}"' in page and page.count('class="pr-rule-choice"') == len(check.groups)


@pytest.mark.parametrize("choice", ["accept", "reject"])
def test_a_group_choice_applies_to_every_finding_of_every_rule_in_it(admin_client, choice):
    review = paste(admin_client, SAME_CHANGE_ESSAY)
    # Boxes ticked the other way round: the group's choice wins over them.
    untick = FAZHAN_RULES if choice == "accept" else ()
    submit_review(admin_client, review, untick=untick, rules={"bt.fazhan.promote": choice})
    body = Article.objects.get().sections.get(heading="强化党员教育培训").body
    if choice == "accept":
        assert "新的发展理念" in body and "持续健康发展" in body and "促发展" in body and "开展" not in body
    else:
        assert "新的开展理念" in body and "持续健康开展" in body and "促开展" in body


def test_accept_all_creates_a_draft_with_the_fixes(admin_client, admin_user):
    review = paste(admin_client)
    response = submit_review(admin_client, review)
    article = Article.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:articles_article_change", args=[article.pk])
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert article.title == "关于加强基层党建工作的几点思考"
    assert "科学发展观" in article.lead and "科学开展观" not in article.lead
    bodies = " ".join(article.sections.values_list("body", flat=True))
    assert "为人民服务的宗旨" in bodies and "效劳" not in bodies
    assert "“两学一做”学习教育" in bodies
    assert article.author_org == "某县委组织部"
    assert article.created_by == admin_user
    assert article.sections.filter(level=Section.Level.SECTION).count() == 3
    assert article.sections.filter(level=Section.Level.POINT).count() == 5
    assert LogEntry.objects.filter(object_id=str(article.pk), action_flag=ADDITION).exists()
    [message] = message_texts(response)
    assert "采纳 3 处修改，拒绝 0 处" in message


def test_rejecting_a_rule_keeps_its_text_unchanged(admin_client):
    review = paste(admin_client)
    response = submit_review(admin_client, review, rules={XIAOLAO_RULE: "reject"})
    article = Article.objects.get()
    bodies = " ".join(article.sections.values_list("body", flat=True))
    assert "为人民效劳的宗旨" in bodies
    assert "科学发展观" in article.lead  # the other rules still applied
    assert "“两学一做”" in bodies
    assert "采纳 2 处修改，拒绝 1 处" in message_texts(response)[0]


def test_rule_choice_accept_all_wins_over_unticked_boxes(admin_client):
    review = paste(admin_client)
    submit_review(admin_client, review, untick={XIAOLAO_RULE, POLITICAL_RULE}, rules={XIAOLAO_RULE: "accept"})
    article = Article.objects.get()
    assert "为人民服务" in " ".join(article.sections.values_list("body", flat=True))
    assert "科学开展观" in article.lead  # unticked, rule left on 逐条


def test_unticking_one_finding_rejects_only_that_one(admin_client):
    review = paste(admin_client)
    response = submit_review(admin_client, review, untick={POLITICAL_RULE})
    article = Article.objects.get()
    assert "科学开展观" in article.lead
    assert "为人民服务" in " ".join(article.sections.values_list("body", flat=True))
    assert "采纳 2 处修改，拒绝 1 处" in message_texts(response)[0]


def test_low_confidence_findings_are_proposed_unticked(admin_client):
    ProofreadingRule.objects.create(
        rule_id="editor.houji",
        pattern="后继乏人",
        suggestion="后继无人",
        category=ProofreadingRule.Category.BACK_TRANSLATION,
        severity=ProofreadingRule.Severity.LOW,
        confidence=0.5,
        explanation="测试用的低把握规则",
    )
    review = paste(admin_client)
    [item] = items_of(review, "editor.houji")
    assert item.fixable and not item.accepted
    assert item.id not in browser_form(review)["accept"]
    assert "较低，默认不采纳" in review.content.decode()
    response = submit_review(admin_client, review)
    assert "后继乏人" in " ".join(Article.objects.get().sections.values_list("body", flat=True))
    assert "拒绝 1 处" in message_texts(response)[0]


def test_topics_and_source_are_set_on_the_draft(admin_client):
    column = Topic.objects.create(name="理论学习")
    child = Topic.objects.create(name="两学一做", parent=column)
    review = paste(admin_client)
    assert "理论学习 / 两学一做" in review.content.decode()
    submit_review(admin_client, review, topics=[str(child.pk)], source="某县党建网")
    article = Article.objects.get()
    assert list(article.topics.all()) == [child]
    assert article.source == "某县党建网"


def test_changed_findings_between_steps_show_the_review_again(admin_client):
    review = paste(admin_client)
    rule = ProofreadingRule.objects.get(rule_id=XIAOLAO_RULE)
    rule.enabled = False
    rule.save()
    # The spinner detector would restore 为人民服务 all the same: its formulations off too.
    Formulation.objects.update(enabled=False)
    response = submit_review(admin_client, review)
    assert response.status_code == 200
    assert not Article.objects.exists()
    assert any("校对结果已变化" in text for text in message_texts(response))
    assert not items_of(response, XIAOLAO_RULE)
    # Submitting the refreshed review works.
    submit_review(admin_client, response)
    assert "为人民效劳" in " ".join(Article.objects.get().sections.values_list("body", flat=True))


def test_altered_hidden_text_is_not_applied_blindly(admin_client):
    review = paste(admin_client)
    data = browser_form(review)
    data["raw_text"] = [ESSAY.replace("深入贯彻落实", "认真贯彻")]
    data["create"] = ["1"]
    response = admin_client.post(IMPORT, data)
    assert response.status_code == 200
    assert not Article.objects.exists()


def test_back_returns_to_the_text_for_editing(admin_client):
    review = paste(admin_client)
    response = submit_review(admin_client, review, button="back")
    assert response.status_code == 200
    assert "第一步：提供文本" in response.content.decode()
    assert browser_form(response)["text"][0].strip() == ESSAY.strip()
    assert not Article.objects.exists()


# --- uploads -----------------------------------------------------------------


def test_gb18030_text_file_is_read(admin_client):
    response = upload(admin_client, "文稿.txt", ESSAY.encode("gb18030"))
    assert response.status_code == 200
    assert response.context["check"].essay.title == "关于加强基层党建工作的几点思考"
    submit_review(admin_client, response)
    assert "科学发展观" in Article.objects.get().lead


def test_utf8_text_file_with_bom_is_read(admin_client):
    response = upload(admin_client, "essay.TXT", b"\xef\xbb\xbf" + ESSAY.replace("\n", "\r\n").encode())
    assert response.context["check"].essay.title == "关于加强基层党建工作的几点思考"


def test_docx_upload_is_read(admin_client):
    response = upload(admin_client, "文稿.docx", make_docx(ESSAY.strip().split("\n")))
    assert response.status_code == 200
    review = response.context["check"]
    assert review.essay.title == "关于加强基层党建工作的几点思考"
    assert [section.heading for section in review.essay.sections][1] == "基层党建工作存在的问题"
    assert items_of(response, POLITICAL_RULE)
    submit_review(admin_client, response)
    assert Article.objects.get().author_org == "某县委组织部"


# --- bad input: a form error (200) or a 400, never a 500, nothing saved ------


BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("binary.txt", BINARY, "不是文本文件"),
        ("utf16.txt", ESSAY.encode("utf-16"), "不是文本文件"),
        ("bad-encoding.txt", b"\xff\xfe\xfd\x80" * 100, "无法识别文件编码"),
        ("empty.txt", b"", "空文件"),
        ("not-a-zip.docx", b"This is not a Word document at all." * 10, "不是有效的 .docx 文件"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "旧版 Word"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "不支持旧版 Word"),
        ("essay.pdf", b"%PDF-1.4 ...", "只能上传纯文本 .txt 或 Word .docx 文件"),
        ("empty.docx", make_docx([]), "文档中没有文字"),
        ("no-structure.docx", make_docx(["只有一段话，没有任何结构。"]), "未识别出文稿结构"),
    ],
)
def test_unusable_upload_is_a_form_error(admin_client, name, data, message):
    response = upload(admin_client, name, data)
    assert response.status_code == 200
    assert message in form_errors(response)
    assert "第一步：提供文本" in response.content.decode()
    assert not Article.objects.exists()


def test_zip_bomb_docx_is_refused_before_it_is_opened(admin_client):
    bomb = zip_bytes(
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": b"<w:document>" + b"\x20" * (30 * 1024 * 1024),
        }
    )
    assert len(bomb) < 200 * 1024
    response = upload(admin_client, "bomb.docx", bomb)
    assert response.status_code == 200
    assert "解压后超过 20 MB" in form_errors(response)
    assert not Article.objects.exists()


def test_highly_compressed_docx_is_refused(admin_client):
    bomb = zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": b"\x20" * (5 * 1024 * 1024)})
    response = upload(admin_client, "ratio.docx", bomb)
    assert "压缩比异常" in form_errors(response)
    assert not Article.objects.exists()


def _numbered_docx(start, fmt):
    """The essay with its two section headings numbered by Word, the list declared to start at ``start``."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77"><w:lvl w:ilvl="0"><w:start w:val="{start}"/>'
            f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
        )
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))
    for line in ESSAY.strip().split("\n"):
        heading = line.startswith(("一、", "二、", "三、"))
        paragraph = document.add_paragraph(line[2:] if heading else line)
        if heading:
            paragraph._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="77"/></w:numPr>')
            )
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def test_an_author_uploading_a_list_declared_to_start_at_a_billion_gets_the_essay_with_sane_labels(client):
    from articles.tests.test_roles import AUTHOR, logged_in, user_in

    data = _numbered_docx(10**9, "chineseCounting")
    assert len(data) < 40 * 1024
    response = upload(logged_in(client, user_in(AUTHOR)), "文稿.docx", data)
    assert response.status_code == 200
    sections = response.context["check"].essay.sections
    assert [section.heading for section in sections] == [
        "基层党建工作的重要意义",
        "基层党建工作存在的问题",
        "加强基层党建的对策建议",
    ]
    assert not Article.objects.exists()


def test_docx_with_more_xml_elements_than_an_essay_needs_is_a_form_error(admin_client, monkeypatch):
    from articles.editing import docx as essay_docx

    monkeypatch.setattr(essay_docx, "MAX_XML_NODES", 2000)
    response = upload(admin_client, "文稿.docx", make_docx(ESSAY.strip().split("\n") * 20))
    assert response.status_code == 200
    assert "文档内部结构过于庞大" in form_errors(response)
    assert not Article.objects.exists()


def test_file_over_5_mb_is_a_form_error(admin_client):
    response = upload(admin_client, "big.txt", ESSAY.encode() * (6 * 1024 * 1024 // len(ESSAY.encode()) + 1))
    assert response.status_code == 200
    assert "文件过大" in form_errors(response) and "上限 5 MB" in form_errors(response)
    assert not Article.objects.exists()


@pytest.mark.parametrize("text", ["", "   \n\t  \n"])
def test_empty_paste_is_a_form_error(admin_client, text):
    response = paste(admin_client, text)
    assert response.status_code == 200
    assert "请粘贴文稿全文" in form_errors(response)
    assert not Article.objects.exists()


def test_structureless_text_is_a_form_error_with_the_parser_message(admin_client):
    response = paste(admin_client, "这是一段没有任何结构的文字，只有一句话。\n又一句话。")
    assert response.status_code == 200
    assert "未识别出文稿结构" in form_errors(response)
    assert not Article.objects.exists()


def test_paste_and_upload_together_is_a_form_error(admin_client):
    response = upload(admin_client, "essay.txt", ESSAY.encode(), text=ESSAY)
    assert "二选一" in response.content.decode() or "只选一种" in form_errors(response)
    assert not Article.objects.exists()


def test_null_characters_in_a_paste_are_a_form_error(admin_client):
    response = paste(admin_client, ESSAY + "\x00\x01")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Article.objects.exists()


def test_very_long_paste_is_a_form_error(admin_client):
    response = paste(admin_client, ESSAY * 1000)  # ~230,000 characters, under the request limit
    assert response.status_code == 200
    assert "文稿过长" in form_errors(response)
    assert not Article.objects.exists()


def test_oversized_post_is_a_400_with_a_chinese_message(admin_client):
    huge = "党" * (11 * 1024 * 1024 // 3 + 1)  # over DATA_UPLOAD_MAX_MEMORY_SIZE (10 MB) in UTF-8
    response = admin_client.post(IMPORT, {"step": "source", "text": huge})
    assert response.status_code == 400
    page = response.content.decode()
    assert "提交的内容过大" in page and "10 MB" in page
    assert f'href="{IMPORT}"' in page
    assert not Article.objects.exists()


def test_oversized_review_submission_is_a_400(admin_client):
    review = paste(admin_client)
    data = browser_form(review)
    data["raw_text"] = ["党" * (11 * 1024 * 1024 // 3 + 1)]
    data["create"] = ["1"]
    response = admin_client.post(IMPORT, data)
    assert response.status_code == 400
    assert "提交的内容过大" in response.content.decode()
    assert not Article.objects.exists()


def test_failed_import_leaves_nothing_behind(admin_client, monkeypatch):
    # Sections fail to save after the article row was written: all or nothing.
    def broken_bulk_create(*args, **kwargs):
        raise RuntimeError("database went away")

    review = paste(admin_client)
    monkeypatch.setattr(Section.objects, "bulk_create", broken_bulk_create)
    with pytest.raises(RuntimeError):
        submit_review(admin_client, review)
    assert not Article.objects.exists()


def test_oversized_change_form_post_is_a_400_too(admin_client):
    article = Article.objects.create(title="文稿")
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = admin_client.post(url, {"title": "文稿", "lead": "党" * (11 * 1024 * 1024 // 3 + 1)})
    assert response.status_code == 400
    assert "提交的内容过大" in response.content.decode()
    article.refresh_from_db()
    assert article.lead == ""


def test_too_many_fields_is_a_400_with_a_chinese_message(admin_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    response = admin_client.post(IMPORT, {"step": "check", "accept": [str(i) for i in range(100)]})
    assert response.status_code == 400
    assert "提交的项目过多" in response.content.decode()
    assert not Article.objects.exists()

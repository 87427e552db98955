"""Stored rich text is safe: articles.richtext.sanitize and RichTextField."""

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from articles.models import Article, Section
from articles.richtext import ALLOWED_TAGS, sanitize


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(markup):
    parser = _Collector()
    parser.feed(markup)
    parser.close()
    return parser.elements


def _scheme(url):
    # What a browser would see: entities decoded, control characters and
    # whitespace (which browsers drop inside a scheme) removed.
    cleaned = re.sub(r"[\x00-\x20]", "", html.unescape(url or ""))
    return urlsplit(cleaned).scheme.lower()


def assert_safe(markup):
    """Structural check of sanitised output: what a browser would build from it."""
    for tag, attrs in elements(markup):
        assert tag in ALLOWED_TAGS, f"tag <{tag}> survived in {markup!r}"
        for name, _value in attrs.items():
            assert not name.startswith("on"), f"event handler {name} survived in {markup!r}"
            assert name not in {"style", "srcdoc", "formaction", "action", "xlink:href", "background"}
        if "href" in attrs:
            assert _scheme(attrs["href"]) in {"", "http", "https", "mailto"}, markup
        if tag == "img":
            src = html.unescape(attrs.get("src", ""))
            assert src.startswith("/media/") and not src.startswith("//"), markup
    # Sanitising is stable: a second pass finds nothing more to change, so
    # no parser round trip can turn the output into something else.
    assert sanitize(markup) == markup


XSS_VECTORS = {
    "script": "<script>alert(1)</script>",
    "script mixed case": "<ScRiPt>alert(1)</sCrIpT>",
    "script split": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "img onerror": '<img src="/media/a.png" onerror="alert(1)">',
    "img onerror unquoted upper": "<IMG SRC=/media/a.png ONERROR=alert(1)>",
    "body onload": "<body onload=alert(1)><p>x</p></body>",
    "p onclick": '<p onclick="alert(1)" onmouseover="alert(2)">x</p>',
    "a javascript": '<a href="javascript:alert(1)">x</a>',
    "a javascript mixed case": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "a javascript leading space": '<a href="  javascript:alert(1)">x</a>',
    "a javascript tab inside": '<a href="java\tscript:alert(1)">x</a>',
    "a javascript newline inside": '<a href="java\nscript:alert(1)">x</a>',
    "a javascript entity tab": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "a javascript decimal entities": '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    "a javascript hex entities no semicolon": '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>',
    "a javascript named colon": '<a href="javascript&colon;alert(1)">x</a>',
    "a javascript control char": '<a href="\x01javascript:alert(1)">x</a>',
    "a data html": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "a vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "a vbscript entity": '<a href="&#118;bscript:msgbox(1)">x</a>',
    "img data uri": '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "img javascript": '<img src="javascript:alert(1)">',
    "img other host": '<img src="https://evil.example/media/x.png">',
    "img protocol relative": '<img src="//evil.example/media/x.png">',
    "img backslash host": '<img src="/\\evil.example/media/x.png">',
    "svg onload": "<svg onload=alert(1)><circle r=1></circle></svg>",
    "svg script": "<svg><script>alert(1)</script></svg>",
    "svg animate": "<svg><a><animate attributeName=href values=javascript:alert(1) /><text y=20>x</text></a></svg>",
    "math": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "math href": '<math href="javascript:alert(1)">x</math>',
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "style tag": "<style>body{background:url(javascript:alert(1))}</style>",
    "style attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "object": '<object data="javascript:alert(1)"></object>',
    "embed": '<embed src="javascript:alert(1)">',
    "base": '<base href="javascript:alert(1)//">',
    "form": '<form action="javascript:alert(1)"><input type="submit"><button formaction="javascript:alert(1)">x</button></form>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "noscript mutation": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "template": "<template><img src=x onerror=alert(1)></template>",
    "textarea breakout": "<textarea></textarea><img src=x onerror=alert(1)>",
    "comment breakout": "<!--><img src=x onerror=alert(1)>-->",
    "conditional comment": "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->",
    "cdata": "<![CDATA[<script>alert(1)</script>]]>",
    "unclosed attribute": '<a href="https://ok.example" title="x><script>alert(1)</script>">x</a>',
    "video": '<video><source onerror="alert(1)"></video>',
    "details ontoggle": "<details open ontoggle=alert(1)>x</details>",
    "table background": '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    "figure style and class": '<figure class="image evil" style="position:fixed"><img src="/media/a.png"></figure>',
    "a target": '<a href="https://ok.example" target="_blank" rel="opener">x</a>',
    "nested quotes in alt": '<img src="/media/a.png" alt="&quot; onerror=&quot;alert(1)">',
    # Entity and whitespace tricks not covered above.
    "a javascript padded decimal entities": (
        '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
        '&#0000112&#0000116&#0000058alert(1)">x</a>'
    ),
    "a javascript decimal colon no semicolon": '<a href="javascript&#58alert(1)">x</a>',
    "a javascript named newline": '<a href="jav&NewLine;ascript&colon;alert(1)">x</a>',
    "a javascript named tab": '<a href="java&Tab;script:alert(1)">x</a>',
    "a javascript entity newline": '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    "a data leading space": '<a href=" data:text/html,<script>alert(1)</script>">x</a>',
    "a data uppercase": '<a href="DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "img srcset": '<img src="/media/a.png" srcset="javascript:alert(1) 1x">',
    "input image": '<input type="image" src="javascript:alert(1)">',
    "isindex": '<isindex action="javascript:alert(1)" type="image">',
    "td background": '<table><tr><td background="javascript:alert(1)">x</td></tr></table>',
    "a id name class style": '<a href="https://ok.example" style="x" class="evil" id="x" name="y">x</a>',
    "script nested angle": "<<script>script>alert(1)<</script>/script>",
    "script with nul": "<scr\x00ipt>alert(1)</script>",
    # Mutation XSS: markup that a second parse (the browser's) would rebuild
    # differently from the sanitiser's first parse.
    "mxss svg p style": '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    "mxss math mglyph textarea": (
        '<math><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=alert(1) src=1>">'
    ),
    "mxss nested form math": "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    "mxss noscript style": "<noscript><style></noscript><img src=x onerror=alert(1)>",
    "mxss xmp": "<xmp><img src=x onerror=alert(1)></xmp>",
    "mxss plaintext": "<plaintext><img src=x onerror=alert(1)>",
    "mxss title": "<title><img src=x onerror=alert(1)></title>",
    "mxss select template": "<select><template><img src=x onerror=alert(1)></template></select>",
    "mxss table caption svg": "<table><caption><svg><style><img src=x onerror=alert(1)></style></svg></caption></table>",
    "mxss backtick attribute": "<img src=`/media/a.png` onerror=`alert(1)`>",
    "svg use data": '<svg><use href="data:image/svg+xml;base64,PHN2ZyBpZD0neCc+PC9zdmc+#x"></use></svg>',
    "svg foreignobject": '<svg><foreignObject><iframe srcdoc="<script>alert(1)</script>"></iframe></foreignObject></svg>',
    "math maction": '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
}


@pytest.mark.parametrize("vector", XSS_VECTORS.values(), ids=XSS_VECTORS.keys())
def test_sanitize_neutralises_xss_vector(vector):
    cleaned = sanitize(vector)
    assert_safe(cleaned)
    lowered = cleaned.lower()
    for needle in ("<script", "<svg", "<math", "<iframe", "<style", "<object", "<embed", "<base", "<form", "<noscript"):
        assert needle not in lowered


def test_sanitize_makes_links_safe_to_open_in_a_new_window():
    cleaned = sanitize('<a href="https://ok.example" target="_blank" rel="opener">x</a>')
    assert 'rel="noopener noreferrer"' in cleaned
    assert "target" not in cleaned


def test_sanitize_drops_an_image_whose_source_was_refused():
    assert sanitize('<p>前<img src="https://evil.example/x.png">后</p>') == "<p>前后</p>"


def test_sanitize_keeps_text_of_dropped_tags_as_text():
    assert sanitize("<h2>不许用的二级标题</h2><p>正文</p>") == "不许用的二级标题<p>正文</p>"
    assert "&lt;script&gt;" in sanitize("<p>&lt;script&gt;</p>")


ESSAY_HTML = (
    "<h3>(一)适应时代发展的需求</h3>"
    "<p>基层党建工作要坚持<strong>“围绕经济抓党建”</strong>的<em>工作思路</em>,<br>抓好党建促发展。</p>"
    "<h4>一是</h4><h5>小标题五</h5><h6>小标题六</h6>"
    '<ol start="3"><li>第三条</li><li>第四条</li></ol>'
    "<ul><li>要点</li></ul>"
    "<blockquote><p>引文</p></blockquote>"
    '<table><caption>表一</caption><thead><tr><th scope="col">项目</th></tr></thead>'
    '<tbody><tr><td colspan="2">内容</td></tr></tbody></table>'
    '<figure class="image"><img src="/media/uploads/2024/05/0123456789abcdef0123456789abcdef.jpg" alt="会场" width="600" height="400">'
    "<figcaption>学习会现场</figcaption></figure>"
    '<p><a href="https://www.12371.cn/" rel="noopener noreferrer">共产党员网</a>'
    '<a href="mailto:editor@example.org" rel="noopener noreferrer">来信</a>'
    '<a href="/articles/dang-jian/" rel="noopener noreferrer">站内文章</a></p>'
    "<p>上<sup>标</sup>下<sub>标</sub><u>下划线</u><s>删除</s></p><hr>"
)


def test_sanitize_keeps_what_an_essay_needs_unchanged():
    assert sanitize(ESSAY_HTML) == ESSAY_HTML
    assert_safe(ESSAY_HTML)


@pytest.mark.parametrize("value", ["", None])
def test_sanitize_of_nothing_is_empty(value):
    assert sanitize(value) == ""


@pytest.mark.django_db
def test_rich_text_fields_are_sanitised_on_save():
    article = Article.objects.create(
        title="测试",
        lead='<p>导语</p><script>alert("lead")</script>',
        conclusion='<p onclick="alert(1)">结语</p>',
    )
    section = Section.objects.create(
        article=article,
        heading="一、意义",
        body='<p>正文<img src="x" onerror="alert(1)"></p><iframe src="//evil"></iframe>',
    )
    stored = Article.objects.values("lead", "conclusion").get(pk=article.pk)
    assert stored == {"lead": "<p>导语</p>", "conclusion": "<p>结语</p>"}
    assert Section.objects.values_list("body", flat=True).get(pk=section.pk) == "<p>正文</p>"
    # The instance in memory holds what was stored, too.
    assert article.lead == "<p>导语</p>"


@pytest.mark.django_db
def test_rich_text_is_sanitised_on_update_as_well():
    article = Article.objects.create(title="测试", lead="<p>好</p>")
    article.lead = '<p>好</p><a href="javascript:alert(1)">坏</a>'
    article.save(update_fields=["lead"])
    assert (
        Article.objects.values_list("lead", flat=True).get(pk=article.pk)
        == '<p>好</p><a rel="noopener noreferrer">坏</a>'
    )


def test_an_image_whose_source_was_refused_is_dropped_with_its_other_attributes():
    assert sanitize('<p>a<img alt="x" src="https://evil.example/x.png">b</p>') == "<p>ab</p>"


def test_a_media_path_that_climbs_out_of_media_is_refused():
    assert "img" not in sanitize('<img src="/media/../admin/x.png" alt="x">')


# Hidden characters before a scheme, and percent-encoded climbs: current
# browsers read most of them as harmless relative URLs, but nothing an editor
# writes looks like them, so they are refused.


@pytest.mark.parametrize(
    "vector",
    [
        '<a href="\u2028javascript:alert(1)">x</a>',
        '<a href="&#xA0;javascript:alert(1)">x</a>',
        '<a href="\u1680javascript:alert(1)">x</a>',
        '<a href="\x01java\x03script:alert(1)">x</a>',
    ],
    ids=["line-separator", "nbsp", "ogham-space", "embedded-control"],
)
def test_sanitize_drops_links_with_hidden_characters_before_the_scheme(vector):
    assert "href" not in sanitize(vector)


def test_ordinary_links_and_media_paths_with_encoded_characters_are_kept():
    assert 'href="https://example.org/a b"' in sanitize('<a href="https://example.org/a b">x</a>')
    assert 'href="/articles/?q=%E5%85%9A"' in sanitize('<a href="/articles/?q=%E5%85%9A">x</a>')
    assert 'src="/media/uploads/a%20b.png"' in sanitize('<img src="/media/uploads/a%20b.png" alt="x">')


def test_a_percent_encoded_climb_out_of_media_is_refused():
    # A browser resolves /media/%2e%2e/admin/x.png to /admin/x.png.
    assert "img" not in sanitize('<img src="/media/%2e%2e/admin/x.png" alt="x">')
    assert "img" not in sanitize('<img src="/media/..%5cadmin/x.png" alt="x">')

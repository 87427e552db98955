"""Rich text: the one place where stored HTML is made safe.

Whatever the editor (or an import, or a shell) sends, every rich-text field
goes through :func:`sanitize` when it is saved (see :class:`RichTextField`).
"""

import re
import unicodedata
from urllib.parse import unquote, urlsplit

import nh3
from django.conf import settings
from django.utils.html import escape
from django_ckeditor_5.fields import CKEditor5Field
from django_ckeditor_5.widgets import CKEditor5Widget

ALLOWED_TAGS = {
    "p",
    "br",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
# CKEditor 5 marks figures with these classes; anything else is dropped.
ALLOWED_CLASSES = {"figure": {"image", "table", "image-style-side", "image_resized"}}
LINK_SCHEMES = {"http", "https", "mailto"}
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def _is_local_media(url: str) -> bool:
    """Images may only come from this site's media (no hot-linking, no data: URLs).

    The path is checked as a browser resolves it: percent-decoded, with
    backslashes read as slashes (``/media/%2e%2e/admin/x.png`` climbs out).
    """
    if _has_hidden_characters(url):
        return False
    parts = urlsplit(url)
    path = unquote(parts.path).replace("\\", "/")
    return not parts.scheme and not parts.netloc and path.startswith(settings.MEDIA_URL) and ".." not in path.split("/")


def _has_hidden_characters(text: str) -> bool:
    """Control, format or space characters in ``text`` (ASCII blanks at its ends are fine)."""
    return any(unicodedata.category(char)[0] in "CZ" for char in text.strip(" \t\n\r\f"))


def _hides_its_scheme(url: str) -> bool:
    """Hidden characters before the scheme's colon: ``\u2028javascript:``, ``java\x03script:``.

    Browsers skip some of them, so such a link could run script; nothing an
    editor links to looks like that.
    """
    head, colon, _ = url.partition(":")
    return bool(colon) and _has_hidden_characters(head)


def _filter_attribute(tag: str, attribute: str, value: str):
    if tag == "img" and attribute == "src" and not _is_local_media(value):
        return None
    if tag == "a" and attribute == "href" and _hides_its_scheme(value):
        return None
    if attribute in {"width", "height", "colspan", "rowspan", "start"} and not value.isdigit():
        return None
    return value


def sanitize(html: str) -> str:
    """Return ``html`` with only the tags and attributes an essay needs.

    No script, style, iframe, svg or math; no event or style attributes; links
    only to http(s) and mailto; images only from this site's media.
    """
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=LINK_SCHEMES,
        attribute_filter=_filter_attribute,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # An image whose source was refused is useless: drop the tag.
    return _IMG_WITHOUT_SRC.sub("", cleaned).strip()


_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"""\salt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
MISSING_ALT_MESSAGE = (
    "有 {count} 张图片缺少文字说明（替代文本）。请在编辑器中点击图片，"
    "再点击图片工具栏上的“替换文本”按钮，写明图片内容（供视障读者的读屏软件朗读），然后保存。"
)


def images_without_alt(html: str) -> int:
    """How many ``<img>`` in ``html`` have no alternative text (missing, empty or blank)."""
    missing = 0
    for tag in _IMG_TAG.findall(html or ""):
        match = _ALT.search(tag)
        text = next((group for group in match.groups() if group is not None), "") if match else ""
        if not text.strip():
            missing += 1
    return missing


class RichTextWidget(CKEditor5Widget):
    """django-ckeditor-5's editor with 字数 (characters, whitespace left out) under it:
    ``static/admin-extra/char-count.js``, instead of the WordCount plugin's 单词数,
    which counts words by spaces and says nothing about Chinese."""

    class Media:
        js = ["admin-extra/char-count.js"]


class RichTextField(CKEditor5Field):
    """A CKEditor 5 field whose value is sanitised on every save."""

    def formfield(self, **kwargs):
        return super().formfield(**{"widget": RichTextWidget(config_name=self.config_name), **kwargs})

    def pre_save(self, model_instance, add):
        value = sanitize(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value


def paragraphs_to_html(text: str) -> str:
    """Plain text with one paragraph per line → ``<p>`` paragraphs, escaped."""
    return "".join(f"<p>{escape(line.strip())}</p>" for line in text.split("\n") if line.strip())

"""The reader's search and filter form on the essay list.

Every choice (topic, year, author unit, section kind) is offered from what
is published or defined, so a value a reader did not pick from the form -- a
typo, a stale link, a probe with NUL bytes or a megabyte of text -- fails
validation in Python and never reaches the database. The form then drops
that filter (:class:`PublicFilterForm`): the page shows the results without
it, says so, and is not stored in the page cache.

The search words (``q``) are cleaned rather than refused: control
characters, NUL and lone surrogates become spaces; only a query longer than
:data:`QUERY_MAX_LENGTH` is refused, with its own message.
"""

import re
from typing import NamedTuple

from django import forms
from django.http import QueryDict
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from articles.collation import chinese_sort_key
from articles.models import Section
from articles.reading.rendered import rendered

# Longer than any search a reader would type; anything beyond is not a search.
QUERY_MAX_LENGTH = 100
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")


class SearchQueryField(forms.CharField):
    """Search words with unprintable characters turned into spaces, before any validation."""

    def to_python(self, value):
        value = super().to_python(value)
        return " ".join(_UNPRINTABLE.sub(" ", value).split())


def _attributes(attrs):
    """HTML attributes as Django's ``attrs.html`` writes them (True: bare, False/None: left out)."""
    out = []
    for name, value in attrs.items():
        if value is True:
            out.append(" " + escape(name))
        elif value is not False and value is not None:
            out.append(f' {escape(name)}="{escape(value)}"')
    return "".join(out)


class FastSelect(forms.Select):
    """A ``<select>`` written in Python, the same HTML as Django's template.

    The 作者单位 list has hundreds of options, and Django renders each through
    two template includes: some 30 ms of a list page that is not cached. The
    HTML is a pure function of the name, attributes, choices and selected
    values, so it is kept under them (:mod:`articles.reading.rendered`): a
    list page renders each filter once per set of choices, not per request.
    """

    def render(self, name, value, attrs=None, renderer=None):
        key = (
            "FastSelect",
            name,
            tuple(sorted({**self.attrs, **(attrs or {})}.items())),
            tuple(self.choices),  # (value, label) pairs of str: set_choices
            tuple(str(v) for v in self.format_value(value)),
            self.is_required,
        )
        return rendered(key, lambda: self._render(name, value, attrs))

    def _render(self, name, value, attrs):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{_attributes(widget["attrs"])}>']
        for _group, options, _index in widget["optgroups"]:
            for option in options:
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>',
                        str(option["value"]),
                        mark_safe(_attributes(option["attrs"])),
                        option["label"],
                    )
                )
        parts.append("\n</select>")
        return mark_safe("".join(parts))


def set_choices(field, choices):
    """Give a ChoiceField and its widget ``choices``, a list of ``(str, str)`` pairs without groups.

    The same as ``field.choices = choices`` without normalising the list twice
    (the field's setter and the widget's each walk it): a list page built the
    作者单位 field's hundreds of choices that way on every request.
    """
    field._choices = field.widget._choices = choices


class ResetFilter(NamedTuple):
    """A filter whose value was not one of its choices, and what is shown instead."""

    label: str
    instead: str


class PublicFilterForm(forms.Form):
    """A reader's filter form on a cached public page (the essay list, the library indexes).

    A choice that is not offered (``?topic=zzz``: a stale or altered link)
    is dropped rather than refused: the form validates without it, the page
    shows what the other filters select and says which filter was reset
    (``includes/filter_notice.html``; the value itself is not echoed), and
    the view does not store the page (:attr:`rejected_input`). Other errors
    (search words that are too long) still make the form invalid.
    """

    # False for a form that must refuse instead (the library's export: no file from a made-up value).
    reset_invalid_choices = True

    def full_clean(self):
        super().full_clean()
        self._reset_filters = []
        if not (self.reset_invalid_choices and self.is_bound and self._errors):
            return
        invalid = [name for name in self._errors if isinstance(self.fields.get(name), forms.ChoiceField)]
        if not invalid:
            return
        self._submitted = self.data
        data = self.data.copy()
        for name in invalid:
            data.pop(name, None)
        self.data = data
        super().full_clean()
        self._reset_filters = [
            ResetFilter(self.fields[name].label, _shown_instead(self.fields[name])) for name in invalid
        ]

    @property
    def reset_filters(self):
        """The filters dropped as invalid (:class:`ResetFilter`), in the form's order."""
        self.errors  # noqa: B018 -- validates the form once
        return self._reset_filters

    @property
    def rejected_input(self):
        """Values no link on the site carries: the page is rendered, not stored in the page cache."""
        return bool(self.reset_filters) or (self.has_input and not self.is_valid())

    @property
    def has_input(self):
        """A value was given for one of the form's own fields (valid or not): the page offers 清除条件.

        Not ``request.GET``: other parameters (``?utm_source=…``) do not change
        the page, which the page cache stores without them.
        """
        data = getattr(self, "_submitted", self.data)  # before a reset: the link still has them
        return any(data.get(name) for name in self.fields)

    def link_params(self):
        """The filters that hold, as a query for links to other pages of the same results.

        Built from the cleaned values of the form's own fields only: a reset
        choice (``?topic=zzz``), unprintable characters in the words or
        anything else the reader typed never travels on into the page links
        (:func:`articles.reading.pagination.paginate`). An invalid form has
        nothing that holds.
        """
        params = QueryDict(mutable=True)
        if self.is_valid():
            for name in self.fields:
                value = self.cleaned_data.get(name)
                if value not in (None, ""):
                    params[name] = str(value)
        return params


class ArticleFilterForm(PublicFilterForm):
    q = SearchQueryField(
        label="搜索文稿",
        required=False,
        max_length=QUERY_MAX_LENGTH,
        error_messages={"max_length": f"搜索词不能超过 {QUERY_MAX_LENGTH} 个字，请精简后再搜索。"},
        widget=forms.SearchInput(attrs={"placeholder": "输入词语，如：党员教育", "autocomplete": "off"}),
    )
    topic = forms.ChoiceField(label="专题", required=False, widget=FastSelect)
    year = forms.TypedChoiceField(label="年份", required=False, coerce=int, empty_value=None, widget=FastSelect)
    org = forms.ChoiceField(label="作者单位", required=False, widget=FastSelect)
    kind = forms.ChoiceField(
        label="只看",
        required=False,
        widget=FastSelect,
        choices=[("", "全部内容"), *((value, label) for value, label in Section.Kind.choices)],
        help_text="只在这一类部分中查找，如只看“对策建议”。",
    )

    def __init__(self, data, *, topics, years, orgs):
        """``topics``: all topics (ordered); ``years``/``orgs``: values found on published
        essays, ``orgs`` in the order shown (:func:`sorted_orgs`)."""
        super().__init__(data)
        self.topics_by_slug = {topic.slug: topic for topic in topics}
        set_choices(self.fields["topic"], [("", "全部专题"), *topic_choices(topics)])
        set_choices(self.fields["year"], [("", "全部年份"), *((str(y), f"{y}年") for y in years)])
        set_choices(self.fields["org"], [("", "全部单位"), *((org, org) for org in orgs)])

    @property
    def is_filtered(self):
        return self.is_valid() and any(self.cleaned_data.get(name) for name in self.fields)

    @property
    def selected_topic(self):
        if not self.is_valid():
            return None
        return self.topics_by_slug.get(self.cleaned_data["topic"])

    @property
    def is_narrowed(self):
        """A topic, year, author unit or section kind is chosen (besides any words)."""
        return self.is_valid() and any(self.cleaned_data.get(name) for name in ("topic", "year", "org", "kind"))

    @property
    def kind_label(self):
        kind = self.cleaned_data.get("kind", "") if self.is_valid() else ""
        return Section.Kind(kind).label if kind else ""

    @property
    def query(self):
        """The cleaned search words, or ``""`` (also when the form is invalid)."""
        return self.cleaned_data.get("q", "") if self.is_valid() else ""

    def search_filters(self):
        """The choices as keyword arguments for ``articles.search.engine.search``."""
        data = self.cleaned_data
        return {
            "topic": self.selected_topic,
            "year": data["year"],
            "org": data["org"],
            "kind": data["kind"],
        }

    def filter(self, queryset):
        """Narrow ``queryset`` by the valid choices (not the words); an invalid form matches nothing."""
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["kind"]:
            queryset = queryset.filter(pk__in=Section.objects.filter(kind=data["kind"]).values("article_id"))
        if self.selected_topic is not None:
            queryset = queryset.in_topic(self.selected_topic)
        if data["year"] is not None:
            queryset = queryset.filter(published_at__year=data["year"])
        if data["org"]:
            queryset = queryset.filter(author_org=data["org"])
        return queryset


def _shown_instead(field):
    """What a reset choice field shows: its empty choice (全部专题), else its first (the default order)."""
    choices = list(field.choices)
    return dict(choices).get("", choices[0][1] if choices else "")


def sorted_orgs(orgs):
    """Author units (as a list) in the order of the 作者单位 choices.

    The national character set's order (:func:`articles.collation.chinese_sort_key`):
    the common hanzi in pinyin order, as MySQL's ``CONVERT(... USING gbk)``
    sorts, without loading pypinyin's dictionaries in every worker.
    """
    return sorted(orgs, key=chinese_sort_key)


def topic_choices(topics):
    """Columns in their order, each followed by its own special topics."""
    children = {}
    for topic in topics:
        if topic.parent_id is not None:
            children.setdefault(topic.parent_id, []).append(topic)
    choices = []
    for topic in topics:
        if topic.parent_id is None:
            choices.append((topic.slug, topic.name))
            choices.extend((child.slug, f"\u3000{child.name}") for child in children.get(topic.pk, []))
    return choices

"""The reader's filter form on the essay list.

Every choice (topic, year, author unit) is offered from what is published, so
a value a reader did not pick from the form -- a typo, a stale link, a probe
with NUL bytes or a megabyte of text -- fails validation in Python and never
reaches the database. The list view then shows an empty result, not a 500.
"""

from django import forms
from pypinyin import lazy_pinyin

# Longer than any title a reader would type; anything beyond is not a search.
QUERY_MAX_LENGTH = 100


class ArticleFilterForm(forms.Form):
    q = forms.CharField(
        label="标题关键词", required=False, max_length=QUERY_MAX_LENGTH,
        widget=forms.SearchInput(attrs={"placeholder": "输入标题中的词语", "autocomplete": "off"}),
    )
    topic = forms.ChoiceField(label="专题", required=False)
    year = forms.TypedChoiceField(label="年份", required=False, coerce=int, empty_value=None)
    org = forms.ChoiceField(label="作者单位", required=False)

    def __init__(self, data, *, topics, years, orgs):
        """``topics``: all topics (ordered); ``years``/``orgs``: values found on published essays."""
        super().__init__(data)
        self.topics_by_slug = {topic.slug: topic for topic in topics}
        self.fields["topic"].choices = [("", "全部专题"), *_topic_choices(topics)]
        self.fields["year"].choices = [("", "全部年份"), *((str(y), f"{y}年") for y in years)]
        self.fields["org"].choices = [
            ("", "全部单位"), *((org, org) for org in sorted(orgs, key=lazy_pinyin))
        ]

    @property
    def is_filtered(self):
        return self.is_valid() and any(self.cleaned_data.get(name) for name in self.fields)

    @property
    def selected_topic(self):
        if not self.is_valid():
            return None
        return self.topics_by_slug.get(self.cleaned_data["topic"])

    def filter(self, queryset):
        """Narrow ``queryset`` by the valid choices; an invalid form matches nothing."""
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.filter(title__icontains=data["q"])
        if self.selected_topic is not None:
            queryset = queryset.in_topic(self.selected_topic)
        if data["year"] is not None:
            queryset = queryset.filter(published_at__year=data["year"])
        if data["org"]:
            queryset = queryset.filter(author_org=data["org"])
        return queryset


def _topic_choices(topics):
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

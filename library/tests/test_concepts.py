"""The concept lexicon: the shipped file, its copy in the database, editors' changes, the admin."""

import pytest
from django.urls import reverse

from library import concepts, lexicon
from library.models import Concept, LibraryItem, Theme
from library.regrouping import regroup
from library.tests.factories import make_essay


def test_the_shipped_file_parses_and_every_wording_is_a_whole_word_of_the_segmenter():
    shipped = concepts.shipped_concepts()
    assert len(shipped) >= 15
    lex = concepts.shipped_lexicon()
    for concept in shipped:
        assert concept.problem_label and concept.countermeasure_label, concept.name
        for wording in concept.wordings:
            # Cut whole: a wording is one token, never split into characters.
            assert lex.segmenter.cut(wording, True) == [wording], wording


def test_a_malformed_line_is_refused_with_its_number():
    with pytest.raises(ValueError, match="第 2 行"):
        concepts.parse("考核评价 | 甲 | 乙 = 考核 考评\n经 | 甲 | 乙 = 经费")
    with pytest.raises(ValueError, match="说法"):
        concepts.parse("考核评价 = 考核 <script>")


def test_filler_is_never_a_feature_nor_a_keyword():
    lex = concepts.shipped_lexicon()
    for word in ("存在", "问题", "工作", "方面", "进一步", "有待", "不够"):
        assert word in lex.stopwords
        assert not lex.is_keyword(word)
    assert lex.is_keyword("考核评价") and lex.is_keyword("流于形式")


@pytest.mark.django_db
def test_migrate_copies_the_shipped_concepts_and_a_second_sync_writes_nothing():
    names = {c.name for c in concepts.shipped_concepts()}
    assert set(Concept.objects.values_list("name", flat=True)) == names
    assert not lexicon.sync_shipped_concepts().changed


@pytest.mark.django_db
def test_editors_choices_survive_a_sync_and_a_dropped_concept_is_switched_off_once():
    Concept.objects.filter(name="考核评价").update(enabled=False)
    Concept.objects.create(name="网格员", wordings="网格员 楼栋长")
    shipped = [c for c in concepts.shipped_concepts() if c.name != "党费"]
    report = lexicon.sync_shipped_concepts(shipped)
    assert report.disabled == ["党费"] and not report.created
    assert not Concept.objects.get(name="考核评价").enabled
    assert Concept.objects.get(name="网格员").origin == Concept.Origin.EDITOR
    Concept.objects.filter(name="党费").update(enabled=True)  # the editor wants it back
    assert not lexicon.sync_shipped_concepts(shipped).changed
    assert Concept.objects.get(name="党费").enabled


@pytest.mark.django_db
def test_an_editors_wording_groups_items_at_the_next_regroup(no_task_worker):
    make_essay(problems=["志愿者队伍不稳定"])
    make_essay(problems=["义工招募困难"])
    regroup()
    assert Theme.objects.filter(misc=True, library="problems").get().items.count() == 2
    Concept.objects.create(
        name="志愿服务",
        problem_label="志愿服务力量不足",
        countermeasure_label="壮大志愿服务队伍",
        wordings="志愿者 义工",
    )
    regroup()
    theme = LibraryItem.objects.get(heading="义工招募困难").theme
    assert not theme.misc and theme.items.count() == 2
    assert theme.label == "志愿服务力量不足" and "志愿服务" in theme.words


@pytest.mark.django_db
def test_a_concept_switched_off_no_longer_names_themes(no_task_worker):
    make_essay(problems=["党建考核“软化”"])
    make_essay(problems=["考评结果运用不够"])
    regroup()
    assert LibraryItem.objects.get(heading="党建考核“软化”").theme.label == "考核评价机制不健全"
    Concept.objects.filter(name="考核评价").update(enabled=False)
    regroup()
    assert not Theme.objects.filter(auto_label="考核评价机制不健全").exists()


@pytest.mark.django_db
def test_the_admin_lists_adds_and_switches_concepts(admin_client):
    url = reverse("admin:library_concept_changelist")
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        reverse("admin:library_concept_add"),
        {"name": "网格员", "wordings": "网格员，楼栋长 单元长", "enabled": "on"},
    )
    assert response.status_code == 302
    assert Concept.objects.get(name="网格员").wordings == "网格员 楼栋长 单元长"
    pk = Concept.objects.get(name="党费").pk
    admin_client.post(url, {"action": "disable_entries", "_selected_action": [pk]})
    assert not Concept.objects.get(pk=pk).enabled


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value", [("name", "<script>alert(1)</script>"), ("wordings", "网格员 ' OR 1=1 --"), ("name", "经")]
)
def test_a_bad_concept_is_refused_with_a_chinese_message(admin_client, field, value):
    data = {"name": "网格员", "wordings": "网格员", "enabled": "on", field: value}
    response = admin_client.post(reverse("admin:library_concept_add"), data)
    assert response.status_code == 200
    assert "汉字" in response.content.decode()
    assert not Concept.objects.filter(name=data["name"]).exists()

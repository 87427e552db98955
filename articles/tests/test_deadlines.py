"""Issue 20, item 5: how long an essay has waited at its review stage, limits in working days.

The arithmetic on a calendar first (weekends, holidays, 调休), then what each
role sees: the 等待 column and 已超时 in words, 待我审核 sorted by waiting
time, the change page's line, the admin home's queue, and 紧急程度.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from articles.editing import deadlines, workflow
from articles.editing.deadlines import Calendar, add_working_time, working_time_between
from articles.models import Article
from articles.tests.factories import make_draft
from articles.tests.test_roles import ADMINISTRATOR, AUTHOR, EDITOR, REVIEWER, change_url, logged_in, user_in

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 2026-12-04 is a Friday.
FRIDAY_5PM = dt.datetime(2026, 12, 4, 17, 0, tzinfo=SHANGHAI)
MONDAY_5PM = dt.datetime(2026, 12, 7, 17, 0, tzinfo=SHANGHAI)
TUESDAY_9AM = dt.datetime(2026, 12, 8, 9, 0, tzinfo=SHANGHAI)
WEEKDAYS = Calendar()
CHANGELIST = reverse("admin:articles_article_changelist")


# --- the arithmetic ----------------------------------------------------------------


def test_a_weekend_does_not_count():
    assert working_time_between(FRIDAY_5PM, MONDAY_5PM, WEEKDAYS) == dt.timedelta(hours=24)


def test_one_working_day_from_friday_afternoon_is_monday_afternoon():
    assert add_working_time(FRIDAY_5PM, dt.timedelta(hours=24), WEEKDAYS) == MONDAY_5PM
    assert add_working_time(FRIDAY_5PM, dt.timedelta(hours=48), WEEKDAYS) == MONDAY_5PM + dt.timedelta(days=1)


def test_time_within_one_working_day():
    start = dt.datetime(2026, 12, 8, 9, 0, tzinfo=SHANGHAI)
    assert working_time_between(start, start + dt.timedelta(hours=5), WEEKDAYS) == dt.timedelta(hours=5)
    assert working_time_between(start, start - dt.timedelta(hours=1), WEEKDAYS) == dt.timedelta(0)


def test_configured_holidays_do_not_count_and_tiaoxiu_saturdays_do():
    monday = dt.date(2026, 12, 7)
    holiday = Calendar(holidays=frozenset({monday}))
    assert working_time_between(FRIDAY_5PM, MONDAY_5PM, holiday) == dt.timedelta(hours=7)
    assert add_working_time(FRIDAY_5PM, dt.timedelta(hours=24), holiday) == MONDAY_5PM + dt.timedelta(days=1)
    saturday = Calendar(workdays=frozenset({dt.date(2026, 12, 5)}))
    assert working_time_between(FRIDAY_5PM, MONDAY_5PM, saturday) == dt.timedelta(hours=48)


def test_a_calendar_without_working_days_ends():
    nothing = Calendar(holidays=frozenset(FRIDAY_5PM.date() + dt.timedelta(days=n) for n in range(4000)))
    assert add_working_time(FRIDAY_5PM, dt.timedelta(hours=1), nothing) > FRIDAY_5PM


def test_durations_are_told_in_working_days_and_hours():
    assert deadlines.describe(dt.timedelta(hours=27)) == "1 个工作日 3 小时"
    assert deadlines.describe(dt.timedelta(minutes=20)) == "不到 1 小时"


# --- essays ---------------------------------------------------------------------------


def submitted(title, at, author, urgency=Article.Urgency.ORDINARY):
    with time_machine.travel(at, tick=False):
        article = make_draft(title, created_by=author, urgency=urgency)
        workflow.submit(article, author)
    return article


@pytest.fixture
def queue(db):
    author = user_in(AUTHOR)
    return {
        "new": submitted("刚送审的普通稿", MONDAY_5PM, author),
        "old": submitted("周五送审的普通稿", FRIDAY_5PM, author),
        "urgent": submitted("周五送审的急稿", FRIDAY_5PM + dt.timedelta(hours=1), author, Article.Urgency.URGENT),
    }


@pytest.mark.django_db
def test_the_defaults_are_one_and_two_working_days(settings):
    assert settings.REVIEW_LIMIT_URGENT_HOURS == 24 and settings.REVIEW_LIMIT_ORDINARY_HOURS == 48
    assert deadlines.limit_for(Article.Urgency.URGENT) == dt.timedelta(days=1)
    assert deadlines.limit_for(Article.Urgency.ORDINARY) == dt.timedelta(days=2)


@pytest.mark.django_db
def test_waiting_counts_from_the_step_into_the_current_stage(queue):
    reviewer = user_in(REVIEWER)
    with time_machine.travel(MONDAY_5PM, tick=False):
        workflow.approve(queue["old"], reviewer)  # into 复审 on Monday
    waiting = deadlines.waiting_of(Article.objects.get(pk=queue["old"].pk), now=TUESDAY_9AM)
    assert waiting.entered == MONDAY_5PM
    assert waiting.waited == dt.timedelta(hours=16)
    assert not waiting.overdue


@pytest.mark.django_db
def test_an_urgent_essay_is_overdue_after_one_working_day(queue, settings):
    urgent = deadlines.waiting_of(Article.objects.get(pk=queue["urgent"].pk), now=TUESDAY_9AM)
    ordinary = deadlines.waiting_of(Article.objects.get(pk=queue["old"].pk), now=TUESDAY_9AM)
    assert urgent.overdue and "已超时" in urgent.text
    assert not ordinary.overdue and "已超时" not in ordinary.text
    settings.REVIEW_LIMIT_ORDINARY_HOURS = 8
    assert deadlines.waiting_of(Article.objects.get(pk=queue["old"].pk), now=TUESDAY_9AM).overdue


@pytest.mark.django_db
def test_a_holiday_from_settings_moves_the_deadline(queue, settings):
    settings.REVIEW_HOLIDAYS = ["2026-12-07"]
    urgent = deadlines.waiting_of(Article.objects.get(pk=queue["urgent"].pk), now=TUESDAY_9AM)
    assert not urgent.overdue
    assert urgent.deadline == MONDAY_5PM + dt.timedelta(days=1, hours=1)


@pytest.mark.django_db
def test_essays_not_in_review_have_no_waiting_time():
    assert deadlines.waiting_of(make_draft("草稿")) is None


@pytest.mark.django_db
@time_machine.travel(TUESDAY_9AM, tick=False)
def test_the_reviewers_queue_is_sorted_oldest_first_and_marks_overdue_in_words(client, queue):
    html = logged_in(client, user_in(REVIEWER)).get(CHANGELIST + "?review=mine").content.decode()
    positions = [html.index(queue[key].title) for key in ("old", "urgent", "new")]
    assert positions == sorted(positions)
    assert html.count("已超时") == 1  # the urgent essay, in words
    assert "初审已等待 1 个工作日 15 小时（时限 1 个工作日），已超时" in html


@pytest.mark.django_db
@time_machine.travel(TUESDAY_9AM, tick=False)
def test_a_column_header_still_sorts_the_queue(client, queue):
    response = logged_in(client, user_in(REVIEWER)).get(CHANGELIST + "?review=mine&o=1")
    assert response.status_code == 200


@pytest.mark.django_db
@time_machine.travel(TUESDAY_9AM, tick=False)
def test_the_change_page_shows_the_wait_and_the_deadline(client, queue):
    html = logged_in(client, user_in(REVIEWER)).get(change_url(queue["urgent"])).content.decode()
    assert "初审已等待 1 个工作日 15 小时（时限 1 个工作日），已超时" in html
    assert "紧急程度：紧急" in html
    assert "2026-12-07 18:00" in html  # one working day after Friday 18:00


@pytest.mark.django_db
@time_machine.travel(TUESDAY_9AM, tick=False)
def test_the_admin_home_shows_a_reviewer_their_queue(client, queue):
    html = logged_in(client, user_in(REVIEWER)).get(reverse("admin:index")).content.decode()
    assert "共 3 篇文稿等待您审核" in html
    assert "其中 1 篇已超时" in html
    assert "等待最久" in html and queue["old"].title in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", [AUTHOR, EDITOR])
def test_the_admin_home_shows_no_queue_to_those_who_do_not_review(client, queue, role):
    html = logged_in(client, user_in(role, "other")).get(reverse("admin:index")).content.decode()
    assert "等待您审核" not in html and 'id="review-queue"' not in html


@pytest.mark.django_db
def test_an_empty_queue_says_so(client):
    html = logged_in(client, user_in(ADMINISTRATOR)).get(reverse("admin:index")).content.decode()
    assert "目前没有等待您审核的文稿" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "own", "editable"), [(AUTHOR, True, True), (EDITOR, False, True), (REVIEWER, False, False)]
)
def test_urgency_is_set_by_whoever_may_edit_and_submit(client, role, own, editable):
    from articles.tests.test_admin import article_data

    user = user_in(role)
    article = make_draft("定紧急程度的稿", created_by=user if own else None)
    html = logged_in(client, user).get(change_url(article)).content.decode()
    assert ('name="urgency"' in html) is editable
    if editable:
        data = article_data(title=article.title, urgency="urgent", lock_version=article.version)
        response = client.post(change_url(article), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Article.objects.get(pk=article.pk).urgency == Article.Urgency.URGENT


@pytest.mark.django_db
def test_the_transitions_say_how_long_each_stage_took(client, queue):
    with time_machine.travel(MONDAY_5PM, tick=False):
        workflow.approve(Article.objects.get(pk=queue["old"].pk), user_in(REVIEWER, "first"))
    with time_machine.travel(TUESDAY_9AM, tick=False):
        html = logged_in(client, user_in(EDITOR)).get(change_url(queue["old"])).content.decode()
    assert "本环节用时" in html
    assert "<td>1 个工作日</td>" in html  # 初审: Friday 17:00 to Monday 17:00
    assert "复审已等待 16 小时（时限 2 个工作日）" in html

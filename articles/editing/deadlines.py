"""How long an essay has waited at its review stage, and whether it is past its limit.

An essay enters a stage with the step that put it there (送审 into 初审, an
approval into the next stage): the newest :class:`~articles.models.ArticleTransition`
into 审核中. It may wait ``REVIEW_LIMIT_URGENT_HOURS`` or
``REVIEW_LIMIT_ORDINARY_HOURS`` (by its 紧急程度) *working* hours: only
working days count, 24 hours each, so 24 is one working day and a Friday
afternoon submission is due on Monday afternoon. Working days are Monday to
Friday, less ``REVIEW_HOLIDAYS``, plus ``REVIEW_WORKDAYS`` (调休): statutory
holidays are not known unless configured.

The arithmetic (:func:`working_time_between`, :func:`add_working_time`) is
plain Python on local datetimes; the rest reads settings and the database.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.editing import workflow
from articles.models import Article, ArticleTransition

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Calendar:
    """Which days count: Monday to Friday, less ``holidays``, plus ``workdays``."""

    holidays: frozenset = frozenset()
    workdays: frozenset = frozenset()

    def is_working_day(self, day):
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


def _start_of(day, tzinfo):
    return datetime.combine(day, time.min, tzinfo=tzinfo)


def working_time_between(start, end, calendar):
    """The part of ``[start, end)`` that falls on working days (aware datetimes, same zone)."""
    end = end.astimezone(start.tzinfo)
    if end <= start:
        return timedelta(0)
    total, day = timedelta(0), start.date()
    while day <= end.date():
        if calendar.is_working_day(day):
            begin = max(start, _start_of(day, start.tzinfo))
            finish = min(end, _start_of(day + DAY, start.tzinfo))
            if finish > begin:
                total += finish - begin
        day += DAY
    return total


def add_working_time(start, amount, calendar):
    """The moment ``amount`` of working time after ``start``: non-working days do not count.

    At most ten years of days are walked, so a calendar without a working day cannot loop forever.
    """
    moment, left = start, amount
    for _ in range(3660):
        day_end = _start_of(moment.date() + DAY, moment.tzinfo)
        if calendar.is_working_day(moment.date()):
            if moment + left <= day_end:
                return moment + left
            left -= day_end - moment
        moment = day_end
    return moment


# --- settings and the database ---------------------------------------------------


def _dates(values):
    return frozenset(value if isinstance(value, date) else date.fromisoformat(str(value)) for value in values)


def calendar():
    return Calendar(
        holidays=_dates(getattr(settings, "REVIEW_HOLIDAYS", ())),
        workdays=_dates(getattr(settings, "REVIEW_WORKDAYS", ())),
    )


def limit_for(urgency):
    """The working time an essay of this 紧急程度 may wait at one stage."""
    if urgency == Article.Urgency.URGENT:
        return timedelta(hours=settings.REVIEW_LIMIT_URGENT_HOURS)
    return timedelta(hours=settings.REVIEW_LIMIT_ORDINARY_HOURS)


def with_stage_entered(queryset):
    """Annotate ``stage_entered_at``: when each essay entered its review stage.

    The newest step into 审核中; an essay put in review without one (by hand,
    in old data) counts from its last change.
    """
    entered = (
        ArticleTransition.objects.filter(article=OuterRef("pk"), to_status=Article.Status.IN_REVIEW)
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    return queryset.annotate(stage_entered_at=Coalesce(Subquery(entered), "updated_at"))


@dataclass(frozen=True)
class Waiting:
    entered: datetime
    waited: timedelta  # working time
    limit: timedelta
    deadline: datetime

    @property
    def overdue(self):
        return self.waited > self.limit

    @property
    def text(self):
        """已等待 1 个工作日 3 小时（时限 2 个工作日）, with 已超时 in words, not only in colour."""
        text = f"已等待 {describe(self.waited)}（时限 {describe(self.limit)}）"
        return f"{text}，已超时" if self.overdue else text


def waiting_of(article, now=None):
    """How long ``article`` (in review) has waited at its stage, or None when it is not in review.

    Reads ``stage_entered_at`` when the essay came through :func:`with_stage_entered`,
    else asks the database.
    """
    if article.status != Article.Status.IN_REVIEW:
        return None
    entered = getattr(article, "stage_entered_at", None)
    if entered is None:
        entered = with_stage_entered(Article.all_objects.filter(pk=article.pk)).values_list(
            "stage_entered_at", flat=True
        )[0]
    now = timezone.localtime(now or timezone.now())
    entered = timezone.localtime(entered)
    days = calendar()
    limit = limit_for(article.urgency)
    return Waiting(
        entered=entered,
        waited=working_time_between(entered, now, days),
        limit=limit,
        deadline=add_working_time(entered, limit, days),
    )


def describe(duration):
    """A working time for people: 3 小时, 1 个工作日 5 小时, 不到 1 小时."""
    hours = int(duration.total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    parts = []
    if days:
        parts.append(f"{days} 个工作日")
    if hours:
        parts.append(f"{hours} 小时")
    return " ".join(parts) or "不到 1 小时"


@dataclass(frozen=True)
class QueueSummary:
    count: int
    overdue: int
    oldest: Article | None
    oldest_waiting: Waiting | None

    @property
    def oldest_text(self):
        return self.oldest_waiting.text if self.oldest_waiting else ""


def sort_by_waiting(articles, now=None):
    """``[(article, waiting)]``, the longest wait first."""
    rows = [(article, waiting_of(article, now)) for article in articles]
    return sorted(rows, key=lambda row: (row[1].entered, row[0].pk))


def queue_summary(user, now=None):
    """待我审核 at a glance (the admin home): how many, how many overdue, the oldest."""
    rows = sort_by_waiting(workflow.review_queue(user, with_stage_entered(Article.objects.all())), now)
    overdue = sum(waiting.overdue for _, waiting in rows)
    oldest, oldest_waiting = rows[0] if rows else (None, None)
    return QueueSummary(count=len(rows), overdue=overdue, oldest=oldest, oldest_waiting=oldest_waiting)

from django.urls import path

from articles.reading.feeds import TopicEssaysAtomFeed, TopicEssaysFeed
from topics import views

app_name = "topics"

urlpatterns = [
    path("", views.topic_index, name="index"),
    path("<slug:slug>/", views.topic_detail, name="detail"),
    path("<slug:slug>/feed/rss/", TopicEssaysFeed(), name="feed_rss"),
    path("<slug:slug>/feed/atom/", TopicEssaysAtomFeed(), name="feed_atom"),
]

from django.urls import path

from articles.export import views as export
from articles.reading import endpoints as reader
from articles.reading import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="list"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("preview/<int:pk>/", views.article_preview, name="preview"),
    path("articles/<int:pk>/view/", reader.count_view, name="count_view"),
    path("articles/<slug:slug>/qr.<str:fmt>", reader.qr_code, name="qr"),
    path("articles/<slug:slug>/download.<str:fmt>", export.essay_download, name="download"),
    path("feed/", views.subscribe, name="subscribe"),
    path("feed/rss/", feeds.LatestEssaysFeed(), name="feed_rss"),
    path("feed/atom/", feeds.LatestEssaysAtomFeed(), name="feed_atom"),
]

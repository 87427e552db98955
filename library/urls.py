from django.urls import path

from library import views
from library.models import Library

app_name = "library"

P, C = Library.PROBLEMS, Library.COUNTERMEASURES

urlpatterns = [
    path("problems/", views.theme_index, {"library": P}, name="problems"),
    path("problems/<int:pk>/", views.theme_detail, {"library": P}, name="problem_theme"),
    path("problems/export.xlsx", views.export_items, {"library": P, "fmt": "xlsx"}, name="problems_xlsx"),
    path("problems/export.csv", views.export_items, {"library": P, "fmt": "csv"}, name="problems_csv"),
    path("countermeasures/", views.theme_index, {"library": C}, name="countermeasures"),
    path("countermeasures/<int:pk>/", views.theme_detail, {"library": C}, name="countermeasure_theme"),
    path("countermeasures/export.xlsx", views.export_items, {"library": C, "fmt": "xlsx"}, name="countermeasures_xlsx"),
    path("countermeasures/export.csv", views.export_items, {"library": C, "fmt": "csv"}, name="countermeasures_csv"),
    path("items/<str:key>/", views.item_permalink, name="item"),
]

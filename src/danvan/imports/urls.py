"""Pages of the imports app."""

from django.urls import path

from danvan.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_index, name="index"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/file/", views.import_file, name="file"),
    path("<int:pk>/apply/", views.import_apply, name="apply"),
    path("<int:pk>/rollback/", views.import_rollback, name="rollback"),
    path("templates/<slug:kind>/", views.import_template, name="template"),
]

"""Pages of the reports app."""

from django.urls import path

from danvan.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("new/", views.report_new, name="new"),
    path("export/", views.report_export, name="export"),
    path("settings/", views.document_settings, name="settings"),
    path("initiatives.csv", views.initiative_csv, name="initiatives_csv"),
    path("<str:pk>/row/", views.report_row, name="row"),
    path("<str:pk>/download/", views.report_download, name="download"),
]

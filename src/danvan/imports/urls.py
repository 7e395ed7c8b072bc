"""Pages of the imports app."""

from django.urls import path

from danvan.imports import views
from danvan.imports.word_reports import views as word_reports

app_name = "imports"
urlpatterns = [
    path("", views.import_index, name="index"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/file/", views.import_file, name="file"),
    path("<int:pk>/apply/", views.import_apply, name="apply"),
    path("<int:pk>/rollback/", views.import_rollback, name="rollback"),
    path("templates/<slug:kind>/", views.import_template, name="template"),
    path("word-reports/", word_reports.report_upload_page, name="word_report_upload"),
    path("<int:pk>/review/", word_reports.report_review_page, name="word_report_review"),
    path("<int:pk>/review/confirm/", word_reports.report_confirm_page, name="word_report_confirm"),
    path("<int:pk>/review/apply/", word_reports.report_apply_page, name="word_report_apply"),
]

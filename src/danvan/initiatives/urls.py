"""Pages of the initiatives app."""

from django.urls import path

from danvan.initiatives import views

app_name = "initiatives"
urlpatterns = [
    path("", views.initiative_list_page, name="list"),
    path("new/", views.initiative_create_page, name="create"),
    path("choices/areas/", views.area_options, name="area-options"),
    path("choices/organisations/", views.organisation_options, name="organisation-options"),
    path("<str:pk>/", views.initiative_detail_page, name="detail"),
    path("<str:pk>/edit/", views.initiative_edit_page, name="edit"),
    path("<str:pk>/actions/<slug:name>/", views.initiative_action, name="action"),
    path("<str:pk>/replication/", views.replication_page, name="replication"),
    path("<str:pk>/contributions/new/", views.contribution_add_page, name="contribution-add"),
    path(
        "<str:pk>/contributions/<str:entry_pk>/correct/",
        views.contribution_correct_page,
        name="contribution-correct",
    ),
    path("<str:pk>/results/new/", views.result_add_page, name="result-add"),
    path("<str:pk>/evidence/new/", views.evidence_add_page, name="evidence-add"),
    path(
        "<str:pk>/evidence/<str:evidence_pk>/thumbnail/",
        views.evidence_thumbnail,
        name="evidence-thumbnail",
    ),
    path("<str:pk>/evidence/<str:evidence_pk>/file/", views.evidence_file, name="evidence-file"),
]

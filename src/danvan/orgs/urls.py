"""Pages of the orgs app."""

from django.urls import path

from danvan.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.organisation_index, name="index"),
    path("new/", views.organisation_new, name="new"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:pk>/move/", views.organisation_move, name="move"),
]

"""Pages of the accounts app, mounted at /people/."""

from django.urls import path

from danvan.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.user_index, name="index"),
    path("new/", views.user_new, name="new"),
    path("<int:pk>/", views.user_detail, name="detail"),
    path("<int:pk>/edit/", views.user_edit, name="edit"),
    path("<int:pk>/activate/", views.user_set_active, {"active": True}, name="activate"),
    path("<int:pk>/deactivate/", views.user_set_active, {"active": False}, name="deactivate"),
    path("<int:pk>/roles/new/", views.role_add, name="role_add"),
    path("<int:pk>/roles/<int:assignment_pk>/revoke/", views.role_remove, name="role_revoke"),
]

"""Pages of the accounts app, mounted at /people/; a person's own pages under /people/me/."""

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
    path("me/sessions/", views.own_sessions, name="sessions"),
    path("me/sessions/<int:pk>/end/", views.own_session_end, name="session_end"),
    path("me/sessions/end-others/", views.own_sessions_end_others, name="sessions_end_others"),
    path("me/tokens/<int:pk>/revoke/", views.own_token_revoke, name="token_revoke"),
    path("confirm-address/<str:token>/", views.email_confirm, name="email_confirm"),
]

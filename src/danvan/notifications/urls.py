"""The inbox, mounted at /inbox/: each person's own notifications and e-mail settings."""

from django.urls import path

from danvan.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("<int:pk>/read/", views.mark, {"read": True}, name="read"),
    path("<int:pk>/unread/", views.mark, {"read": False}, name="unread"),
    path("<int:pk>/open/", views.open_notification, name="open"),
    path("settings/", views.email_settings, name="settings"),
]

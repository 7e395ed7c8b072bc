"""The product's own pages: the dashboard and the public showcase."""

from django.urls import path

from danvan.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("map/", views.dashboard_map, name="map"),
    path("showcase/", views.showcase, name="showcase"),
    path("showcase/photos/<int:pk>/", views.showcase_photo, name="showcase_photo"),
    path("showcase/<str:code>/", views.showcase_detail, name="showcase_detail"),
    path("privacy/", views.privacy, name="privacy"),
]

"""Pages of the areas app."""

from django.urls import path

from danvan.areas import views

app_name = "areas"
urlpatterns = [
    path("", views.area_index, name="index"),
    path("<int:pk>/", views.area_detail, name="detail"),
    path("<int:pk>/children/", views.area_children, name="children"),
]

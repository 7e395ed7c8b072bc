"""The product's own pages."""

from django.urls import path
from django.views.generic import RedirectView

app_name = "web"
urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False), name="home"),
]

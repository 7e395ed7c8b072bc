"""Operations endpoints: ``/health/``."""

from django.urls import path

from danvan.ops import views

urlpatterns = [path("", views.health, name="health")]

"""Pages of the orgs app."""

app_name = "orgs"
urlpatterns: list = []

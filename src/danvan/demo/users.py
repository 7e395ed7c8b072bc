"""Demo log-ins: an administrator with a fixed, printed password.

Roles and scopes come with the accounts work; until then the demo has one superuser so the admin
and every page can be tried. The password is public by design (it is printed and documented), so
``load_demo`` must never run against a real deployment's database.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    created: bool


ADMIN_USERNAME = "admin"
# Long enough and uncommon enough for Django's validators, easy to type from the screen.
ADMIN_PASSWORD = "DanVan-demo-2025!"


def ensure_admin() -> DemoLogin:
    """Create the demo superuser if missing; an existing one keeps the password it has."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=ADMIN_USERNAME).first()
    if user is not None:
        return DemoLogin(ADMIN_USERNAME, ADMIN_PASSWORD, created=False)
    candidate = user_model(username=ADMIN_USERNAME, email="admin@example.org")
    validate_password(ADMIN_PASSWORD, user=candidate)
    user_model.objects.create_superuser(
        username=ADMIN_USERNAME, email="admin@example.org", password=ADMIN_PASSWORD
    )
    return DemoLogin(ADMIN_USERNAME, ADMIN_PASSWORD, created=True)

"""``danvan api_token USERNAME --name NAME``: create a personal API token and print its key."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from danvan.accounts.services import api_token_create


class Command(BaseCommand):
    help = (
        "Create a personal API token for a user and print its key (shown only now). The token "
        "acts exactly as its user, with the same scopes; revoke it at /api/v1/tokens/."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for, e.g. 'Excel'.")

    def handle(self, *args, username: str, name: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        if not user.is_active:
            raise CommandError(f"{username!r} is disabled.")
        try:
            _token, key = api_token_create(actor=user, name=name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        self.stdout.write(key)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "danvan.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from danvan.accounts import scope, signals  # noqa: F401  (connects the receivers)
        from danvan.core import access

        access.register(scope)

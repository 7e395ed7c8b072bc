from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "danvan.ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from danvan.ops.middleware import connect_signals

        connect_signals()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "danvan.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from danvan.core import collation
        from danvan.core.history import protect_history

        protect_history()
        collation.install()

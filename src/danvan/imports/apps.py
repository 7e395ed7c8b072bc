from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "danvan.imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from simple_history.signals import pre_create_historical_record

        from danvan.imports.rows import name_history_row

        pre_create_historical_record.connect(name_history_row, dispatch_uid="imports-cause")

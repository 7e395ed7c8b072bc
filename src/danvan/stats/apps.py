from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "danvan.stats"
    verbose_name = _("Statistics")

    def ready(self):
        """Keep the rollups in step with every change the domain apps announce."""
        from danvan.core import upkeep
        from danvan.stats import rollups

        upkeep.register(rollups)

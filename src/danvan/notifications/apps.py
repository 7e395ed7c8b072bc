from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "danvan.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        """Tell people of workflow steps: the lifecycle announces them, this app listens."""
        from danvan.initiatives.lifecycle import transitioned
        from danvan.notifications.services import on_transition

        transitioned.connect(on_transition, dispatch_uid="danvan.notifications.transition")

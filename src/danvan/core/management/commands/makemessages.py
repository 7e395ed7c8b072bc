"""``danvan makemessages``: Django's command, also reading ``_lazy("…")`` as a translatable string.

Several modules import ``gettext_lazy as _lazy`` (the import columns, the Word report pages);
xgettext knows only the usual names (``_``, ``gettext_lazy``…), so without this keyword their
headers and help texts never reach the catalogues and the Vietnamese and Arabic templates stay
in English. ``danvan.core`` comes before Django's own commands, so this is the command Django runs.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy"]

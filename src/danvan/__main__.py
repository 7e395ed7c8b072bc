"""The ``danvan`` command: Django's manage.py for an installed danvan."""

import os
import sys


def main() -> None:
    """Run a Django management command with danvan's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

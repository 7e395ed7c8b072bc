"""Fixtures for the accounts tests: the shared cast of people, places and initiatives."""

import pytest
from django.utils import translation

from tests.api.conftest import api  # noqa: F401
from tests.people import world  # noqa: F401


@pytest.fixture(autouse=True)
def english():
    """Compare labels and messages in English, whatever catalogues are compiled."""
    with translation.override("en"):
        yield

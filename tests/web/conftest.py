"""Fixtures of the page tests: the shared cast, with their figures in the rollups."""

import pytest
from django.test import Client
from django.utils import translation

from danvan.stats.rebuild import rebuild_rollups
from tests.people import world  # noqa: F401


@pytest.fixture
def cast(world):  # noqa: F811
    """The shared cast, with the statistics rebuilt from the initiatives it created (the
    factories write the initiatives directly, past the services that keep the rollups)."""
    rebuild_rollups(reset_nodes=True)
    return world


@pytest.fixture(autouse=True)
def english():
    """Read the pages in English, whatever catalogues are compiled."""
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    """A browser that asks for English pages (a test may still ask for another language)."""
    return Client(headers={"accept-language": "en"})

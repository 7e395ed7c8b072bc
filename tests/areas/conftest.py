"""Fixtures for the area tests."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Compare labels and messages in English, whatever catalogues are compiled."""
    with translation.override("en"):
        yield

"""The fault tests reuse the operations tests' seeded SQLite database and helpers."""

from tests.ops.conftest import seeded_sqlite  # noqa: F401

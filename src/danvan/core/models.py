"""Small shared tables."""

from django.db import models, transaction


class CodeSequence(models.Model):
    """The last number handed out for a code prefix (``DVK-2024``, ``ORG``).

    Human-readable codes are numbered per prefix without gaps from races: the row is locked
    while the next number is taken, in the caller's transaction.
    """

    prefix = models.CharField(max_length=40, unique=True)
    last = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last}"


def next_code(prefix: str, width: int = 6) -> str:
    """Return the next free code for ``prefix``, e.g. ``DVK-2024-000123``."""
    with transaction.atomic():
        sequence, _ = CodeSequence.objects.select_for_update().get_or_create(prefix=prefix)
        sequence.last += 1
        sequence.save(update_fields=["last"])
    return f"{prefix}-{sequence.last:0{width}d}"


def bump_sequence(prefix: str, at_least: int) -> None:
    """Make sure the next code for ``prefix`` is above ``at_least`` (after bulk loads)."""
    with transaction.atomic():
        sequence, _ = CodeSequence.objects.select_for_update().get_or_create(prefix=prefix)
        if sequence.last < at_least:
            sequence.last = at_least
            sequence.save(update_fields=["last"])


def next_codes(prefix: str, count: int, width: int = 6) -> list[str]:
    """Reserve ``count`` consecutive codes for ``prefix`` with one locked update.

    A bulk registration takes its whole block at once instead of locking the sequence per
    row; a concurrent writer waits for the lock and continues after the block.
    """
    if count <= 0:
        return []
    with transaction.atomic():
        sequence, _ = CodeSequence.objects.select_for_update().get_or_create(prefix=prefix)
        first = sequence.last + 1
        sequence.last += count
        sequence.save(update_fields=["last"])
    return [f"{prefix}-{number:0{width}d}" for number in range(first, first + count)]

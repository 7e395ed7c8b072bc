"""Undo an applied import of initiatives in blocks of 2,000, with a few statements per block.

The import registered some initiatives and changed others; each history row it wrote carries
its cause (``import #<id>``). The rollback reads those rows once, checks everything before it
writes anything, then removes what the import added and gives what it changed the version it
had before, through the initiatives' bulk services (``initiatives.bulk``), which write the
history rows and move the statistics once per block. The number of statements grows with the
blocks, never with the rows.

An archive's recognition goes too (``review.archive``): the awards and evaluations the import
created are removed, the awards it moved along (a proposal recognised, an award nominated) get
their earlier version back, each with a history row; the archive's own workflow steps go with
the models they belong to.

It is refused, naming the initiatives, when any of them changed after the import (rolling back
would erase someone's later work), when an added one is now referred to by something the
import did not bring (ledger entries, results, evidence, workflow steps, evaluations, awards,
continuations), or when an award or evaluation it brought changed since (a later step on the
review page, an award nominated from it). Everything runs inside the caller's transaction: all
or nothing.
"""

from collections.abc import Callable

from django.db.models import Q
from django.utils.translation import gettext as _

from danvan.accounts.scope import require, require_on_initiative, require_related
from danvan.areas.models import Area
from danvan.core.validation import reject
from danvan.initiatives.bulk import (
    initiatives_bulk_remove,
    initiatives_bulk_restore,
    initiatives_in_use,
)
from danvan.initiatives.bulk_sql import among
from danvan.initiatives.lifecycle.archive import archive_steps, initiatives_archive_forget
from danvan.initiatives.models import Initiative, StatusChange
from danvan.orgs.models import Organisation
from danvan.review.archive import archive_undo, archive_undo_plan
from danvan.review.models import Award, Evaluation

BLOCK = 2000
# What a restore brings back: the facts, as ``initiative_restore`` does (the workflow state
# moves only through its transitions).
RESTORED_FIELDS = (
    "title",
    "summary",
    "field",
    "area_id",
    "start_date",
    "end_date",
    "people_in_charge",
)
MAX_NAMED = 50


def _blocks(items: list) -> list[list]:
    return [items[start : start + BLOCK] for start in range(0, len(items), BLOCK)]


def _name_all(codes: list[str]) -> str:
    codes = sorted(set(codes))
    shown = ", ".join(codes[:MAX_NAMED])
    if len(codes) > MAX_NAMED:
        shown += " " + _("and %(count)s more") % {"count": len(codes) - MAX_NAMED}
    return shown


def _own_rows(reason: str) -> tuple[dict[int, int], dict[int, int], set[int]]:
    """The import's history rows: per initiative its first and last row, and those it
    created."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    created: set[int] = set()
    rows = (
        Initiative.history.filter(history_change_reason=reason)
        .values_list("id", "history_id", "history_type")
        .order_by()
    )
    for pk, history_id, history_type in rows.iterator(chunk_size=BLOCK):
        if pk not in first or history_id < first[pk]:
            first[pk] = history_id
        if history_id > last.get(pk, 0):
            last[pk] = history_id
        if history_type == "+":
            created.add(pk)
    return first, last, created


def _changed_later(ids: list[int], last: dict[int, int]) -> set[int]:
    """The initiatives with a history row after the import's last one (or gone)."""
    later: set[int] = set()
    for block in _blocks(ids):
        newest = (
            Initiative.history.filter(among(Initiative.history.model, "id", block))
            .values_list("id", "history_id")
            .order_by("id", "-history_id")
        )
        seen: set[int] = set()
        for pk, history_id in newest:
            if pk in seen:
                continue
            seen.add(pk)
            if history_id > last[pk]:
                later.add(pk)
    return later


def _previous_versions(ids: list[int], first: dict[int, int]) -> dict[int, object]:
    """For each initiative, its history row just before the import's first change."""
    found: dict[int, object] = {}
    for block in _blocks(ids):
        rows = Initiative.history.filter(
            among(Initiative.history.model, "id", block),
            history_id__lt=max(first[pk] for pk in block),
        ).order_by("id", "-history_id")
        for record in rows.iterator(chunk_size=BLOCK):
            if record.id not in found and record.history_id < first[record.id]:
                found[record.id] = record
    return found


def _initiatives(ids: list[int]) -> dict[int, Initiative]:
    """The initiatives ``ids`` by id, each with its unit, read once for all the initiatives
    that share it: ``select_related`` built a unit and an organisation for every row, two
    thirds of the time it took to read them."""
    initiatives: dict[int, Initiative] = {}
    for block in _blocks(ids):
        initiatives.update(
            (initiative.pk, initiative)
            for initiative in Initiative.objects.filter(among(Initiative, "pk", block))
        )
    _share(initiatives.values(), "area", Area.objects.all())
    return initiatives


def _share(initiatives, name: str, queryset) -> None:
    """Give each of ``initiatives`` its record ``name`` (a foreign key), reading each record
    once however many initiatives point to it."""
    field = Initiative._meta.get_field(name)
    wanted = sorted({getattr(i, field.attname) for i in initiatives} - {None})
    found = {}
    for block in _blocks(wanted):
        found.update(
            (record.pk, record) for record in queryset.filter(among(queryset.model, "pk", block))
        )
    for initiative in initiatives:
        record = found.get(getattr(initiative, field.attname))
        if record is not None:
            field.set_cached_value(initiative, record)


def _created_by(model, reason: str):
    """The records a write with ``reason`` created, as a subquery."""
    return model.history.filter(history_change_reason=reason, history_type="+").values("id")


def rollback_initiatives(
    actor, reason: str, *, cause: str, progress: Callable[[int], None] | None = None
) -> int:
    """Undo the import whose history rows carry ``reason``; the new history rows carry
    ``cause``. Return the number of initiatives removed or restored."""
    # An archive's recognition: the awards and evaluations it wrote.
    recognition = archive_undo_plan(reason=reason)
    first, last, created = _own_rows(reason)
    ids = sorted(last)
    initiatives = _initiatives(sorted(set(ids) | recognition.initiative_ids))
    for initiative in initiatives.values():
        require_on_initiative(actor, "history.restore", initiative)
    blocked = _changed_later(ids, last) | (set(ids) - set(initiatives))
    blocked |= recognition.changed_since
    # What the import itself attached to the models it added goes with them: its archive
    # steps, its awards and evaluations, the links between its own models.
    blocked |= initiatives_in_use(
        sorted(created & set(initiatives)),
        besides={
            StatusChange: archive_steps(reason=reason),
            Award: Q(pk__in=_created_by(Award, reason)),
            Evaluation: Q(pk__in=_created_by(Evaluation, reason)),
            Initiative: Q(pk__in=_created_by(Initiative, reason)),
        },
    )
    changed = [pk for pk in ids if pk not in created]
    previous = _previous_versions(changed, first)
    blocked |= set(changed) - set(previous)  # no version before the import's: nothing to restore
    if blocked:
        reject(
            "status",
            _(
                "These initiatives changed after the import, so it cannot be rolled back "
                "without losing that work: %(codes)s."
            )
            % {
                "codes": _name_all(
                    [initiatives[pk].code if pk in initiatives else f"#{pk}" for pk in blocked]
                )
            },
        )
    restores = []
    moved_to: dict[int, Area] = {}
    wanted = {previous[pk].area_id for pk in changed}
    wanted -= {initiatives[pk].area_id for pk in changed}
    for block in _blocks(sorted(wanted)):
        moved_to.update((area.pk, area) for area in Area.objects.filter(among(Area, "pk", block)))
    moving = [initiatives[pk] for pk in changed if previous[pk].area_id != initiatives[pk].area_id]
    _share(moving, "organisation", Organisation.objects.select_related("seat_area"))
    for pk in changed:
        initiative, record = initiatives[pk], previous[pk]
        if record.area_id != initiative.area_id:
            area = moved_to.get(record.area_id)
            if area is None:
                reject("status", _("The unit of this version no longer exists."))
            require(actor, "history.restore", area=area, organisation_id=initiative.organisation_id)
            require_related("area", area=area, related=initiative.organisation.seat_area)
        restores.append((initiative, record))
    done = archive_undo(actor=actor, plan=recognition, reason=cause)
    # Only a model the import changed after adding it (an archive's state or link) may have
    # an archive step.
    stepped = sorted(pk for pk in created & set(initiatives) if first[pk] != last[pk])
    if stepped:
        initiatives_archive_forget(ids=stepped, reason=reason)
    for block in _blocks(restores):
        initiatives_bulk_restore(actor=actor, restores=block, fields=RESTORED_FIELDS, reason=cause)
        done += len(block)
        if progress is not None:
            progress(done)
    removed = [initiatives[pk] for pk in ids if pk in created]
    for block in _blocks(removed):
        initiatives_bulk_remove(actor=actor, initiatives=block, reason=cause)
        done += len(block)
        if progress is not None:
            progress(done)
    return done

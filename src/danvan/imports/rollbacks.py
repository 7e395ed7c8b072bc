"""Undo an applied import of organisations, villages or people, through their services.

What the import changed gets the version it had before the import back; what it added is
removed when nothing has come to depend on it. The rollback is refused, naming the records,
when any of them changed after the import (rolling back would erase someone's later work) or
when an added organisation or unit is now used (by people, initiatives, or units below it). A
person the import added is removed if they never signed in and nothing refers to them;
otherwise their account is deactivated, which keeps their trail. Roles the import gave are
taken away. Everything here runs inside ``batch_rollback``'s transaction: a refusal undoes the
rollback's own steps too.
"""

from collections.abc import Callable, Iterable

from django.db import router
from django.db.models import Model
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from danvan.accounts.models import RoleAssignment, User
from danvan.accounts.scope import require
from danvan.accounts.services import role_revoke, user_deactivate, user_update
from danvan.areas.models import Area
from danvan.areas.services import area_update
from danvan.core.history import attribute_to
from danvan.core.validation import reject
from danvan.orgs.models import Organisation
from danvan.orgs.services import organisation_update

ORGANISATION_FIELDS = ("name", "kind", "seat_area", "parent")
PERSON_FIELDS = ("first_name", "last_name", "email", "organisation", "language")
# What makes a later version of a person a change: a sign-in saves the account too (its time
# is not in the history), and such a save is no one's work to lose.
PERSON_TRACKED = (
    "username",
    "first_name",
    "last_name",
    "email",
    "organisation_id",
    "language",
    "is_active",
    "is_staff",
    "is_superuser",
)


class _Own:
    """The history rows an import wrote for one model: per record, its first and last row,
    and which records it created."""

    def __init__(self, model, reason: str):
        self.first: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self.created: set[int] = set()
        rows = model.history.filter(history_change_reason=reason).values_list(
            "id", "history_id", "history_type"
        )
        for pk, history_id, history_type in rows:
            self.first[pk] = min(history_id, self.first.get(pk, history_id))
            self.last[pk] = max(history_id, self.last.get(pk, 0))
            if history_type == "+":
                self.created.add(pk)


def _previous(record: Model, own: _Own):
    """The version of ``record`` just before the import's first change to it."""
    return (
        record.history.filter(history_id__lt=own.first[record.pk]).order_by("-history_id").first()
    )


def _changed_later(model, own: _Own) -> set[int]:
    """Return the records with a history row after the import's last one."""
    history = model.history.filter(id__in=list(own.last)).values_list("id", "history_id")
    return {pk for pk, history_id in history if history_id > own.last[pk]}


def _refuse_changed(pks: Iterable[int], records: dict, describe: Callable) -> None:
    names = sorted(describe(records[pk]) if pk in records else f"#{pk}" for pk in set(pks))
    if names:
        reject(
            "status",
            _(
                "These records changed after the import, so it cannot be rolled back without "
                "losing that work: %(records)s."
            )
            % {"records": ", ".join(names)},
        )


def in_use(record: Model) -> bool:
    """Return whether deleting ``record`` would delete, empty or be stopped by anything else."""
    collector = Collector(using=router.db_for_write(type(record)), origin=record)
    try:
        collector.collect([record])
    except (ProtectedError, RestrictedError):
        return True
    for model, instances in collector.data.items():
        if any(instance.pk != record.pk or model is not type(record) for instance in instances):
            return True
    if any(queryset.exists() for queryset in collector.fast_deletes):
        return True
    for batches in collector.field_updates.values():
        for batch in batches:
            if batch.exists() if hasattr(batch, "exists") else batch:
                return True
    return False


def _remove(actor, records: list[Model], describe: Callable) -> None:
    """Delete the added ``records``, the ones below first; refuse when any is now used."""
    pending = records
    while pending:
        left = [record for record in pending if in_use(record)]
        for record in pending:
            if record not in left:
                attribute_to(record, actor)
                record.delete()
        if len(left) == len(pending):
            reject(
                "status",
                _(
                    "These records are used by others since the import (people, initiatives, "
                    "units or organisations below them), so it cannot be rolled back: "
                    "%(records)s."
                )
                % {"records": ", ".join(sorted(describe(record) for record in left))},
            )
        pending = left


def rollback_organisations(actor, reason: str) -> None:
    own = _Own(Organisation, reason)
    records = {
        organisation.pk: organisation
        for organisation in Organisation.objects.select_related("seat_area", "parent").filter(
            pk__in=list(own.last)
        )
    }
    for organisation in records.values():
        require(actor, "history.restore", area=organisation.seat_area)
    _refuse_changed(_changed_later(Organisation, own), records, lambda org: org.code)
    for pk, organisation in records.items():
        if pk not in own.created:
            previous = _previous(organisation, own)
            organisation_update(
                actor=actor,
                organisation=organisation,
                **{name: getattr(previous, name) for name in ORGANISATION_FIELDS},
            )
    added = [records[pk] for pk in own.created if pk in records]
    _remove(actor, added, lambda org: org.code)


def rollback_villages(actor, reason: str) -> None:
    own = _Own(Area, reason)
    records = {
        area.pk: area
        for area in Area.objects.select_related("parent").filter(pk__in=list(own.last))
    }
    for area in records.values():
        require(actor, "history.restore", area=area)
    _refuse_changed(_changed_later(Area, own), records, lambda area: area.code)
    for pk, area in records.items():
        if pk not in own.created:
            previous = _previous(area, own)
            # The service changes only the coordinates it is given; those the import added
            # to a unit without any are cleared here, in the same save.
            area.latitude, area.longitude = previous.latitude, previous.longitude
            area_update(
                actor=actor,
                area=area,
                name=previous.name,
                parent=previous.parent,
                latitude=previous.latitude,
                longitude=previous.longitude,
            )
    added = [records[pk] for pk in own.created if pk in records]
    _remove(actor, added, lambda area: area.code)


def _people_changed_later(own: _Own) -> set[int]:
    """Return the people changed after the import: a later version that differs from the
    import's own last version (not a sign-in) or a deletion."""
    last_own = {row.id: row for row in User.history.filter(history_id__in=list(own.last.values()))}
    changed = set()
    later = User.history.filter(id__in=list(own.last)).order_by("history_id")
    for row in later:
        if row.history_id <= own.last[row.id]:
            continue
        mine = last_own[row.id]
        if row.history_type == "-" or any(
            getattr(row, name) != getattr(mine, name) for name in PERSON_TRACKED
        ):
            changed.add(row.id)
    return changed


def rollback_users(actor, reason: str) -> None:
    own = _Own(User, reason)
    granted = _Own(RoleAssignment, reason).created
    assignments = list(
        RoleAssignment.objects.select_related("user", "area", "organisation").filter(
            pk__in=list(granted)
        )
    )
    people = {
        user.pk: user
        for user in User.objects.select_related("organisation__seat_area").filter(
            pk__in={*own.last, *(assignment.user_id for assignment in assignments)}
        )
    }
    for user in people.values():
        organisation = user.organisation
        require(
            actor,
            "history.restore",
            area=organisation.seat_area if organisation is not None else None,
            organisation_id=organisation.pk if organisation is not None else None,
        )
    _refuse_changed(_people_changed_later(own), people, lambda user: user.username)
    for assignment in assignments:  # a role taken away since needs nothing more
        role_revoke(actor=actor, assignment=assignment)
    for pk in own.last:
        user = people.get(pk)
        if user is None or pk in own.created:
            continue
        previous = _previous(user, own)
        user_update(
            actor=actor, user=user, **{name: getattr(previous, name) for name in PERSON_FIELDS}
        )
    for pk in sorted(own.created):
        user = people.get(pk)
        if user is None:
            continue
        if user.last_login is None and not in_use(user):
            attribute_to(user, actor)
            user.delete()
        elif user.is_active:
            user_deactivate(actor=actor, user=user)

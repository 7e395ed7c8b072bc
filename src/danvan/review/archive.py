"""A commission's archive of recognition: many awards and evaluations of past years at once.

An archive gives each award as the step a province published (recognised at a level,
recognised and nominated to the next, commended) with its decision, and each evaluation as the
grade a commission gave, without the scores. Both writes are set-based, for ten years of a
province at once: every step is checked first, in memory, with the rules of the reviewer's
services (the permission to honour the model, a model that can be honoured, who receives the
award, the decision it rests on, the path from proposal to commendation); when any is refused
nothing is written. Then the awards and evaluations and one history row each are written with a
few multi-row statements, each history row carrying the import's reason.

A step already taken (the same model, level, title and recipient, at that stage or beyond) is
left as it is, so the same archive brought in again changes nothing. The models' officers are
told of recognised awards unless the caller asks for quiet, as an archive import does: these
steps happened years ago.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Value
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import person_of, require_on_initiative
from danvan.core import upkeep
from danvan.core.limits import check_record_date
from danvan.core.text import fold
from danvan.core.validation import reject
from danvan.initiatives.bulk_sql import insert, insert_history
from danvan.initiatives.models import Initiative
from danvan.review.models import (
    LEVEL_ORDER,
    Award,
    AwardForm,
    AwardStage,
    AwardTitle,
    Evaluation,
)
from danvan.review.services import (
    _apply_decision,
    _recipient,
    _require_reviewable,
    nomination_of,
    notify_recognised,
)

STEP_ERRORS = (ValidationError, PermissionDenied)
IDS_PER_QUERY = 500  # under every database's limit of parameters
# How far along an award is: a step at or below what is stored changes nothing.
RANK = {
    AwardStage.PROPOSED: 0,
    AwardStage.RECOGNISED: 1,
    AwardStage.NOMINATED: 2,
    AwardStage.COMMENDED: 2,
}
# Checked by the services' own rules before (``_recipient``, ``_apply_decision``); the foreign
# keys are the records just read, and the recipient's constraint is what ``_recipient`` checks.
_NOT_CLEANED = ["initiative", "title", "form", "created_by", "recipient_user", "nominated_to"]


@dataclass
class AwardStep:
    """One published step of a model's recognition."""

    initiative: Initiative
    level: str
    stage: str  # recognised, nominated or commended
    title: AwardTitle
    form: AwardForm | None
    decision_number: str
    decision_date: datetime.date | None
    issuing_body: str
    recipient_kind: str
    recipient_name: str = ""
    recipient_role: str = ""


def award_key(initiative_id: int, level: str, title_id: int, kind: str, name: str) -> tuple:
    """What makes two awards the same: the model, level, title and recipient (the name
    compared ignoring case and diacritics)."""
    return (initiative_id, str(level), title_id, str(kind), fold(name or ""))


def _key_of(award: Award) -> tuple:
    return award_key(
        award.initiative_id, award.level, award.title_id, award.recipient_kind, award.recipient_name
    )


def step_done(step_stage: str, stored: str) -> bool:
    """Whether an award at ``stored`` already is where the step ``step_stage`` takes it."""
    if step_stage == AwardStage.COMMENDED:
        return stored == AwardStage.COMMENDED
    return RANK[stored] >= RANK[step_stage]


def stored_awards(initiative_ids) -> dict[tuple, Award]:
    """The awards of these models by ``award_key``, the first registered of each; a few
    queries for any number of models."""
    found: dict[tuple, Award] = {}
    ids = sorted(set(initiative_ids))
    for start in range(0, len(ids), IDS_PER_QUERY):
        block = ids[start : start + IDS_PER_QUERY]
        for award in Award.objects.filter(initiative_id__in=block).order_by("pk"):
            found.setdefault(_key_of(award), award)  # the first registered wins
    return found


@dataclass
class AwardsPlan:
    """What the steps do, worked out in memory: awards to create and awards to change (with
    the initiative of each whose recognition is new, to tell its officers), or the errors by
    step position."""

    created: list[Award] = field(default_factory=list)
    changed: list[Award] = field(default_factory=list)
    recognised: list[Award] = field(default_factory=list)
    targets: dict[int, Award] = field(default_factory=dict)  # id(award) → its nomination
    errors: dict[int, Exception] = field(default_factory=dict)


class _Planner:
    def __init__(self, actor, stored: dict[tuple, Award]):
        self.actor = actor
        self.person = person_of(actor)
        self.awards = dict(stored)
        self.plan = AwardsPlan()
        self._created: set[int] = set()
        self._changed: set[int] = set()
        self._allowed: dict[int, Exception | None] = {}

    def _require(self, initiative: Initiative) -> None:
        """The permission to honour the model and a state that can be honoured, asked once
        per model."""
        if initiative.pk not in self._allowed:
            try:
                require_on_initiative(self.actor, "initiative.award", initiative)
                _require_reviewable(initiative)
                self._allowed[initiative.pk] = None
            except STEP_ERRORS as error:
                self._allowed[initiative.pk] = error
        error = self._allowed[initiative.pk]
        if error is not None:
            raise error

    def _touch(self, award: Award) -> None:
        if award.pk is None:
            if id(award) not in self._created:
                self._created.add(id(award))
                self.plan.created.append(award)
        elif id(award) not in self._changed:
            self._changed.add(id(award))
            self.plan.changed.append(award)

    def _propose(self, step: AwardStep, level: str, recipient: dict) -> Award:
        award = Award(
            initiative=step.initiative,
            title=step.title,
            form=step.form,
            level=level,
            stage=AwardStage.PROPOSED,
            created_by=self.person,
            **recipient,
        )
        award.clean_fields(exclude=_NOT_CLEANED)
        return award

    def _nominate(self, award: Award) -> Award:
        """``award_nominate``'s rules: a recognised award goes up to the next level."""
        return nomination_of(award, person=self.person)

    def step(self, step: AwardStep) -> None:
        """Work out one step on copies; only a step that passes every check is kept."""
        self._require(step.initiative)
        if step.level not in LEVEL_ORDER:
            reject("level", _("Choose a recognition level."))
        recipient = _recipient(
            kind=step.recipient_kind,
            name=step.recipient_name,
            role=step.recipient_role,
            detail="",
            user=None,
            area=step.initiative.area,
        )
        key = award_key(
            step.initiative.pk,
            step.level,
            step.title.pk,
            recipient["recipient_kind"],
            recipient["recipient_name"],
        )
        stored = self.awards.get(key)
        if stored is not None and step_done(step.stage, stored.stage):
            return
        # Each change is tried on a copy, so a refused step leaves the plan as it was.
        touched: list[tuple[Award, Award]] = []  # (the award, its copy)
        award, lower, nomination = None, None, None
        if stored is not None:
            award = _copy(stored)
            touched.append((stored, award))
        else:
            index = LEVEL_ORDER.index(step.level)
            below = (
                self.awards.get((key[0], str(LEVEL_ORDER[index - 1]), *key[2:])) if index else None
            )
            if below is not None and below.stage == AwardStage.RECOGNISED:
                lower = _copy(below)
                touched.append((below, lower))
                award = self._nominate(lower)
                lower.stage = AwardStage.NOMINATED
            else:
                award = self._propose(step, step.level, recipient)
        was = award.stage
        if step.stage == AwardStage.COMMENDED:
            if award.stage not in {AwardStage.RECOGNISED, AwardStage.PROPOSED}:
                reject("stage", _("This award has already been nominated or commended."))
            self._decide(award, step)
            award.stage = AwardStage.COMMENDED
        else:
            if award.stage == AwardStage.PROPOSED:
                self._decide(award, step)
                award.stage = AwardStage.RECOGNISED
                if step.form is not None:
                    award.form = step.form
            if step.stage == AwardStage.NOMINATED and award.stage == AwardStage.RECOGNISED:
                nomination = self._nominate(award)
                award.stage = AwardStage.NOMINATED
        award.clean_fields(exclude=_NOT_CLEANED)
        # Every check passed: keep the step's changes.
        for original, copy in touched:
            _copy_into(copy, original)
            if copy is award:
                award = original
            if copy is lower:
                lower = original
        if lower is not None:
            self.plan.targets[id(lower)] = award
            self._touch(lower)
        self._touch(award)
        self.awards[key] = award
        if was == AwardStage.PROPOSED and award.stage != AwardStage.PROPOSED:
            self.plan.recognised.append(award)
        if nomination is not None:
            self.plan.targets[id(award)] = nomination
            self._touch(nomination)
            self.awards[(key[0], str(nomination.level), *key[2:])] = nomination

    def _decide(self, award: Award, step: AwardStep) -> None:
        _apply_decision(award, step.decision_number, step.decision_date, step.issuing_body)


def _copy(award: Award) -> Award:
    copy = Award(**{f.attname: getattr(award, f.attname) for f in Award._meta.concrete_fields})
    copy._state.adding = award._state.adding
    for name in ("initiative", "title", "form"):
        if Award._meta.get_field(name).is_cached(award):
            setattr(copy, name, getattr(award, name))
    return copy


def _copy_into(source: Award, target: Award) -> None:
    for f in Award._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))
    for name in ("initiative", "title", "form"):
        if Award._meta.get_field(name).is_cached(source):
            setattr(target, name, getattr(source, name))


def awards_archive_check(*, actor, steps: list[AwardStep]) -> AwardsPlan:
    """Check every step with the services' rules, lowest level first (so a higher level's
    step finds the award it is nominated from), writing nothing; the plan says what the
    write would do, or holds the errors by step position."""
    planner = _Planner(actor, stored_awards(step.initiative.pk for step in steps))
    rank = {str(level): index for index, level in enumerate(LEVEL_ORDER)}
    order = sorted(range(len(steps)), key=lambda i: rank.get(str(steps[i].level), -1))
    for position in order:
        try:
            planner.step(steps[position])
        except STEP_ERRORS as error:
            planner.plan.errors[position] = error
    return planner.plan


@transaction.atomic
def awards_archive(
    *, actor, steps: list[AwardStep], reason: str, quiet: bool = False
) -> dict[int, Exception]:
    """Record the steps, as many calls of ``award_propose``, ``award_recognise``,
    ``award_nominate`` and ``award_commend`` would, with one history row per award carrying
    ``reason``; nothing is written when any step is refused, and the errors are returned by
    position. ``quiet``: the models' officers are not told (an archive)."""
    plan = awards_archive_check(actor=actor, steps=steps)
    if plan.errors:
        return plan.errors
    user = person_of(actor)
    before = upkeep.recognition_capture(
        {award.initiative_id for award in (*plan.created, *plan.changed)}
    )
    # A nomination points at the award of the level above: those are written first.
    by_level = sorted(plan.created, key=lambda award: LEVEL_ORDER.index(award.level), reverse=True)
    level_groups: dict[str, list[Award]] = {}
    for award in by_level:
        level_groups.setdefault(str(award.level), []).append(award)
    for group in level_groups.values():
        for award in group:
            target = plan.targets.get(id(award))
            if target is not None:
                award.nominated_to_id = target.pk
        insert(group)
    if plan.created:
        insert_history(by_level, history_type="+", user=user, reason=reason)
    if plan.changed:
        for award in plan.changed:
            target = plan.targets.get(id(award))
            if target is not None:
                award.nominated_to_id = target.pk
        Award.objects.bulk_update(
            plan.changed,
            [
                "stage",
                "form",
                "decision_number",
                "decision_date",
                "issuing_body",
                "nominated_to",
            ],
            batch_size=IDS_PER_QUERY,
        )
        insert_history(plan.changed, history_type="~", user=user, reason=reason)
    upkeep.recognition_settle(before)
    if not quiet:
        for award in plan.recognised:
            notify_recognised(award=award, actor=actor)
    return {}


# --- evaluations -------------------------------------------------------------------------------


@dataclass
class ArchivedGrade:
    """The grade a commission gave a model, as its archive keeps it."""

    initiative: Initiative
    level: str
    evaluated_on: datetime.date | None
    grade: str
    total: Decimal | None = None


def _evaluated_at(day: datetime.date) -> datetime.datetime:
    """The moment an archived grade stands at: noon of its day, in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def grade_key(initiative_id: int, level: str, day: datetime.date, grade: str) -> tuple:
    """What makes two archived grades the same: the model, level, day and grade."""
    return (initiative_id, str(level), day, fold(grade))


def stored_grades(initiative_ids) -> set[tuple]:
    """The archived grades these models already have, by ``grade_key``."""
    found: set[tuple] = set()
    ids = sorted(set(initiative_ids))
    zone = timezone.get_current_timezone()
    for start in range(0, len(ids), IDS_PER_QUERY):
        rows = Evaluation.objects.filter(
            initiative_id__in=ids[start : start + IDS_PER_QUERY], archived=True
        ).values_list("initiative_id", "level", "created_at", "grade")
        for initiative_id, level, created_at, grade in rows:
            day = timezone.localtime(created_at, zone).date()
            found.add(grade_key(initiative_id, level, day, grade))
    return found


def _build_grade(actor, item: ArchivedGrade, allowed: dict) -> Evaluation:
    """``evaluation_create``'s rules for what an archive gives: the permission to evaluate
    the model, a state that can be evaluated, the commission's level; then the day, the
    grade and the total (out of 100) it gave."""
    initiative = item.initiative
    if initiative.pk not in allowed:
        try:
            require_on_initiative(actor, "initiative.evaluate", initiative)
            _require_reviewable(initiative)
            allowed[initiative.pk] = None
        except STEP_ERRORS as error:
            allowed[initiative.pk] = error
    if allowed[initiative.pk] is not None:
        raise allowed[initiative.pk]
    if item.level not in LEVEL_ORDER:
        reject("level", _("Choose a recognition level."))
    if item.evaluated_on is None:
        reject("created_at", _("This field is required."), code="required")
    check_record_date(item.evaluated_on, "created_at")
    grade = " ".join((item.grade or "").split())
    if not grade:
        reject("grade", _("This field is required."), code="required")
    if item.total is not None and not Decimal(0) <= item.total <= Decimal(100):
        reject("total", _("The total must be between 0 and 100."))
    evaluation = Evaluation(
        initiative=initiative,
        level=item.level,
        criteria_set=None,
        reviewer=None,
        total=item.total,
        grade=grade,
        archived=True,
    )
    evaluation.clean_fields(exclude=["initiative", "criteria_set", "reviewer", "created_at"])
    evaluation.created_at = _evaluated_at(item.evaluated_on)
    return evaluation


def evaluations_archive_check(
    *, actor, grades: list[ArchivedGrade]
) -> tuple[list[Evaluation], dict[int, Exception]]:
    """Build every archived grade not already there, writing nothing; return the new
    evaluations and the errors by position."""
    stored = stored_grades(item.initiative.pk for item in grades)
    built, errors, allowed = [], {}, {}
    for position, item in enumerate(grades):
        try:
            evaluation = _build_grade(actor, item, allowed)
        except STEP_ERRORS as error:
            errors[position] = error
            continue
        key = grade_key(item.initiative.pk, item.level, item.evaluated_on, evaluation.grade)
        if key not in stored:
            stored.add(key)
            built.append(evaluation)
    return built, errors


@transaction.atomic
def evaluations_archive(*, actor, grades: list[ArchivedGrade], reason: str) -> dict:
    """Record the grades a commission gave, as evaluations from the archive (no scores), with
    one history row each carrying ``reason``; nothing is written when any is refused, and the
    errors are returned by position. Nobody is told: these grades were given years ago."""
    built, errors = evaluations_archive_check(actor=actor, grades=grades)
    if errors or not built:
        return errors
    stamps = [evaluation.created_at for evaluation in built]
    before = upkeep.recognition_capture({evaluation.initiative_id for evaluation in built})
    insert(built)  # stamps ``created_at`` with now, as a save would
    for evaluation, stamp in zip(built, stamps, strict=True):
        evaluation.created_at = stamp
    by_stamp: dict[datetime.datetime, list[int]] = {}
    for evaluation in built:
        by_stamp.setdefault(evaluation.created_at, []).append(evaluation.pk)
    for stamp, ids in by_stamp.items():
        for start in range(0, len(ids), IDS_PER_QUERY):
            Evaluation.objects.filter(pk__in=ids[start : start + IDS_PER_QUERY]).update(
                created_at=stamp
            )
    # Read once the grades stand at their own days: the latest of a level is by that day.
    upkeep.recognition_settle(before)
    insert_history(built, history_type="+", user=person_of(actor), reason=reason)
    return {}


# --- undoing an archive import -----------------------------------------------------------------


class _OwnRows:
    """The history rows a write left for one kind of record: per record its first and last
    row and its model, and the records it created."""

    def __init__(self, model):
        self.model = model
        self.first: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self.initiative: dict[int, int] = {}
        self.created: set[int] = set()

    def add(self, pk: int, history_id: int, history_type: str, initiative_id: int) -> None:
        self.first[pk] = min(history_id, self.first.get(pk, history_id))
        self.last[pk] = max(history_id, self.last.get(pk, 0))
        self.initiative[pk] = initiative_id
        if history_type == "+":
            self.created.add(pk)

    def later(self) -> set[int]:
        """The records with a history row after the write's last one, or gone since."""
        ids = sorted(self.last)
        later: set[int] = set()
        present: set[int] = set()
        for start in range(0, len(ids), IDS_PER_QUERY):
            block = ids[start : start + IDS_PER_QUERY]
            present.update(
                self.model._base_manager.filter(pk__in=block).values_list("pk", flat=True)
            )
            newest = (
                self.model.history.filter(id__in=block).values_list("id", "history_id").order_by()
            )
            for pk, history_id in newest:
                if history_id > self.last[pk]:
                    later.add(pk)
        return later | (set(ids) - present)


def _own_rows(reason: str) -> tuple[_OwnRows, _OwnRows]:
    """The awards' and the evaluations' history rows of the write with ``reason``, read in one
    statement (most imports have none)."""
    awards, evaluations = _OwnRows(Award), _OwnRows(Evaluation)
    fields = ("kind", "id", "history_id", "history_type", "initiative_id")
    rows = (
        Award.history.filter(history_change_reason=reason)
        .annotate(kind=Value("a"))
        .values_list(*fields)
        .order_by()
        .union(
            Evaluation.history.filter(history_change_reason=reason)
            .annotate(kind=Value("e"))
            .values_list(*fields)
            .order_by(),
            all=True,
        )
    )
    for kind, *row in rows:
        (awards if kind == "a" else evaluations).add(*row)
    return awards, evaluations


@dataclass
class ArchiveUndo:
    """What undoing an archive import's recognition does: the awards and evaluations it
    created (removed), the awards it moved along (given back their earlier version), and the
    models whose recognition changed since (which refuse the undo)."""

    initiative_ids: set[int] = field(default_factory=set)
    removed_awards: list[Award] = field(default_factory=list)
    restored_awards: list[tuple[Award, object]] = field(default_factory=list)
    removed_evaluations: list[Evaluation] = field(default_factory=list)
    changed_since: set[int] = field(default_factory=set)  # the models' ids


def archive_undo_plan(*, reason: str) -> ArchiveUndo:
    """Read what the write with ``reason`` did to awards and evaluations, and what changed
    since: an award or evaluation it wrote that changed or went since, a later award nominated
    from one it created, scores added to one of its evaluations."""
    plan = ArchiveUndo()
    awards, evaluations = _own_rows(reason)
    plan.initiative_ids = set(awards.initiative.values()) | set(evaluations.initiative.values())
    for own in (awards, evaluations):
        plan.changed_since |= {own.initiative[pk] for pk in own.later()}
    own_awards = set(awards.last)
    created = sorted(awards.created)
    for start in range(0, len(created), IDS_PER_QUERY):
        block = created[start : start + IDS_PER_QUERY]
        plan.changed_since.update(
            Award.objects.filter(nominated_to_id__in=block)
            .exclude(pk__in=own_awards)
            .values_list("initiative_id", flat=True)
        )
    scored = sorted(evaluations.created)
    for start in range(0, len(scored), IDS_PER_QUERY):
        block = scored[start : start + IDS_PER_QUERY]
        plan.changed_since.update(
            Evaluation.objects.filter(pk__in=block, scores__isnull=False).values_list(
                "initiative_id", flat=True
            )
        )
    if plan.changed_since:
        return plan
    plan.removed_awards = _read(Award, sorted(awards.created))
    plan.removed_evaluations = _read(Evaluation, sorted(evaluations.created))
    moved = sorted(set(awards.last) - awards.created)
    current = {award.pk: award for award in _read(Award, moved)}
    for start in range(0, len(moved), IDS_PER_QUERY):
        block = moved[start : start + IDS_PER_QUERY]
        earlier = Award.history.filter(
            id__in=block, history_id__lt=max(awards.first[pk] for pk in block)
        ).order_by("id", "-history_id")
        seen: set[int] = set()
        for record in earlier:
            if record.id not in seen and record.history_id < awards.first[record.id]:
                seen.add(record.id)
                plan.restored_awards.append((current[record.id], record))
    return plan


def _read(model, ids: list[int]) -> list:
    found = []
    for start in range(0, len(ids), IDS_PER_QUERY):
        found += list(model.objects.filter(pk__in=ids[start : start + IDS_PER_QUERY]))
    return found


# What an award's step changes, and so what giving it back its earlier version restores.
AWARD_STEP_FIELDS = (
    "stage",
    "form_id",
    "decision_number",
    "decision_date",
    "issuing_body",
    "nominated_to_id",
)


@transaction.atomic
def archive_undo(*, actor, plan: ArchiveUndo, reason: str) -> int:
    """Undo what ``archive_undo_plan`` read, with ``reason`` on the history rows: the awards
    moved along get their earlier version back, the awards and evaluations created are
    removed. The caller checks the permissions and that nothing changed since. Return how many
    records were undone."""
    user = person_of(actor)
    before = upkeep.recognition_capture(
        {award.initiative_id for award, _record in plan.restored_awards}
        | {record.initiative_id for record in (*plan.removed_awards, *plan.removed_evaluations)}
    )
    restored = []
    for award, record in plan.restored_awards:
        for name in AWARD_STEP_FIELDS:
            setattr(award, name, getattr(record, name))
        restored.append(award)
    if restored:
        Award.objects.bulk_update(
            restored,
            [name.removesuffix("_id") for name in AWARD_STEP_FIELDS],
            batch_size=IDS_PER_QUERY,
        )
        insert_history(restored, history_type="~", user=user, reason=reason)
    for model, records in ((Award, plan.removed_awards), (Evaluation, plan.removed_evaluations)):
        if not records:
            continue
        insert_history(records, history_type="-", user=user, reason=reason)
        ids = [record.pk for record in records]
        for start in range(0, len(ids), IDS_PER_QUERY):
            # No per-row signals: the history rows are written above, in one statement.
            model.objects.filter(pk__in=ids[start : start + IDS_PER_QUERY])._raw_delete(
                model.objects.db
            )
    upkeep.recognition_settle(before)
    return len(restored) + len(plan.removed_awards) + len(plan.removed_evaluations)

"""Every write to users, their roles and tokens; administrators act only inside their scope."""

import hashlib
import secrets
from functools import partial

from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from danvan.accounts import notices
from danvan.accounts.addresses import email_change_record, same_address
from danvan.accounts.authority import (
    can_manage_scope,
    organisation_lies_in,
    user_require_manageable,
)
from danvan.accounts.models import ApiToken, Role, RoleAssignment, User, UserSession
from danvan.accounts.scope import forget_grants, is_superadmin, require
from danvan.areas.models import Area
from danvan.areas.validity import area_require_in_force
from danvan.core.history import attribute_to
from danvan.core.security_log import security_event
from danvan.core.validation import clean_and_save, reject
from danvan.orgs.models import Organisation


def _log_on_commit(event: str, **fields) -> None:
    """Log a security event once the change is in the database (a rolled-back change did
    not happen)."""
    transaction.on_commit(partial(security_event, event, **fields))


def _who(actor) -> dict:
    """The acting person's fields of a security event (the system acts without a name)."""
    if getattr(actor, "is_system", False) or not getattr(actor, "pk", None):
        return {"actor": "system"}
    return {"actor_id": actor.pk, "actor": actor.get_username()}


def _require_user_manage(actor, *, area: Area | None, organisation: Organisation | None) -> None:
    seat = area or (organisation.seat_area if organisation else None)
    require(
        actor, "user.manage", area=seat, organisation_id=organisation.pk if organisation else None
    )


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    organisation: Organisation | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "vi",
) -> User:
    """Create a login for a person of ``organisation`` (inside the administrator's scope)."""
    if organisation is None and not is_superadmin(actor):
        reject("organisation", _("Choose the organisation this person works for."))
    if organisation is not None:
        _require_user_manage(actor, area=None, organisation=organisation)
    user = User(
        username=(username or "").strip(),
        email=(email or "").strip(),
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        organisation=organisation,
        language=language,
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    clean_and_save(user)
    _log_on_commit("user.created", **_who(actor), user_id=user.pk, username=user.username)
    return user


@transaction.atomic
def role_assign(
    *,
    actor,
    user: User,
    role: str,
    area: Area | None = None,
    organisation: Organisation | None = None,
    nationwide: bool = False,
) -> RoleAssignment:
    """Give ``user`` a role over an area subtree and/or an organisation, or nationwide.

    An administrator can grant roles only inside their own scope; only a super administrator
    can grant a nationwide role or make another super administrator.
    """
    if role not in Role.values:
        reject("role", _("Unknown role."))
    if role == Role.SUPERADMIN or nationwide:
        if not is_superadmin(actor):
            raise PermissionDenied(_("Only a super administrator can grant this role."))
        if nationwide and (area is not None or organisation is not None):
            reject("nationwide", _("A nationwide role has no area or organisation."))
    else:
        if area is None and organisation is None:
            reject("area", _("Choose an area or an organisation for this role."))
        # The role's area and its organisation (wherever that is seated) must both lie in the
        # administrator's scope: an area in scope does not make any organisation named with it so.
        if not can_manage_scope(actor, area=area, organisation=organisation):
            raise PermissionDenied(
                _(
                    "You do not have permission to grant a role here: its area or organisation "
                    "lies outside the places you administer."
                )
            )
        if (
            area is not None
            and organisation is not None
            and not organisation_lies_in(organisation, area)
        ):
            reject("organisation", _("This organisation is not seated in that area."))
        if area is not None:
            # A new grant is on today's units; grants made before a reorganisation keep
            # working, since a unit's scope takes in the units it succeeds.
            area_require_in_force(area=area, last_day=timezone.localdate(), field="area")
    # The person must be one the administrator manages, not only the place.
    user_require_manageable(actor, user)
    if RoleAssignment.objects.filter(
        user=user, role=role, area=area, organisation=organisation, nationwide=nationwide
    ).exists():
        reject("role", _("This person already holds this role here."))
    assignment = RoleAssignment(
        user=user, role=role, area=area, organisation=organisation, nationwide=nationwide
    )
    clean_and_save(assignment)
    forget_grants(user)
    _log_on_commit(
        "role.granted",
        **_who(actor),
        user_id=user.pk,
        username=user.get_username(),
        role=role,
        area_id=getattr(area, "pk", None),
        organisation_id=getattr(organisation, "pk", None),
        nationwide=nationwide or None,
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    """Take a role away."""
    if assignment.role == Role.SUPERADMIN:
        if not is_superadmin(actor):
            raise PermissionDenied(_("Only a super administrator can remove another."))
    else:
        _require_user_manage(actor, area=assignment.area, organisation=assignment.organisation)
    user = assignment.user
    _log_on_commit(
        "role.revoked",
        **_who(actor),
        user_id=user.pk,
        username=user.get_username(),
        role=assignment.role,
        area_id=assignment.area_id,
        organisation_id=assignment.organisation_id,
        nationwide=assignment.nationwide or None,
    )
    assignment.delete()
    forget_grants(user)


@transaction.atomic
def user_deactivate(*, actor, user: User) -> User:
    """Block a login without deleting the person's trail.

    Their API tokens are revoked and their sessions ended for good: reactivating the account
    later gives none of them back (they sign in again and make new tokens).
    """
    user_require_manageable(actor, user)
    if user.pk == getattr(actor, "pk", None):
        reject("user", _("You cannot deactivate your own account."))
    user.is_active = False
    attribute_to(user, actor)
    user.save(update_fields=["is_active"])
    now = timezone.now()
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    sessions = UserSession.objects.filter(user=user).values_list("session_id", flat=True)
    Session.objects.filter(session_key__in=list(sessions)).delete()
    _log_on_commit("user.deactivated", **_who(actor), user_id=user.pk, username=user.username)
    return user


_USER_UPDATABLE = {"first_name", "last_name", "email", "organisation", "language"}


@transaction.atomic
def user_update(*, actor, user: User, **changes) -> User:
    """Change a person's names, e-mail, language or organisation (moving them needs scope over
    both organisations).

    A new e-mail address is told to the old one, and receives no "forgotten password" link
    until the old one confirms or a day passes (``accounts.addresses``).
    """
    user_require_manageable(actor, user)
    unknown = set(changes) - _USER_UPDATABLE
    if unknown:
        reject(sorted(unknown)[0], _("This field cannot be changed here."))
    if "organisation" in changes and changes["organisation"] != user.organisation:
        if changes["organisation"] is None and not is_superadmin(actor):
            reject("organisation", _("Choose the organisation this person works for."))
        if changes["organisation"] is not None:
            _require_user_manage(actor, area=None, organisation=changes["organisation"])
    old_address = user.email
    for field, value in changes.items():
        setattr(user, field, value.strip() if isinstance(value, str) else value)
    if not same_address(old_address, user.email):
        email_change_record(user=user, old_address=old_address, actor=actor)
    attribute_to(user, actor)
    return clean_and_save(user)


@transaction.atomic
def user_activate(*, actor, user: User) -> User:
    """Let a deactivated person sign in again (with none of their old tokens or sessions)."""
    user_require_manageable(actor, user)
    user.is_active = True
    attribute_to(user, actor)
    user.save(update_fields=["is_active"])
    _log_on_commit("user.activated", **_who(actor), user_id=user.pk, username=user.username)
    return user


TOKEN_PREFIX = "dvk"
MAX_TOKENS = 20


def hash_token_key(key: str) -> str:
    """Return the stored form of a token key (the key has 256 bits of entropy: a plain
    SHA-256 is enough, and lets every request be checked quickly)."""
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor, name: str) -> tuple[ApiToken, str]:
    """Create a personal token for the acting user; return it with its key, shown only now."""
    if not getattr(actor, "pk", None) or getattr(actor, "is_system", False):
        raise PermissionDenied(_("Only a person can hold a token."))
    name = (name or "").strip()
    if not name:
        reject("name", _("Name the token, e.g. after the program that will use it."), "required")
    if ApiToken.objects.filter(user=actor, revoked_at__isnull=True).count() >= MAX_TOKENS:
        reject(
            "name",
            _("You already have %(count)s tokens; revoke one first.") % {"count": MAX_TOKENS},
        )
    prefix = secrets.token_hex(4)
    key = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(user=actor, name=name, prefix=prefix, key_hash=hash_token_key(key))
    clean_and_save(token)
    _log_on_commit(
        "api-token.created", user_id=actor.pk, username=actor.get_username(), token_id=token.pk
    )
    transaction.on_commit(partial(notices.send_token_created, token))
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke one of the acting user's tokens; it stops working at once."""
    if token.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("This token is not yours."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        _log_on_commit(
            "api-token.revoked", user_id=actor.pk, username=actor.get_username(), token_id=token.pk
        )
    return token


SESSION_SIGNED_IN_AT = "_danvan_signed_in_at"


def _session_is_live(session, user: User, now) -> bool:
    """Whether Django would still accept ``session`` for ``user``: not expired, and signed with
    the user's current password (a password change leaves the other sessions dead)."""
    if session.expire_date <= now:
        return False
    data = session.get_decoded()
    if str(data.get(SESSION_KEY)) != str(user.pk):
        return False
    stored = data.get(HASH_SESSION_KEY) or ""
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    return any(constant_time_compare(stored, known) for known in hashes)


@transaction.atomic
def user_session_record(
    *, user: User, session_key: str, address: str, user_agent: str, signed_in_at=None
) -> UserSession:
    """Record a signed-in session of ``user`` and drop their sessions that ended.

    Called at sign-in, when Django has just stored the session, and for a session in use that
    is not yet on the list (one opened before the list existed, or whose key a password change
    replaced).
    """
    now = timezone.now()
    user_sessions_prune(user=user, keep_session_key=session_key, now=now)
    values = {
        "user": user,
        "signed_in_at": signed_in_at or now,
        "last_seen_at": now,
        "address": (address or "")[:45],
        "user_agent": (user_agent or "")[:300],
    }
    if UserSession.objects.filter(session_id=session_key).update(**values):
        return UserSession.objects.get(session_id=session_key)
    return UserSession.objects.create(session_id=session_key, **values)


def user_session_seen(
    *, user: User, session_key: str, address: str, user_agent: str, signed_in_at=None
) -> None:
    """Note that ``user`` used the session just now; put it on the list if it is missing."""
    now = timezone.now()
    if UserSession.objects.filter(session_id=session_key, user=user).update(last_seen_at=now):
        return
    if not Session.objects.filter(session_key=session_key).exists():
        return  # not stored in the database (another session engine): nothing to list
    user_session_record(
        user=user,
        session_key=session_key,
        address=address,
        user_agent=user_agent,
        signed_in_at=signed_in_at,
    )


def user_sessions_prune(*, user: User, keep_session_key: str = "", now=None) -> int:
    """Delete ``user``'s sessions that can no longer be used (expired, or signed with a
    password since changed); return how many. ``keep_session_key`` is the session of the
    request being answered, whose stored copy may lag behind what the request holds."""
    now = now or timezone.now()
    records = (
        UserSession.objects.filter(user=user)
        .exclude(session_id=keep_session_key)
        .select_related("session")
    )
    dead = [r.session_id for r in records if not _session_is_live(r.session, user, now)]
    if dead:
        Session.objects.filter(session_key__in=dead).delete()
    return len(dead)


@transaction.atomic
def user_session_end(*, actor, record: UserSession) -> None:
    """Sign the person out of one of their sessions (on the server: the cookie is worthless)."""
    if record.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("This session is not yours."))
    Session.objects.filter(session_key=record.session_id).delete()
    _log_on_commit("session.ended", user_id=actor.pk, username=actor.get_username())


@transaction.atomic
def user_sessions_end_others(*, actor, keep_session_key: str) -> int:
    """Sign the person out everywhere but in the session they are using; return how many."""
    others = UserSession.objects.filter(user=actor).exclude(session_id=keep_session_key)
    keys = list(others.values_list("session_id", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    _log_on_commit(
        "session.others-ended", user_id=actor.pk, username=actor.get_username(), count=len(keys)
    )
    return len(keys)

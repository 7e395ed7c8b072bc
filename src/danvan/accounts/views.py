"""People pages for administrators: users in their scope, their roles and their history.
And each person's own page of where they are signed in and which API tokens act for them.

Every administrators' page is refused (403) to people who manage no one; a user outside the
administrator's scope is not found (404), as everywhere. Another person's session or token is
not found either.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.accounts import user_agents
from danvan.accounts.addresses import email_change_pending, user_email_change_confirm
from danvan.accounts.forms import RoleForm, UserFilter, UserForm
from danvan.accounts.models import ApiToken, RoleAssignment, User, UserSession
from danvan.accounts.scope import holds
from danvan.accounts.selectors import (
    api_tokens_in_use,
    role_assignments_of,
    user_history,
    user_list,
    user_sessions,
)
from danvan.accounts.services import (
    api_token_revoke,
    role_assign,
    role_revoke,
    user_activate,
    user_create,
    user_deactivate,
    user_session_end,
    user_sessions_end_others,
    user_sessions_prune,
    user_update,
)
from danvan.core.forms import apply_errors

PAGE_SIZE = 25


def _require_admin(request) -> None:
    if not holds(request.user, "user.manage"):
        raise PermissionDenied(_("Only administrators manage people."))


def _user_in_scope(request, pk: int) -> User:
    _require_admin(request)
    try:
        return user_list(actor=request.user).get(pk=pk)
    except User.DoesNotExist:
        raise Http404 from None


@login_required
def user_index(request):
    _require_admin(request)
    filters = UserFilter(request.GET or None)
    search = filters.cleaned_data["q"] if filters.is_valid() else ""
    queryset = user_list(actor=request.user, search=search)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "query": urlencode({"q": search}) if search else "",
    }
    return render(request, "accounts/users.html", context)


@login_required
def user_detail(request, pk: int):
    person = _user_in_scope(request, pk)
    context = {
        "person": person,
        "assignments": role_assignments_of(actor=request.user, user=person).order_by("id"),
        "history": user_history(actor=request.user, user=person)[:100],
        "role_form": RoleForm(actor=request.user),
    }
    return render(request, "accounts/user_detail.html", context)


@login_required
def user_new(request):
    _require_admin(request)
    form = UserForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = user_create(actor=request.user, **form.create_arguments())
        except ValidationError as error:
            apply_errors(form, error, {"password": "password1"})
        else:
            messages.success(request, _("Person created; now give them a role."))
            return redirect("accounts:detail", pk=person.pk)
    return render(request, "accounts/user_form.html", {"form": form, "person": None})


@login_required
def user_edit(request, pk: int):
    person = _user_in_scope(request, pk)
    form = UserForm(request.POST or None, actor=request.user, user=person)
    if request.method == "POST" and form.is_valid():
        try:
            user_update(actor=request.user, user=person, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return render(
                request, "accounts/user_form.html", {"form": form, "person": person}, status=403
            )
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:detail", pk=person.pk)
    return render(request, "accounts/user_form.html", {"form": form, "person": person})


@login_required
@require_POST
def user_set_active(request, pk: int, active: bool):
    person = _user_in_scope(request, pk)
    try:
        if active:
            user_activate(actor=request.user, user=person)
            messages.success(request, _("The account is active again."))
        else:
            user_deactivate(actor=request.user, user=person)
            messages.success(request, _("The account is deactivated."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect("accounts:detail", pk=person.pk)


@login_required
def role_add(request, pk: int):
    person = _user_in_scope(request, pk)
    form = RoleForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            role_assign(actor=request.user, user=person, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            context = {"form": form, "person": person}
            return render(request, "accounts/role_form.html", context, status=403)
        else:
            messages.success(request, _("Role granted."))
            return redirect("accounts:detail", pk=person.pk)
    return render(request, "accounts/role_form.html", {"form": form, "person": person})


@login_required
@require_POST
def role_remove(request, pk: int, assignment_pk: int):
    person = _user_in_scope(request, pk)
    try:
        assignment = role_assignments_of(actor=request.user, user=person).get(pk=assignment_pk)
    except RoleAssignment.DoesNotExist:
        raise Http404 from None
    role_revoke(actor=request.user, assignment=assignment)
    messages.success(request, _("Role taken away."))
    return redirect("accounts:detail", pk=person.pk)


@login_required
def own_sessions(request):
    """Where the person is signed in, and the API tokens that act for them (ASVS 3.3.4)."""
    current = request.session.session_key
    user_sessions_prune(user=request.user, keep_session_key=current or "")
    sessions = list(user_sessions(user=request.user))
    for record in sessions:
        record.current = record.session_id == current
        record.browser = user_agents.describe(record.user_agent)
    context = {
        "sessions": sessions,
        "others": sum(1 for record in sessions if not record.current),
        "tokens": api_tokens_in_use(user=request.user),
    }
    return render(request, "accounts/sessions.html", context)


@login_required
@require_POST
def own_session_end(request, pk: int):
    try:
        record = user_sessions(user=request.user).get(pk=pk)
    except UserSession.DoesNotExist:
        raise Http404 from None
    if record.session_id == request.session.session_key:
        messages.error(request, _("To end the session you are using, sign out."))
    else:
        user_session_end(actor=request.user, record=record)
        messages.success(request, _("That session is signed out."))
    return redirect("accounts:sessions")


@login_required
@require_POST
def own_sessions_end_others(request):
    count = user_sessions_end_others(
        actor=request.user, keep_session_key=request.session.session_key or ""
    )
    messages.success(request, _("Other sessions signed out: %(count)s.") % {"count": count})
    return redirect("accounts:sessions")


@login_required
@require_POST
def own_token_revoke(request, pk: int):
    try:
        token = api_tokens_in_use(user=request.user).get(pk=pk)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token is revoked; it no longer works."))
    return redirect("accounts:sessions")


def email_confirm(request, token: str):
    """The link mailed to a person's old address after their address changed: the page says
    which change it confirms, and a button (not the visit itself, which mail scanners make)
    confirms it. No sign-in is needed: holding the mail is the proof."""
    try:
        person = email_change_pending(token=token)
    except ValidationError as error:
        context = {"problem": " ".join(error.messages)}
        return render(request, "accounts/email_confirm.html", context, status=400)
    if request.method == "POST":
        user_email_change_confirm(token=token)
        return render(request, "accounts/email_confirm.html", {"done": True})
    return render(request, "accounts/email_confirm.html", {"person": person})

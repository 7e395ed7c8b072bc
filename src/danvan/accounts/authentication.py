"""Personal API tokens: ``Authorization: Token <key>`` (or ``Bearer <key>``)."""

import hmac

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from danvan.accounts.models import ApiToken
from danvan.accounts.services import TOKEN_PREFIX, hash_token_key
from danvan.core.nonblocking import try_write

# Writing last_used_at on every request would turn reads into writes; once a minute is enough,
# and only when the database can take it at once.
LAST_USED_RESOLUTION_SECONDS = 60


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after the word Token."))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        return self._check(key)

    def _check(self, key: str):
        # dvk_<prefix>_<secret>: the secret is URL-safe base64, which may hold "_" itself.
        parts = key.split("_", 2)
        if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1]:
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
        if token is None or not hmac.compare_digest(token.key_hash, hash_token_key(key)):
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is disabled."))
        now = timezone.now()
        stale = token.last_used_at is None or (
            (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
        )
        if stale:
            # Tried once, never waited for: a read must not queue behind a large import's write
            # lock for a bookkeeping field (danvan.core.nonblocking).
            try_write(
                lambda: ApiToken.objects.filter(pk=token.pk).update(last_used_at=now),
                "The last use of a token",
            )
        return token.user, token

    def authenticate_header(self, request) -> str:
        return "Token"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "danvan.accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`: create a key at /api/v1/tokens/.",
        }

"""Adobe IMS access tokens: the cached provider base, OAuth Server-to-Server, retries.

Every provider caches its token until less than `TOKEN_RENEW_MARGIN` seconds of its life
remain, and lets concurrent callers share one request. `call_with_token` renews a token
an API refused once. Nothing here ever puts a client secret, private key, JWT or access
token in a message, a `repr()` or a log line.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
import hashlib
from http import HTTPStatus
import logging
import math
import re
import secrets
import time
from typing import ClassVar, Final

import aiohttp
import orjson
from yarl import URL

from ..errors import (
    CloudStatusAuthError,
    CloudStatusConnectionError,
    CloudStatusError,
    CloudStatusParseError,
    CloudStatusServerError,
)
from ..http import is_host_name, request
from ..parsing import require_dict

_LOGGER = logging.getLogger(__name__)

DEFAULT_IMS_HOST: Final = "ims-na1.adobelogin.com"
DEFAULT_STATUS_SCOPES: Final = (
    "openid",
    "AdobeID",
    "read_organizations",
    "additional_info.projectedProductContext",
)
TOKEN_RENEW_MARGIN: Final = 300.0

OAUTH_S2S_PATH: Final = "/ims/token/v3"

# What IMS answers (400, or 401/403) when the credentials themselves are wrong.
IMS_AUTH_ERRORS: Final = frozenset(
    {
        "invalid_client",
        "unauthorized_client",
        "invalid_scope",
        "invalid_token",
        "invalid_grant",
        "invalid_request",
    }
)

_SCOPE_SEPARATORS = re.compile(r"[,\s]+")


class ImsAuthError(CloudStatusAuthError):
    """Adobe IMS refused the credentials; `error_code` is IMS's `error` when it sent one."""


class JwtCredentialsRejectedError(ImsAuthError):
    """The JWT exchange refused the Service Account credentials as invalid or retired."""


def parse_scopes(text: str) -> tuple[str, ...]:
    """Split a comma-separated scope list, dropping blanks and repeats ("a, b,,c")."""
    return tuple(dict.fromkeys(part for part in _SCOPE_SEPARATORS.split(text) if part))


def normalize_ims_host(host: str) -> str:
    """Return the bare IMS host name ("https://IMS-NA1.adobelogin.com/" works too)."""
    text = host.strip().lower().removeprefix("https://").removeprefix("http://")
    return text.strip("/") or DEFAULT_IMS_HOST


def ims_url(host: str, path: str) -> URL | None:
    """Return `https://{host}{path}`, or None when `host` is no host name.

    A bare DNS name or IP address only: no port, user or path, no broken IDNA labels
    (`xn--a`), no empty labels.
    """
    try:
        url = URL.build(scheme="https", host=host, path=path)
    except ValueError:  # also yarl's UnicodeError for a name it cannot encode
        return None
    return url if is_host_name(url) else None


def is_valid_ims_host(host: str) -> bool:
    """Whether a (normalized) IMS host can be asked for tokens."""
    return ims_url(host, OAUTH_S2S_PATH) is not None


def hash_credentials(*parts: str | Sequence[str]) -> str:
    """Hash what identifies a set of credentials; the secret cannot be read back."""
    encoded = orjson.dumps(
        [sorted(part) if not isinstance(part, str) else part for part in parts]
    )
    return hashlib.sha256(b"cloud_status.adobe_ims\0" + encoded).hexdigest()


def _lifetime(value: object, unit: float) -> float:
    """Read `expires_in` (a positive number, or its decimal text) in seconds."""
    if isinstance(value, str) and (digits := value.strip()).isdecimal():
        # float(), unlike int(), reads any number of digits (too many give inf).
        value = float(digits)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CloudStatusParseError("IMS answer has no valid expires_in")
    # JSON gives no int beyond 64 bits (orjson reads bigger ones as floats).
    seconds = float(value) * unit
    if not math.isfinite(seconds) or seconds <= 0:
        raise CloudStatusParseError("IMS answer has no valid expires_in")
    return seconds


def parse_token_answer(body: bytes, unit: float) -> tuple[str, float]:
    """Return (access token, lifetime in seconds) from an IMS token answer."""
    try:
        decoded = orjson.loads(body)
    except orjson.JSONDecodeError:
        # parsing.loads would quote the start of the body, which may hold the token.
        raise CloudStatusParseError("IMS answer is not JSON") from None
    payload = require_dict(decoded, "IMS token answer")
    token = payload.get("access_token")
    if (
        not isinstance(token, str)
        or not token
        or not token.isascii()
        or not token.isprintable()
        or " " in token
    ):
        raise CloudStatusParseError("IMS answer has no usable access_token")
    return token, _lifetime(payload.get("expires_in"), unit)


@dataclass(frozen=True, slots=True)
class _CachedToken:
    value: str = field(repr=False)
    expires_at: float


class ImsTokenProvider(ABC):
    """An IMS access token, cached until shortly before it expires."""

    # IMS `error` codes that mean "these credentials are refused for good".
    _rejected_codes: ClassVar[frozenset[str]] = frozenset()
    _method: ClassVar[str]

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        ims_host: str,
        clock: Callable[[], float],
        cache_key: str,
    ) -> None:
        """Keep what every provider needs; subclasses compute the cache key."""
        self._session = session
        self.ims_host = normalize_ims_host(ims_host)
        self._clock = clock
        self._lock = asyncio.Lock()
        self._token: _CachedToken | None = None
        self.cache_key = cache_key

    def __repr__(self) -> str:
        """Describe the provider without any credential."""
        cached = "cached" if self._token is not None else "none"
        return (
            f"<{type(self).__name__} ims_host={self.ims_host!r} "
            f"key={self.cache_key[:12]} token={cached}>"
        )

    @property
    def expires_in(self) -> float | None:
        """Seconds of life left of the cached token, None when there is none."""
        if self._token is None:
            return None
        return max(0.0, self._token.expires_at - self._clock())

    def _fresh_token(self) -> str | None:
        token = self._token
        if token is None or token.expires_at - self._clock() < TOKEN_RENEW_MARGIN:
            return None
        return token.value

    async def async_get_token(self) -> str:
        """Return a token with at least `TOKEN_RENEW_MARGIN` seconds to live."""
        if (token := self._fresh_token()) is not None:
            return token
        async with self._lock:
            # Another caller may have renewed it while this one waited.
            if (token := self._fresh_token()) is not None:
                return token
            asked_at = self._clock()
            value, lifetime = await self._async_request_token()
            self._token = _CachedToken(value, asked_at + lifetime)
            _LOGGER.debug(
                "New IMS token (%s) from %s, valid for %.0f s",
                self._method,
                self.ims_host,
                lifetime,
            )
            return value

    def invalidate(self, token: str) -> None:
        """Forget the cached token if it is `token` (an API refused it)."""
        cached = self._token
        if cached is not None and secrets.compare_digest(
            cached.value.encode(), token.encode()
        ):
            self._token = None

    @abstractmethod
    async def _async_request_token(self) -> tuple[str, float]:
        """Ask IMS for a token; return it and its lifetime in seconds."""

    async def _async_post(self, path: str, form: dict[str, str]) -> bytes:
        """POST a form to IMS, turning refusals into ImsAuthError."""
        url = ims_url(self.ims_host, path)
        if url is None:
            # Nothing could reach it: like a name that does not resolve.
            raise CloudStatusConnectionError("the IMS host is not a host name")
        try:
            response = await request(self._session, "POST", url, form=form)
        except CloudStatusAuthError as err:
            raise self._refusal(err) from err
        except CloudStatusServerError as err:
            if (
                err.status == HTTPStatus.BAD_REQUEST
                and err.error_code in IMS_AUTH_ERRORS
            ):
                raise self._refusal(err) from err
            raise
        return response.body

    def _refusal(self, err: CloudStatusError) -> ImsAuthError:
        kind = (
            JwtCredentialsRejectedError
            if err.error_code in self._rejected_codes
            else ImsAuthError
        )
        return kind(
            "Adobe IMS refused the credentials",
            error_code=err.error_code,
            detail=err.detail,
        )


class OAuthServerToServerTokenProvider(ImsTokenProvider):
    """Tokens from OAuth Server-to-Server credentials (client credentials grant)."""

    _method = "oauth_s2s"

    def __init__(
        self,
        session: aiohttp.ClientSession,
        client_id: str,
        client_secret: str,
        scopes: Sequence[str],
        *,
        ims_host: str = DEFAULT_IMS_HOST,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Take the console's client id, client secret and scopes."""
        host = normalize_ims_host(ims_host)
        self._client_id = client_id
        self._client_secret = client_secret
        self.scopes = tuple(dict.fromkeys(scopes))
        super().__init__(
            session,
            ims_host=host,
            clock=clock,
            cache_key=hash_credentials(
                self._method, host, client_id, client_secret, self.scopes
            ),
        )

    async def _async_request_token(self) -> tuple[str, float]:
        body = await self._async_post(
            OAUTH_S2S_PATH,
            {
                "grant_type": "client_credentials",
                "client_id": self._client_id,
                "client_secret": self._client_secret,
                "scope": ",".join(self.scopes),
            },
        )
        # /ims/token/v3 gives expires_in in seconds.
        return parse_token_answer(body, 1.0)


async def call_with_token[T](
    provider: ImsTokenProvider, call: Callable[[str], Awaitable[T]]
) -> T:
    """Run `call(token)`; if the API answers 401, renew the token and try once more.

    Only a 401 says the token is no good. A 403 (Adobe's gateway `403003`: the API key
    is not valid for the service; or no entitlement) is raised as it is: a new token
    would be refused the same way, and IMS is not asked for one.
    """
    token = await provider.async_get_token()
    try:
        return await call(token)
    except CloudStatusAuthError as err:
        if err.status != HTTPStatus.UNAUTHORIZED:
            raise
        provider.invalidate(token)
    return await call(await provider.async_get_token())


__all__ = [
    "DEFAULT_IMS_HOST",
    "DEFAULT_STATUS_SCOPES",
    "IMS_AUTH_ERRORS",
    "OAUTH_S2S_PATH",
    "TOKEN_RENEW_MARGIN",
    "ImsAuthError",
    "ImsTokenProvider",
    "JwtCredentialsRejectedError",
    "OAuthServerToServerTokenProvider",
    "call_with_token",
    "hash_credentials",
    "ims_url",
    "is_valid_ims_host",
    "normalize_ims_host",
    "parse_scopes",
    "parse_token_answer",
]

"""Adobe IMS tokens from Service Account (JWT) credentials, which Adobe has retired.

The private key (PEM) is parsed once, in an executor. Every token request signs a fresh
RS256 JWT with the Service Account's claims and exchanges it at `/ims/exchange/jwt`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
import time
from typing import Any, Final

import aiohttp
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key
import jwt

from .tokens import (
    DEFAULT_IMS_HOST,
    ImsAuthError,
    ImsTokenProvider,
    hash_credentials,
    normalize_ims_host,
    parse_token_answer,
)

STATUS_METASCOPE: Final = "ent_status_api"
JWT_LIFETIME: Final = 300.0
MAX_JWT_LIFETIME: Final = 86400.0

JWT_EXCHANGE_PATH: Final = "/ims/exchange/jwt"

# What the JWT exchange answers for credentials that are invalid or retired (SPEC).
JWT_REJECTED_ERRORS: Final = frozenset(
    {"invalid_token", "invalid_scope", "invalid_client"}
)


class InvalidPrivateKeyError(ValueError):
    """The private key is not a usable, unencrypted RSA key in PEM form."""


def load_private_key(pem: str) -> RSAPrivateKey:
    """Parse an unencrypted RSA private key in PEM form (PKCS#8 or PKCS#1).

    CPU-bound: call it in an executor. The error never quotes the key.
    """
    text = pem.strip()
    if "\\n" in text and "\n" not in text:
        # Pasted from a JSON file or an environment variable with escaped newlines.
        text = text.replace("\\n", "\n")
    try:
        key = load_pem_private_key(text.encode(), password=None)
    except TypeError:
        raise InvalidPrivateKeyError(
            "the private key is encrypted; paste the unencrypted private.key"
        ) from None
    except ValueError, UnsupportedAlgorithm:
        raise InvalidPrivateKeyError(
            "the private key is not a PEM-encoded private key"
        ) from None
    if not isinstance(key, RSAPrivateKey):
        raise InvalidPrivateKeyError("the private key is not an RSA key")
    return key


def build_service_account_jwt(
    *,
    private_key: RSAPrivateKey,
    client_id: str,
    org_id: str,
    technical_account_id: str,
    ims_host: str = DEFAULT_IMS_HOST,
    metascopes: Sequence[str] = (STATUS_METASCOPE,),
    now: float | None = None,
    lifetime: float = JWT_LIFETIME,
) -> str:
    """Return the RS256-signed Service Account JWT that IMS exchanges for a token."""
    if not 0 < lifetime <= MAX_JWT_LIFETIME:
        raise ValueError(f"a JWT lives 0 to {MAX_JWT_LIFETIME:g} s, not {lifetime:g}")
    issued = time.time() if now is None else now
    claims: dict[str, Any] = {
        "exp": int(issued + lifetime),
        "iss": org_id,
        "sub": technical_account_id,
        "aud": f"https://{ims_host}/c/{client_id}",
    }
    for metascope in metascopes:
        claims[f"https://{ims_host}/s/{metascope}"] = True
    return jwt.encode(claims, private_key, algorithm="RS256")


class JwtTokenProvider(ImsTokenProvider):
    """Tokens from Service Account (JWT) credentials, which Adobe has retired."""

    _method = "jwt"
    _rejected_codes = JWT_REJECTED_ERRORS

    # The positional credentials are the interface the integration is written against.
    def __init__(  # noqa: PLR0917
        self,
        session: aiohttp.ClientSession,
        client_id: str,
        client_secret: str,
        org_id: str,
        technical_account_id: str,
        private_key: str,
        *,
        ims_host: str = DEFAULT_IMS_HOST,
        metascopes: Sequence[str] = (STATUS_METASCOPE,),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Take the Service Account credentials; the key is parsed on first use."""
        host = normalize_ims_host(ims_host)
        self._client_id = client_id
        self._client_secret = client_secret
        self._org_id = org_id
        self._technical_account_id = technical_account_id
        self._private_key_pem = private_key.strip().replace("\r\n", "\n")
        self._private_key: RSAPrivateKey | None = None
        self.metascopes = tuple(dict.fromkeys(metascopes))
        super().__init__(
            session,
            ims_host=host,
            clock=clock,
            cache_key=hash_credentials(
                self._method,
                host,
                client_id,
                client_secret,
                self.metascopes,
                org_id,
                technical_account_id,
                self._private_key_pem,
            ),
        )

    def _sign(self) -> str:
        """Load the key (once) and sign a fresh JWT; runs in an executor."""
        if self._private_key is None:
            self._private_key = load_private_key(self._private_key_pem)
        return build_service_account_jwt(
            private_key=self._private_key,
            client_id=self._client_id,
            org_id=self._org_id,
            technical_account_id=self._technical_account_id,
            ims_host=self.ims_host,
            metascopes=self.metascopes,
        )

    async def _async_request_token(self) -> tuple[str, float]:
        try:
            assertion = await asyncio.get_running_loop().run_in_executor(
                None, self._sign
            )
        except InvalidPrivateKeyError as err:
            # The stored key is unusable: only new credentials (reauth) can help.
            raise ImsAuthError(
                "the private key cannot be used", error_code="invalid_private_key"
            ) from err
        body = await self._async_post(
            JWT_EXCHANGE_PATH,
            {
                "client_id": self._client_id,
                "client_secret": self._client_secret,
                "jwt_token": assertion,
            },
        )
        # The JWT exchange gives expires_in in milliseconds.
        return parse_token_answer(body, 0.001)


__all__ = [
    "JWT_EXCHANGE_PATH",
    "JWT_LIFETIME",
    "JWT_REJECTED_ERRORS",
    "MAX_JWT_LIFETIME",
    "STATUS_METASCOPE",
    "InvalidPrivateKeyError",
    "JwtTokenProvider",
    "build_service_account_jwt",
    "load_private_key",
]

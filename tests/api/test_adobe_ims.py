"""Adobe IMS: the Service Account JWT, token providers, caching and IMS error bodies."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable
from functools import cache
import json
import logging
from pathlib import Path
import time
from typing import Any

import aiohttp
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
import jwt
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)
from yarl import URL

from custom_components.cloud_status.api import (
    CloudStatusAuthError,
    CloudStatusConnectionError,
    CloudStatusError,
    CloudStatusParseError,
    CloudStatusRateLimitError,
    CloudStatusServerError,
    CloudStatusTimeoutError,
)
from custom_components.cloud_status.api.adobe_ims import (
    DEFAULT_IMS_HOST,
    DEFAULT_STATUS_SCOPES,
    JWT_LIFETIME,
    STATUS_METASCOPE,
    TOKEN_RENEW_MARGIN,
    ImsAuthError,
    ImsTokenProvider,
    InvalidPrivateKeyError,
    JwtCredentialsRejectedError,
    JwtTokenProvider,
    OAuthServerToServerTokenProvider,
    build_service_account_jwt,
    call_with_token,
    ims_url,
    is_valid_ims_host,
    load_private_key,
    normalize_ims_host,
    parse_scopes,
)
from tests.conftest import SHARED_PAYLOADS, load_fixture

CLIENT_ID = "4f1c2a8e9b7d4c3a8f6e5d4c3b2a1f0e"
CLIENT_SECRET = "p8e-SuperSecretClientSecretValue-42"
ORG_ID = "C74F69D7594880280A495D09@AdobeOrg"
TECH_ACCOUNT = "6657031C5C095BB40A4950A1@techacct.adobe.com"
OAUTH_URL = f"https://{DEFAULT_IMS_HOST}/ims/token/v3"
JWT_URL = f"https://{DEFAULT_IMS_HOST}/ims/exchange/jwt"
AUDIENCE = f"https://{DEFAULT_IMS_HOST}/c/{CLIENT_ID}"
METASCOPE_CLAIM = f"https://{DEFAULT_IMS_HOST}/s/{STATUS_METASCOPE}"
NOW = 1_793_952_000.0
OAUTH_LIFETIME = 86399.0
JWT_LIFETIME_MS = 86399999

type ProviderFactory = Callable[..., ImsTokenProvider]


# --- keys ----------------------------------------------------------------------------


@cache
def _generate_rsa_key(index: int) -> rsa.RSAPrivateKey:
    del index
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _rsa_key(index: int = 0) -> rsa.RSAPrivateKey:
    """Return test key number `index`: 2048-bit RSA, the size Adobe's console makes."""
    return _generate_rsa_key(index)


def _pem(
    key: Any, fmt: serialization.PrivateFormat, password: bytes | None = None
) -> str:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    pem: bytes = key.private_bytes(serialization.Encoding.PEM, fmt, encryption)
    return pem.decode()


def _pkcs8(index: int = 0) -> str:
    return _pem(_rsa_key(index), serialization.PrivateFormat.PKCS8)


def _key_lines(pem: str) -> list[str]:
    return [line for line in pem.splitlines() if line and not line.startswith("-----")]


# --- fake IMS -------------------------------------------------------------------------


def _json_response(
    url: URL, payload: Any, status: int = 200, headers: dict[str, str] | None = None
) -> AiohttpClientMockResponse:
    return AiohttpClientMockResponse(
        "post",
        url,
        status=status,
        text=payload if isinstance(payload, str) else json.dumps(payload),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


class FakeIms:
    """Answer both IMS endpoints: queued answers first, else a fresh numbered token."""

    def __init__(
        self, mocker: AiohttpClientMocker, host: str = DEFAULT_IMS_HOST
    ) -> None:
        """Register both endpoints of `host` with the mocker."""
        self.mocker = mocker
        self.queue: list[AiohttpClientMockResponse | Exception] = []
        self.issued = 0
        self.gate: asyncio.Event | None = None
        mocker.post(f"https://{host}/ims/token/v3", side_effect=self._answer)
        mocker.post(f"https://{host}/ims/exchange/jwt", side_effect=self._answer)

    async def _answer(
        self, method: str, url: URL, data: Any
    ) -> AiohttpClientMockResponse:
        if self.gate is not None:
            await self.gate.wait()
        if self.queue:
            answer = self.queue.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        self.issued += 1
        expires_in = OAUTH_LIFETIME if url.path.endswith("/v3") else JWT_LIFETIME_MS
        return _json_response(
            url,
            {
                "access_token": f"token-{self.issued}",
                "token_type": "bearer",
                "expires_in": expires_in,
            },
        )

    def answer(self, payload: Any, status: int = 200, **headers: str) -> None:
        """Queue one answer for the next request."""
        self.queue.append(_json_response(URL(OAUTH_URL), payload, status, headers))

    @property
    def calls(self) -> list[tuple[str, URL, Any, Any]]:
        """Return (method, url, form, headers) of every request so far."""
        calls: list[tuple[str, URL, Any, Any]] = self.mocker.mock_calls
        return calls


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        """Start at an arbitrary moment."""
        self.now = 1000.0

    def __call__(self) -> float:
        """Return the current reading."""
        return self.now


@pytest.fixture
async def session(
    aioclient_mock: AiohttpClientMocker,
) -> AsyncGenerator[aiohttp.ClientSession]:
    """Yield a session whose requests the mocker answers."""
    client_session = aioclient_mock.create_session(asyncio.get_running_loop())
    yield client_session
    await client_session.close()


@pytest.fixture
def ims(aioclient_mock: AiohttpClientMocker) -> FakeIms:
    """Return the fake IMS."""
    return FakeIms(aioclient_mock)


@pytest.fixture
def clock() -> FakeClock:
    """Return a hand-driven clock."""
    return FakeClock()


def _oauth(
    session: aiohttp.ClientSession, clock: FakeClock | None = None, **kwargs: Any
) -> OAuthServerToServerTokenProvider:
    args: dict[str, Any] = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "scopes": DEFAULT_STATUS_SCOPES,
    }
    args.update(kwargs)
    if clock is not None:
        args["clock"] = clock
    return OAuthServerToServerTokenProvider(session, **args)


def _jwt(
    session: aiohttp.ClientSession, clock: FakeClock | None = None, **kwargs: Any
) -> JwtTokenProvider:
    args: dict[str, Any] = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "org_id": ORG_ID,
        "technical_account_id": TECH_ACCOUNT,
        "private_key": _pkcs8(),
    }
    args.update(kwargs)
    if clock is not None:
        args["clock"] = clock
    return JwtTokenProvider(session, **args)


PROVIDERS = pytest.mark.parametrize(
    ("make", "lifetime"),
    [(_oauth, OAUTH_LIFETIME), (_jwt, JWT_LIFETIME_MS / 1000)],
    ids=["oauth", "jwt"],
)


# --- parse_scopes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a, b,,c", ("a", "b", "c")),
        ("openid,AdobeID", ("openid", "AdobeID")),
        (
            "creative_cloud, openid, AdobeID , read_organizations",
            ("creative_cloud", "openid", "AdobeID", "read_organizations"),
        ),
        ("openid openid,AdobeID", ("openid", "AdobeID")),
        ("", ()),
        (" , ,", ()),
    ],
)
def test_parse_scopes(text: str, expected: tuple[str, ...]) -> None:
    """Commas (and stray spaces) separate scopes; blanks and repeats go."""
    assert parse_scopes(text) == expected


def test_default_scopes_match_the_spec() -> None:
    """The documented default scope text parses to the default scopes."""
    assert (
        parse_scopes(
            "openid,AdobeID,read_organizations,additional_info.projectedProductContext"
        )
        == DEFAULT_STATUS_SCOPES
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ims-na1.adobelogin.com", "ims-na1.adobelogin.com"),
        (" https://IMS-NA1.adobelogin.com/ ", "ims-na1.adobelogin.com"),
        ("http://ims-na1-stg1.adobelogin.com", "ims-na1-stg1.adobelogin.com"),
        ("", DEFAULT_IMS_HOST),
    ],
)
def test_normalize_ims_host(raw: str, expected: str) -> None:
    """A pasted URL or upper case still names the host; empty means the default."""
    assert normalize_ims_host(raw) == expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("ims-na1.adobelogin.com", True),
        ("ims-na1-stg1.adobelogin.com", True),
        ("127.0.0.1", True),
        ("xn--9ca.example.com", True),
        ("ims host/x", False),
        ("ims-na1.adobelogin.com:443", False),
        ("user@ims-na1.adobelogin.com", False),
        ("[::1]", False),
        ("xn--", False),
        ("xn--a.adobelogin.com", False),
        ("ims..adobelogin.com", False),
        (f"{'a' * 64}.adobelogin.com", False),
        ("\x00", False),
    ],
)
def test_is_valid_ims_host(host: str, expected: bool) -> None:
    """A bare DNS name or IP address only, with labels that decode."""
    assert is_valid_ims_host(host) is expected
    assert (ims_url(host, "/ims/token/v3") is not None) is expected


@pytest.mark.parametrize(
    "host", ["ims host/x", "ims-na1.adobelogin.com:443", "xn--a.adobelogin.com"]
)
@pytest.mark.parametrize("make", [_oauth, _jwt], ids=["oauth", "jwt"])
async def test_unusable_ims_host_is_a_connection_error(
    session: aiohttp.ClientSession, ims: FakeIms, make: ProviderFactory, host: str
) -> None:
    """A stored IMS host no URL can hold fails like a host that does not resolve.

    Before, yarl's ValueError left the provider; nothing is sent either way.
    """
    provider = make(session, ims_host=host)

    with pytest.raises(CloudStatusConnectionError) as caught:
        await provider.async_get_token()

    assert not isinstance(caught.value, CloudStatusAuthError)
    assert ims.calls == []


# --- the Service Account JWT -------------------------------------------------------------


def test_jwt_claims_and_signature() -> None:
    """The JWT is RS256, verifies with the public key and carries exactly the claims."""
    key = _rsa_key()
    token = build_service_account_jwt(
        private_key=key,
        client_id=CLIENT_ID,
        org_id=ORG_ID,
        technical_account_id=TECH_ACCOUNT,
        now=NOW,
    )

    assert jwt.get_unverified_header(token)["alg"] == "RS256"
    claims = jwt.decode(
        token,
        key.public_key(),
        algorithms=["RS256"],
        audience=AUDIENCE,
        options={"verify_exp": False},
    )
    assert claims == {
        "exp": int(NOW + JWT_LIFETIME),
        "iss": ORG_ID,
        "sub": TECH_ACCOUNT,
        "aud": AUDIENCE,
        METASCOPE_CLAIM: True,
    }
    assert isinstance(claims["exp"], int)


def test_jwt_with_other_host_metascopes_and_lifetime() -> None:
    """The host names audience and metascope claims; each metascope gets one."""
    key = _rsa_key()
    token = build_service_account_jwt(
        private_key=key,
        client_id=CLIENT_ID,
        org_id=ORG_ID,
        technical_account_id=TECH_ACCOUNT,
        ims_host="ims-na1-stg1.adobelogin.com",
        metascopes=("ent_status_api", "ent_dataservices_sdk"),
        now=NOW + 0.75,
        lifetime=86400,
    )
    claims = jwt.decode(
        token,
        key.public_key(),
        algorithms=["RS256"],
        audience=f"https://ims-na1-stg1.adobelogin.com/c/{CLIENT_ID}",
        options={"verify_exp": False},
    )
    assert claims["exp"] == int(NOW + 0.75 + 86400)
    assert claims["https://ims-na1-stg1.adobelogin.com/s/ent_status_api"] is True
    assert claims["https://ims-na1-stg1.adobelogin.com/s/ent_dataservices_sdk"] is True
    assert METASCOPE_CLAIM not in claims


def test_jwt_expiry_defaults_to_now() -> None:
    """Without `now`, exp is a few minutes from the wall clock, and the JWT verifies."""
    key = _rsa_key()
    before = time.time()
    token = build_service_account_jwt(
        private_key=key,
        client_id=CLIENT_ID,
        org_id=ORG_ID,
        technical_account_id=TECH_ACCOUNT,
    )
    claims = jwt.decode(
        token, key.public_key(), algorithms=["RS256"], audience=AUDIENCE
    )
    assert before + JWT_LIFETIME - 1 <= claims["exp"] <= time.time() + JWT_LIFETIME


def test_jwt_fails_verification_with_another_key() -> None:
    """A JWT signed with one key does not verify with another key's public half."""
    token = build_service_account_jwt(
        private_key=_rsa_key(0),
        client_id=CLIENT_ID,
        org_id=ORG_ID,
        technical_account_id=TECH_ACCOUNT,
    )
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            token, _rsa_key(1).public_key(), algorithms=["RS256"], audience=AUDIENCE
        )


def test_jwt_with_wrong_audience_fails() -> None:
    """The audience names the client id: another client's audience does not match."""
    key = _rsa_key()
    token = build_service_account_jwt(
        private_key=key,
        client_id=CLIENT_ID,
        org_id=ORG_ID,
        technical_account_id=TECH_ACCOUNT,
    )
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(
            token,
            key.public_key(),
            algorithms=["RS256"],
            audience=f"https://{DEFAULT_IMS_HOST}/c/someone-else",
        )


@pytest.mark.parametrize("lifetime", [0, -5, 86400.5, 7 * 86400])
def test_jwt_lifetime_is_bounded(lifetime: float) -> None:
    """The expiry must lie in the future and at most 24 hours ahead."""
    with pytest.raises(ValueError, match="a JWT lives"):
        build_service_account_jwt(
            private_key=_rsa_key(),
            client_id=CLIENT_ID,
            org_id=ORG_ID,
            technical_account_id=TECH_ACCOUNT,
            lifetime=lifetime,
        )


# --- load_private_key ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "pem",
    [
        pytest.param(_pkcs8, id="pkcs8"),
        pytest.param(
            lambda: _pem(_rsa_key(), serialization.PrivateFormat.TraditionalOpenSSL),
            id="pkcs1",
        ),
        pytest.param(lambda: f"\n  {_pkcs8()}  \n", id="padded"),
        pytest.param(lambda: _pkcs8().replace("\n", "\r\n"), id="crlf"),
        pytest.param(
            lambda: _pkcs8().strip().replace("\n", "\\n"), id="escaped-newlines"
        ),
    ],
)
def test_load_private_key(pem: Callable[[], str]) -> None:
    """PKCS#8 and PKCS#1 PEMs load, also padded, with CRLF or escaped newlines."""
    key = load_private_key(pem())
    assert isinstance(key, rsa.RSAPrivateKey)
    assert key.private_numbers().d == _rsa_key().private_numbers().d
    assert key.public_key().public_numbers() == _rsa_key().public_key().public_numbers()


@pytest.mark.parametrize(
    ("pem", "message"),
    [
        pytest.param(lambda: "not a key at all", "not a PEM", id="garbage"),
        pytest.param(lambda: "", "not a PEM", id="empty"),
        pytest.param(
            lambda: _pkcs8()[: len(_pkcs8()) // 2], "not a PEM", id="truncated"
        ),
        pytest.param(
            lambda: _pkcs8().replace("PRIVATE KEY", "PUBLIC KEY"),
            "not a PEM",
            id="mislabelled",
        ),
        pytest.param(
            lambda: (
                _rsa_key()
                .public_key()
                .public_bytes(
                    serialization.Encoding.PEM,
                    serialization.PublicFormat.SubjectPublicKeyInfo,
                )
                .decode()
            ),
            "not a PEM",
            id="public-key",
        ),
        pytest.param(
            lambda: _pem(
                ec.generate_private_key(ec.SECP256R1()),
                serialization.PrivateFormat.PKCS8,
            ),
            "not an RSA key",
            id="ec-key",
        ),
        pytest.param(
            lambda: _pem(_rsa_key(), serialization.PrivateFormat.PKCS8, b"passphrase"),
            "encrypted",
            id="encrypted",
        ),
    ],
)
def test_load_private_key_rejects(pem: Callable[[], str], message: str) -> None:
    """Unusable keys raise InvalidPrivateKeyError, whose text quotes none of the key."""
    text = pem()
    with pytest.raises(InvalidPrivateKeyError, match=message) as caught:
        load_private_key(text)
    assert isinstance(caught.value, ValueError)
    for line in _key_lines(text):
        assert line not in str(caught.value)
    # cryptography's own error is not chained: nothing of the key can surface through it.
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None or caught.value.__suppress_context__


# --- requests as sent ------------------------------------------------------------------------


async def test_oauth_request_as_sent(
    session: aiohttp.ClientSession, ims: FakeIms, clock: FakeClock
) -> None:
    """OAuth S2S posts the client-credentials form to /ims/token/v3; expires_in is seconds."""
    provider = _oauth(session, clock)

    assert await provider.async_get_token() == "token-1"

    assert len(ims.calls) == 1
    method, url, form, headers = ims.calls[0]
    assert method == "POST"
    assert url == URL(OAUTH_URL)
    assert form == {
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "scope": "openid,AdobeID,read_organizations,additional_info.projectedProductContext",
    }
    assert headers["Accept"] == "application/json"
    assert provider.expires_in == OAUTH_LIFETIME


async def test_oauth_custom_host_and_scopes(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """Another IMS host and a scope list are used as given (repeats dropped)."""
    FakeIms(aioclient_mock, host="ims-na1-stg1.adobelogin.com")
    provider = _oauth(
        session,
        scopes=("openid", "AdobeID", "openid"),
        ims_host="https://ims-na1-stg1.adobelogin.com/",
    )

    await provider.async_get_token()

    _, url, form, _ = aioclient_mock.mock_calls[0]
    assert url == URL("https://ims-na1-stg1.adobelogin.com/ims/token/v3")
    assert form["scope"] == "openid,AdobeID"


async def test_jwt_exchange_as_sent(
    session: aiohttp.ClientSession, ims: FakeIms, clock: FakeClock
) -> None:
    """The JWT exchange posts client id, secret and a JWT signed with the key; ms lifetime."""
    provider = _jwt(session, clock)
    before = time.time()

    assert await provider.async_get_token() == "token-1"

    assert len(ims.calls) == 1
    method, url, form, _ = ims.calls[0]
    assert method == "POST"
    assert url == URL(JWT_URL)
    assert set(form) == {"client_id", "client_secret", "jwt_token"}
    assert form["client_id"] == CLIENT_ID
    assert form["client_secret"] == CLIENT_SECRET
    claims = jwt.decode(
        form["jwt_token"],
        _rsa_key().public_key(),
        algorithms=["RS256"],
        audience=AUDIENCE,
    )
    assert claims["iss"] == ORG_ID
    assert claims["sub"] == TECH_ACCOUNT
    assert claims[METASCOPE_CLAIM] is True
    assert before + JWT_LIFETIME - 1 <= claims["exp"] <= time.time() + JWT_LIFETIME
    assert provider.expires_in == pytest.approx(JWT_LIFETIME_MS / 1000)


async def test_jwt_custom_metascopes(
    session: aiohttp.ClientSession, ims: FakeIms
) -> None:
    """Other metascopes (as a later API may need) become claims of the JWT."""
    provider = _jwt(session, metascopes=("ent_dataservices_sdk",))

    await provider.async_get_token()

    claims = jwt.decode(
        ims.calls[0][2]["jwt_token"],
        _rsa_key().public_key(),
        algorithms=["RS256"],
        audience=AUDIENCE,
    )
    assert claims[f"https://{DEFAULT_IMS_HOST}/s/ent_dataservices_sdk"] is True
    assert METASCOPE_CLAIM not in claims


async def test_jwt_with_unusable_key_is_an_auth_error(
    session: aiohttp.ClientSession, ims: FakeIms
) -> None:
    """A stored key that does not parse asks for new credentials, without calling IMS."""
    provider = _jwt(session, private_key="-----BEGIN PRIVATE KEY-----\nAAAA\n")

    with pytest.raises(ImsAuthError) as caught:
        await provider.async_get_token()

    assert not isinstance(caught.value, JwtCredentialsRejectedError)
    assert caught.value.error_code == "invalid_private_key"
    assert isinstance(caught.value.__cause__, InvalidPrivateKeyError)
    assert "AAAA" not in str(caught.value)
    assert ims.calls == []


# --- caching ------------------------------------------------------------------------------


@PROVIDERS
async def test_token_cached_until_margin(
    session: aiohttp.ClientSession,
    ims: FakeIms,
    clock: FakeClock,
    make: ProviderFactory,
    lifetime: float,
) -> None:
    """The token is reused until less than five minutes of its life remain."""
    provider = make(session, clock)
    before = provider.expires_in
    assert before is None

    assert await provider.async_get_token() == "token-1"
    assert provider.expires_in == pytest.approx(lifetime)

    clock.now += lifetime - TOKEN_RENEW_MARGIN - 1
    assert await provider.async_get_token() == "token-1"
    assert provider.expires_in == pytest.approx(TOKEN_RENEW_MARGIN + 1)
    assert len(ims.calls) == 1

    clock.now += 2
    assert await provider.async_get_token() == "token-2"
    assert len(ims.calls) == 2
    assert provider.expires_in == pytest.approx(lifetime)

    clock.now += lifetime * 3
    assert provider.expires_in == 0.0
    assert await provider.async_get_token() == "token-3"


async def test_lifetime_counts_from_the_request(
    session: aiohttp.ClientSession, ims: FakeIms, clock: FakeClock
) -> None:
    """Time spent waiting for IMS is counted against the token's life."""
    provider = _oauth(session, clock)

    async def slow(method: str, url: URL, data: Any) -> AiohttpClientMockResponse:
        clock.now += 100
        return _json_response(url, {"access_token": "slow", "expires_in": 3600})

    ims.mocker.clear_requests()
    ims.mocker.post(OAUTH_URL, side_effect=slow)

    await provider.async_get_token()

    assert provider.expires_in == pytest.approx(3500)


@PROVIDERS
async def test_concurrent_callers_share_one_request(
    session: aiohttp.ClientSession,
    ims: FakeIms,
    make: ProviderFactory,
    lifetime: float,
) -> None:
    """Twenty callers at once wait for one IMS request and get the same token."""
    provider = make(session)
    ims.gate = asyncio.Event()

    tasks = [asyncio.create_task(provider.async_get_token()) for _ in range(20)]
    for _ in range(10):
        await asyncio.sleep(0)
    ims.gate.set()
    tokens = await asyncio.gather(*tasks)

    assert tokens == ["token-1"] * 20
    assert len(ims.calls) == 1


async def test_concurrent_callers_after_a_failure_try_again(
    session: aiohttp.ClientSession, ims: FakeIms
) -> None:
    """A failed request is not cached: the next caller asks again."""
    provider = _oauth(session)
    ims.answer({"error": "internal_error"}, status=503)

    with pytest.raises(CloudStatusServerError):
        await provider.async_get_token()
    assert await provider.async_get_token() == "token-1"
    assert len(ims.calls) == 2


async def test_invalidate(
    session: aiohttp.ClientSession, ims: FakeIms, clock: FakeClock
) -> None:
    """Only the cached token itself is dropped; another token changes nothing."""
    provider = _oauth(session, clock)
    provider.invalidate("token-1")  # nothing cached yet

    token = await provider.async_get_token()
    provider.invalidate("some-other-token")
    assert await provider.async_get_token() == token
    assert len(ims.calls) == 1

    provider.invalidate(token)
    assert provider.expires_in is None
    assert await provider.async_get_token() == "token-2"
    assert len(ims.calls) == 2


# --- call_with_token ------------------------------------------------------------------------


async def test_call_with_token_passes_the_token(
    session: aiohttp.ClientSession, ims: FakeIms
) -> None:
    """The call gets the token and its result comes back."""
    provider = _oauth(session)
    seen: list[str] = []

    async def call(token: str) -> int:
        seen.append(token)
        return 42

    assert await call_with_token(provider, call) == 42
    assert seen == ["token-1"]


async def test_call_with_token_renews_once(
    session: aiohttp.ClientSession, ims: FakeIms
) -> None:
    """A token refused with 401 is dropped and the call is tried once more with a new one."""
    provider = _oauth(session)
    seen: list[str] = []

    async def call(token: str) -> str:
        seen.append(token)
        if len(seen) == 1:
            raise CloudStatusAuthError("HTTP 401", status=401, error_code="401013")
        return "ok"

    assert await call_with_token(provider, call) == "ok"
    assert seen == ["token-1", "token-2"]
    assert len(ims.calls) == 2


async def test_call_with_token_second_refusal_propagates(
    session: aiohttp.ClientSession, ims: FakeIms
) -> None:
    """Refused twice: the error reaches the caller (reauth), after exactly one retry."""
    provider = _oauth(session)
    seen: list[str] = []

    async def call(token: str) -> str:
        seen.append(token)
        raise CloudStatusAuthError("HTTP 401", status=401, error_code="401013")

    with pytest.raises(CloudStatusAuthError) as caught:
        await call_with_token(provider, call)

    assert caught.value.error_code == "401013"
    assert seen == ["token-1", "token-2"]


@pytest.mark.parametrize(
    "refusal",
    [
        CloudStatusAuthError("HTTP 403", status=403, error_code="403003"),
        CloudStatusAuthError("the API key has characters a header cannot carry"),
    ],
    ids=["403", "no-status"],
)
async def test_call_with_token_renews_only_after_a_401(
    session: aiohttp.ClientSession, ims: FakeIms, refusal: CloudStatusAuthError
) -> None:
    """A 403 (or a refusal that is no HTTP 401) is raised as it is.

    The token is kept and IMS is not asked for another: a 403 says the API key or the
    entitlement is wrong, which a new token does not change (SPEC: only a 401 renews).
    """
    provider = _oauth(session)
    seen: list[str] = []

    async def call(token: str) -> str:
        seen.append(token)
        raise refusal

    with pytest.raises(CloudStatusAuthError) as caught:
        await call_with_token(provider, call)

    assert caught.value is refusal
    assert seen == ["token-1"]
    assert len(ims.calls) == 1
    assert provider.expires_in is not None


async def test_call_with_token_other_errors_do_not_retry(
    session: aiohttp.ClientSession, ims: FakeIms
) -> None:
    """Errors other than a refused token propagate at once and keep the token."""
    provider = _oauth(session)
    seen: list[str] = []

    async def call(token: str) -> str:
        seen.append(token)
        raise CloudStatusTimeoutError("no answer")

    with pytest.raises(CloudStatusTimeoutError):
        await call_with_token(provider, call)

    assert seen == ["token-1"]
    assert provider.expires_in is not None


async def test_call_with_token_refresh_refused(
    session: aiohttp.ClientSession, ims: FakeIms
) -> None:
    """When IMS refuses the credentials on renewal, that ImsAuthError propagates."""
    provider = _oauth(session)

    async def call(token: str) -> str:
        raise CloudStatusAuthError("HTTP 401", status=401)

    ims.queue.append(
        _json_response(URL(OAUTH_URL), {"access_token": "t", "expires_in": 86399})
    )
    ims.answer({"error": "invalid_client"}, status=401)

    with pytest.raises(ImsAuthError) as caught:
        await call_with_token(provider, call)
    assert caught.value.error_code == "invalid_client"


# --- cache_key ---------------------------------------------------------------------------


def test_cache_key_equal_for_equal_credentials(session: aiohttp.ClientSession) -> None:
    """Equal credentials give equal keys, however scopes and host are spelled."""
    assert _oauth(session).cache_key == _oauth(session).cache_key
    assert (
        _oauth(session).cache_key
        == _oauth(
            session,
            scopes=(*reversed(DEFAULT_STATUS_SCOPES), "openid"),
            ims_host="https://IMS-NA1.adobelogin.com/",
        ).cache_key
    )
    assert _jwt(session).cache_key == _jwt(session).cache_key
    assert (
        _jwt(session).cache_key
        == _jwt(session, private_key=_pkcs8().replace("\n", "\r\n") + "\n").cache_key
    )


@pytest.mark.parametrize(
    ("make", "change"),
    [
        (_oauth, {"client_id": "another-client"}),
        (_oauth, {"client_secret": "another-secret"}),
        (_oauth, {"scopes": ("openid",)}),
        (_oauth, {"ims_host": "ims-na1-stg1.adobelogin.com"}),
        (_jwt, {"client_secret": "another-secret"}),
        (_jwt, {"org_id": "OTHER@AdobeOrg"}),
        (_jwt, {"technical_account_id": "OTHER@techacct.adobe.com"}),
        (_jwt, {"metascopes": ("ent_dataservices_sdk",)}),
        (_jwt, {"private_key": "other key"}),
    ],
)
def test_cache_key_differs(
    session: aiohttp.ClientSession, make: ProviderFactory, change: dict[str, Any]
) -> None:
    """Any different credential gives a different key."""
    assert make(session).cache_key != make(session, **change).cache_key


def test_cache_key_differs_by_method_and_hides_secret(
    session: aiohttp.ClientSession,
) -> None:
    """OAuth and JWT keys differ; a key is a SHA-256 hex digest without the secret."""
    oauth = _oauth(session).cache_key
    service_account = _jwt(session).cache_key
    assert oauth != service_account
    for key in (oauth, service_account):
        assert len(key) == 64
        assert int(key, 16) >= 0
        assert CLIENT_SECRET not in key


# --- IMS error bodies ------------------------------------------------------------------


# (fixture, HTTP status, provider, expected exception, expected error_code)
OWN_ERROR_CASES = [
    ("adobe_ims_400_invalid_client.json", 400, _oauth, ImsAuthError, "invalid_client"),
    (
        "adobe_ims_400_invalid_client.json",
        400,
        _jwt,
        JwtCredentialsRejectedError,
        "invalid_client",
    ),
    ("adobe_ims_401_invalid_client.json", 401, _oauth, ImsAuthError, "invalid_client"),
    (
        "adobe_ims_401_invalid_client.json",
        401,
        _jwt,
        JwtCredentialsRejectedError,
        "invalid_client",
    ),
    ("adobe_ims_400_invalid_scope.json", 400, _oauth, ImsAuthError, "invalid_scope"),
    (
        "adobe_ims_400_invalid_scope.json",
        400,
        _jwt,
        JwtCredentialsRejectedError,
        "invalid_scope",
    ),
    (
        "adobe_ims_400_invalid_token_signature.json",
        400,
        _jwt,
        JwtCredentialsRejectedError,
        "invalid_token",
    ),
    (
        "adobe_ims_400_invalid_token_format.json",
        400,
        _jwt,
        JwtCredentialsRejectedError,
        "invalid_token",
    ),
    (
        "adobe_ims_400_unauthorized_client.json",
        400,
        _oauth,
        ImsAuthError,
        "unauthorized_client",
    ),
    (
        "adobe_ims_400_unauthorized_client.json",
        400,
        _jwt,
        ImsAuthError,
        "unauthorized_client",
    ),
    ("adobe_ims_400_invalid_grant.json", 400, _jwt, ImsAuthError, "invalid_grant"),
    (
        "adobe_ims_400_invalid_request.json",
        400,
        _oauth,
        ImsAuthError,
        "invalid_request",
    ),
    (
        "adobe_ims_400_unsupported_grant_type.json",
        400,
        _oauth,
        CloudStatusServerError,
        "unsupported_grant_type",
    ),
    (
        "adobe_ims_500_internal_error.json",
        500,
        _jwt,
        CloudStatusServerError,
        "internal_error",
    ),
    (
        "adobe_ims_500_internal_error.json",
        500,
        _oauth,
        CloudStatusServerError,
        "internal_error",
    ),
    ("adobe_gateway_403003.json", 403, _oauth, ImsAuthError, "403003"),
]


def _assert_error(
    err: CloudStatusError, expected: type[CloudStatusError], code: str | None
) -> None:
    assert type(err) is expected
    assert err.error_code == code
    for secret in (CLIENT_SECRET, _pkcs8(), *_key_lines(_pkcs8())):
        assert secret not in str(err)
        assert secret not in repr(err)
    if expected is CloudStatusServerError:
        assert not isinstance(err, CloudStatusAuthError)


@pytest.mark.parametrize(
    ("fixture", "status", "make", "expected", "code"),
    OWN_ERROR_CASES,
    ids=[f"{case[0]}-{case[2].__name__}" for case in OWN_ERROR_CASES],
)
async def test_ims_error_bodies(
    session: aiohttp.ClientSession,
    ims: FakeIms,
    fixture: str,
    status: int,
    make: ProviderFactory,
    expected: type[CloudStatusError],
    code: str,
) -> None:
    """Each IMS error body maps to the documented exception, with IMS's code and text."""
    body = load_fixture(fixture)
    ims.answer(body, status=status)
    provider = make(session)

    with pytest.raises(CloudStatusError) as caught:
        await provider.async_get_token()

    _assert_error(caught.value, expected, code)
    description = json.loads(body).get("error_description") or json.loads(body).get(
        "message"
    )
    assert caught.value.detail == description
    assert provider.expires_in is None


SHARED_IMS = SHARED_PAYLOADS / "adobe_ims"
# The real bodies people got from IMS (see shared/payloads/SOURCES.md).
SHARED_ERROR_CASES = [
    (
        "exchange_jwt_400_invalid_token_signature_bindings_REAL.json",
        400,
        _jwt,
        JwtCredentialsRejectedError,
        "invalid_token",
    ),
    (
        "exchange_jwt_400_invalid_token_incorrectly_formatted_REAL.json",
        400,
        _jwt,
        JwtCredentialsRejectedError,
        "invalid_token",
    ),
    (
        "exchange_jwt_400_invalid_scope_metascopes_not_subset_REAL.json",
        400,
        _jwt,
        JwtCredentialsRejectedError,
        "invalid_scope",
    ),
    (
        "exchange_jwt_400_invalid_scope_metascopes_not_subset_REAL.json",
        400,
        _oauth,
        ImsAuthError,
        "invalid_scope",
    ),
    (
        "exchange_jwt_500_internal_error_after_s2s_migration_REAL.json",
        500,
        _jwt,
        CloudStatusServerError,
        "internal_error",
    ),
    ("gateway_403_api_key_invalid_REAL.json", 403, _jwt, ImsAuthError, "403003"),
]


def _shared(path: Path) -> str:
    if not path.is_file():
        pytest.skip(f"shared payload {path.name} is not available")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "status", "make", "expected", "code"),
    SHARED_ERROR_CASES,
    ids=[f"{case[0]}-{case[2].__name__}" for case in SHARED_ERROR_CASES],
)
async def test_real_ims_error_bodies(
    session: aiohttp.ClientSession,
    ims: FakeIms,
    name: str,
    status: int,
    make: ProviderFactory,
    expected: type[CloudStatusError],
    code: str,
) -> None:
    """The real error bodies from IMS map like our own fixtures."""
    body = _shared(SHARED_IMS / name)
    ims.answer(body, status=status)

    with pytest.raises(CloudStatusError) as caught:
        await make(session).async_get_token()

    _assert_error(caught.value, expected, code)
    assert caught.value.detail
    assert caught.value.detail in body


@pytest.mark.parametrize(
    ("name", "make", "lifetime"),
    [
        ("token_v3_client_credentials_200_DOC_EXAMPLE.json", _oauth, 86399.0),
        ("exchange_jwt_200_DOC_EXAMPLE.json", _jwt, 86399.999),
    ],
)
async def test_documented_success_bodies(
    session: aiohttp.ClientSession,
    ims: FakeIms,
    clock: FakeClock,
    name: str,
    make: ProviderFactory,
    lifetime: float,
) -> None:
    """Adobe's documented answers: seconds from /token/v3, milliseconds from the exchange."""
    body = _shared(SHARED_IMS / name)
    ims.answer(body)
    provider = make(session, clock)

    assert await provider.async_get_token() == json.loads(body)["access_token"]
    assert provider.expires_in == pytest.approx(lifetime)


@pytest.mark.parametrize(
    ("name", "make", "lifetime"),
    [
        ("adobe_ims_token_v3_200.json", _oauth, 86399.0),
        ("adobe_ims_exchange_jwt_200.json", _jwt, 86399.998),
    ],
)
async def test_own_success_bodies(
    session: aiohttp.ClientSession,
    ims: FakeIms,
    clock: FakeClock,
    name: str,
    make: ProviderFactory,
    lifetime: float,
) -> None:
    """Recorded-style success answers give their token and lifetime."""
    body = load_fixture(name)
    ims.answer(body)
    provider = make(session, clock)

    assert await provider.async_get_token() == json.loads(body)["access_token"]
    assert provider.expires_in == pytest.approx(lifetime)


@pytest.mark.parametrize(
    ("status", "expected", "code"),
    [
        (400, CloudStatusServerError, None),
        (401, ImsAuthError, None),
        (403, ImsAuthError, None),
        (500, CloudStatusServerError, None),
        (502, CloudStatusServerError, None),
    ],
)
@pytest.mark.parametrize(
    "body", ["", "<html>Bad Gateway</html>"], ids=["empty", "html"]
)
@pytest.mark.parametrize("make", [_oauth, _jwt])
async def test_error_without_json_body(
    session: aiohttp.ClientSession,
    ims: FakeIms,
    status: int,
    expected: type[CloudStatusError],
    code: str | None,
    body: str,
    make: ProviderFactory,
) -> None:
    """Empty or HTML error bodies still map by status alone."""
    ims.answer(body, status=status)

    with pytest.raises(CloudStatusError) as caught:
        await make(session).async_get_token()

    _assert_error(caught.value, expected, code)
    assert caught.value.detail is None


async def test_server_error_keeps_status(
    session: aiohttp.ClientSession, ims: FakeIms
) -> None:
    """The 500 after a JWT-to-OAuth migration is temporary, with its HTTP status."""
    ims.answer(load_fixture("adobe_ims_500_internal_error.json"), status=500)

    with pytest.raises(CloudStatusServerError) as caught:
        await _jwt(session).async_get_token()

    assert caught.value.status == 500
    assert caught.value.error_code == "internal_error"
    assert caught.value.detail == "Temporary failure, retry in a moment"


async def test_rate_limited(session: aiohttp.ClientSession, ims: FakeIms) -> None:
    """A 429 from IMS is a rate limit with its Retry-After."""
    ims.answer("", status=429, **{"Retry-After": "30"})

    with pytest.raises(CloudStatusRateLimitError) as caught:
        await _oauth(session).async_get_token()

    assert caught.value.retry_after == 30


async def test_transport_errors_pass_through(
    session: aiohttp.ClientSession, ims: FakeIms
) -> None:
    """Connection trouble is the shared HTTP layer's error, unchanged."""
    ims.queue.append(aiohttp.ClientConnectionError("reset"))

    with pytest.raises(CloudStatusError) as caught:
        await _oauth(session).async_get_token()

    assert not isinstance(caught.value, CloudStatusAuthError)
    assert "ClientConnectionError" in str(caught.value)


@pytest.mark.parametrize(
    "payload",
    [
        {"token_type": "bearer", "expires_in": 86399},
        {"access_token": "", "expires_in": 86399},
        {"access_token": None, "expires_in": 86399},
        {"access_token": 12345, "expires_in": 86399},
        {"access_token": "two words", "expires_in": 86399},
        {"access_token": "line\nbreak", "expires_in": 86399},
        {"access_token": "caf\u00e9", "expires_in": 86399},
        {"access_token": "tok"},
        {"access_token": "tok", "expires_in": None},
        {"access_token": "tok", "expires_in": 0},
        {"access_token": "tok", "expires_in": -5},
        {"access_token": "tok", "expires_in": True},
        {"access_token": "tok", "expires_in": "soon"},
        {"access_token": "tok", "expires_in": "1.5"},
        {"access_token": "tok", "expires_in": [86399]},
        # int() refuses 5000 digits; 400 digits overflow a float.
        {"access_token": "tok", "expires_in": "9" * 5000},
        {"access_token": "tok", "expires_in": "9" * 400},
        ["access_token", "tok"],
        "tok",
    ],
)
async def test_unusable_success_body(
    session: aiohttp.ClientSession, ims: FakeIms, payload: Any
) -> None:
    """A 200 without a usable token or lifetime is a parse error."""
    ims.answer(payload)

    with pytest.raises(CloudStatusParseError):
        await _oauth(session).async_get_token()


@pytest.mark.parametrize(
    "body", ["access_token=secret-token-value&expires_in=1", "{", ""]
)
async def test_non_json_success_body_is_not_quoted(
    session: aiohttp.ClientSession, ims: FakeIms, body: str
) -> None:
    """A 200 that is not JSON is a parse error that does not quote the body."""
    ims.answer(body)

    with pytest.raises(CloudStatusParseError) as caught:
        await _oauth(session).async_get_token()

    assert "secret-token-value" not in str(caught.value)
    assert caught.value.__cause__ is None


async def test_non_finite_lifetime_is_refused(
    session: aiohttp.ClientSession, ims: FakeIms
) -> None:
    """An infinite expires_in (1e999 decodes to inf) would cache forever: refused."""
    ims.answer('{"access_token": "tok", "expires_in": 1e999}')

    with pytest.raises(CloudStatusParseError):
        await _oauth(session).async_get_token()


async def test_lifetime_as_text(
    session: aiohttp.ClientSession, ims: FakeIms, clock: FakeClock
) -> None:
    """An expires_in sent as decimal text is still read."""
    ims.answer({"access_token": "tok", "expires_in": "86399999"})
    provider = _jwt(session, clock)

    assert await provider.async_get_token() == "tok"
    assert provider.expires_in == pytest.approx(86399.999)


# --- secrets stay secret -------------------------------------------------------------------


async def test_secrets_absent_from_repr_and_logs(
    session: aiohttp.ClientSession, ims: FakeIms, caplog: pytest.LogCaptureFixture
) -> None:
    """repr() and log lines carry no secret, key, JWT or token."""
    caplog.set_level(logging.DEBUG)
    oauth = _oauth(session)
    service_account = _jwt(session)
    await oauth.async_get_token()
    await service_account.async_get_token()
    jwt_sent = ims.calls[1][2]["jwt_token"]

    texts = [repr(oauth), repr(service_account), str(oauth), caplog.text]
    for text in texts:
        assert CLIENT_SECRET not in text
        assert "token-1" not in text
        assert "token-2" not in text
        assert jwt_sent not in text
        for line in _key_lines(_pkcs8()):
            assert line not in text
    assert "OAuthServerToServerTokenProvider" in repr(oauth)
    assert "token=cached" in repr(oauth)
    assert "token=none" in repr(_oauth(session))
    assert "New IMS token" in caplog.text

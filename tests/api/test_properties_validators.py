"""Property-based tests of the address normalizers and the other input validators.

What people type or paste (addresses, job ids, IMS hosts, scope lists, locales, private
keys) is refused only with the validator's own error (`InvalidUrlError`,
`InvalidJobIdError`, `InvalidPrivateKeyError`), never with whatever a library raises; what
is accepted has the documented form.
"""

from __future__ import annotations

import re
from typing import Any

from aiohttp.http_writer import _serialize_headers
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from hypothesis import example, given, strategies as st
from multidict import CIMultiDict
from yarl import URL

from custom_components.cloud_status.api.adobe_ims import (
    InvalidPrivateKeyError,
    load_private_key,
    normalize_ims_host,
    parse_scopes,
)
from custom_components.cloud_status.api.adobe_status import (
    FALLBACK_LOCALE,
    locale_candidates,
)
from custom_components.cloud_status.api.cloudsigma import normalize_cloudsigma_url
from custom_components.cloud_status.api.http import (
    Validators,
    is_header_value,
    is_host_name,
)
from custom_components.cloud_status.api.photoshop import (
    InvalidJobIdError,
    base64_decoded_size,
    parse_job_id,
)
from custom_components.cloud_status.api.ratelimit import MAX_PAUSE, RequestSpacer
from custom_components.cloud_status.api.statuspage import (
    InvalidUrlError,
    base_url_string,
    normalize_page_url,
)
from custom_components.cloud_status.const import CONF_SCOPES
from custom_components.cloud_status.validation import clean_text_fields

from .conftest import HEADER_VALUES, accepted, odd_strings, ran, response_headers

# --- addresses --------------------------------------------------------------------------

SCHEMES = ("", "https://", "http://", "HTTPS://", "ftp://", "//", "javascript:", "://")
USERINFO = ("", "", "", "user@", "user:secret@", "@", ":@")
HOSTS = (
    "status.example.com",
    "statuspage.cloudsigma.com",
    "www.githubstatus.com",
    "xn--",
    "xn--a",
    "xn--zz.com",
    "xn--nxasmq6b.com",
    "b\u00fccher.example",
    "\u0000.com",
    "a..b",
    ".",
    "..",
    "-a-.com",
    "a" * 64 + ".com",
    ("a" * 60 + ".") * 5 + "com",
    "%41.com",
    "ex%zzample.com",
    "127.0.0.1",
    "999.1.1.1",
    "[::1]",
    "[::1",
    "::1]",
    "[fe80::1%25eth0]",
    "[v1.x]",
    "\u2024.com",
    "\uff0e.com",
    "exa_mple.com",
    "",
)
PORTS = ("", "", ":443", ":0", ":65535", ":65536", ":-1", ":abc", ":", ":" + "9" * 30)
PATHS = (
    "",
    "/",
    "//",
    "/api/v2/summary.json",
    "/prefix/api/v2/components.json",
    "/api/v1/status",
    "/a/api/v1",
    "/api/v1x",
    "/%2e%2e/",
    "/%zz",
    "/\u00e4",
    "/a?b=1",
    "/a#frag",
    "?only=query",
    "#only",
)


@st.composite
def addresses(draw: st.DrawFn) -> str:
    """Addresses as people type them: real ones, near misses and odd pieces."""
    parts = (
        draw(st.sampled_from(SCHEMES)),
        draw(st.sampled_from(USERINFO)),
        draw(st.one_of(st.sampled_from(HOSTS), st.text(max_size=12))),
        draw(st.sampled_from(PORTS)),
        draw(st.one_of(st.sampled_from(PATHS), st.text(max_size=12))),
    )
    padding = draw(st.sampled_from(("", " ", "\t", "\n")))
    return padding + "".join(parts) + padding


any_address = st.one_of(addresses(), st.text(max_size=40), odd_strings)


def _check_base_url(raw: str, normalize: Any, name: str) -> None:
    ran(name)
    try:
        url = normalize(raw)
    except InvalidUrlError as err:
        refusal = str(err)
    else:
        refusal = None
    if refusal is not None:
        # The refusal quotes the input only when it cannot hold a credential.
        assert "@" not in refusal or "@" not in raw
        return
    assert url.scheme in {"http", "https"}, url
    assert url.host, url
    assert url.raw_host == url.raw_host.lower(), url
    assert url.user is None, url
    assert url.password is None, url
    assert not url.query_string, url
    assert not url.fragment, url
    stored = base_url_string(url)
    assert not stored.endswith("/"), stored
    # What is stored normalizes to itself.
    assert base_url_string(normalize(stored)) == stored, stored
    accepted(name)


# The IDNA codec once raised UnicodeError out of the normalizers for these.
@given(raw=any_address)
@example(raw="http://xn--")
@example(raw="xn--a.com")
@example(raw="https://\u00e4.xn--/")
# yarl lower-cases a host only where IDNA 2008 applies: not for a label it leaves to
# IDNA 2003 (a symbol), so "Status" stayed capitalized and did not match "status".
@example(raw="Status.\u2603.com")
def test_normalize_page_url(raw: str) -> None:
    """A Statuspage address is refused with InvalidUrlError or becomes a base URL."""
    _check_base_url(raw, normalize_page_url, "statuspage.normalize_page_url")


@given(raw=any_address)
@example(raw="http://xn--")
@example(raw="https://xn--zz.com/api/v1/status")
@example(raw="https://Status.\u2603.com/api/v1/status")
def test_normalize_cloudsigma_url(raw: str) -> None:
    """A CloudSigma address is refused with InvalidUrlError or becomes a base URL."""
    _check_base_url(
        raw, normalize_cloudsigma_url, "cloudsigma.normalize_cloudsigma_url"
    )


# --- Adobe IMS --------------------------------------------------------------------------


IMS_HOSTS = ("ims-na1.adobelogin.com", "IMS-NA1-STG1.adobelogin.com", "x", "127.0.0.1")


@given(host=st.one_of(st.text(max_size=30), odd_strings))
def test_normalize_ims_host(host: str) -> None:
    """Whatever is typed, the IMS host normalizes to lower-case text (the flow checks it)."""
    ran("adobe_ims.normalize_ims_host")
    result = normalize_ims_host(host)
    assert result
    assert result == result.lower()
    accepted("adobe_ims.normalize_ims_host")


@given(
    scheme=st.sampled_from(("", "https://", "http://", "HTTPS://")),
    host=st.sampled_from(IMS_HOSTS),
    slashes=st.sampled_from(("", "/", "//")),
    padding=st.sampled_from(("", " ", "\t", "\n")),
)
def test_normalize_ims_host_pasted(
    scheme: str, host: str, slashes: str, padding: str
) -> None:
    """A host pasted with a scheme, slashes or blanks around it gives the bare host."""
    ran("adobe_ims.normalize_ims_host")
    result = normalize_ims_host(f"{padding}{scheme}{host}{slashes}{padding}")
    assert result == host.lower()
    assert normalize_ims_host(result) == result
    accepted("adobe_ims.normalize_ims_host")


@given(
    text=st.one_of(
        st.text(max_size=40),
        st.lists(
            st.sampled_from(
                ("openid", "AdobeID", "a", "", " ", ",", ",,", "\t", "\u3000")
            ),
            max_size=8,
        ).map("".join),
    )
)
def test_parse_scopes(text: str) -> None:
    """Scopes are unique, non-blank and hold no separator."""
    ran("adobe_ims.parse_scopes")
    scopes = parse_scopes(text)
    assert len(set(scopes)) == len(scopes)
    for scope in scopes:
        assert scope
        assert not re.search(r"[,\s]", scope), scope
    accepted("adobe_ims.parse_scopes")


@given(
    fields=st.dictionaries(
        st.sampled_from(("client_id", "client_secret", CONF_SCOPES, "other")),
        st.one_of(st.text(max_size=30), st.none(), st.booleans()),
    )
)
def test_clean_text_fields(fields: dict[str, Any]) -> None:
    """The form cleaner strips text fields and always leaves a scope list."""
    ran("validation.clean_text_fields")
    if not isinstance(fields.get(CONF_SCOPES, ""), str):
        fields[CONF_SCOPES] = ""
    cleaned = clean_text_fields(fields)
    assert cleaned.keys() == fields.keys()
    for value in cleaned.values():
        if isinstance(value, str):
            assert value == value.strip()
    if CONF_SCOPES in cleaned:
        assert parse_scopes(cleaned[CONF_SCOPES])
    accepted("validation.clean_text_fields")


def _pem(key: Any, password: bytes | None = None) -> str:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    ).decode()


# A throwaway test key; 1024 bits load faster than real keys, and that is all it is for.
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505
PEMS = (
    _pem(RSA_KEY),
    RSA_KEY.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode(),
    _pem(RSA_KEY, b"password"),
    _pem(ec.generate_private_key(ec.SECP256R1())),
)


@st.composite
def pasted_keys(draw: st.DrawFn) -> str:
    """Private keys as pasted: whole, escaped, truncated, with junk, or not keys."""
    pem = draw(st.sampled_from(PEMS))
    kind = draw(
        st.sampled_from(("whole", "escaped", "crlf", "truncate", "junk", "text"))
    )
    if kind == "escaped":
        return pem.replace("\n", "\\n")
    if kind == "crlf":
        return pem.replace("\n", "\r\n")
    if kind == "truncate":
        return pem[: draw(st.integers(min_value=0, max_value=len(pem)))]
    if kind == "junk":
        at = draw(st.integers(min_value=0, max_value=len(pem)))
        return pem[:at] + draw(st.one_of(st.text(max_size=4), odd_strings)) + pem[at:]
    if kind == "text":
        return draw(st.one_of(st.text(max_size=60), odd_strings))
    return pem


@given(pem=pasted_keys())
def test_load_private_key(pem: str) -> None:
    """A pasted key loads as an RSA key or is refused with InvalidPrivateKeyError."""
    ran("adobe_ims.load_private_key")
    try:
        key = load_private_key(pem)
    except InvalidPrivateKeyError as err:
        refusal = str(err)
    else:
        refusal = None
    if refusal is not None:
        # The refusal never quotes the key.
        assert "PRIVATE KEY" not in refusal
        assert "MII" not in refusal
        return
    assert isinstance(key, rsa.RSAPrivateKey)
    accepted("adobe_ims.load_private_key")


# --- Adobe Status locales ---------------------------------------------------------------


@given(
    locale=st.one_of(
        st.text(max_size=20),
        odd_strings,
        st.sampled_from(("en", "de-DE", "pt_BR", "zh-Hant-TW", "x", "\u00e4\u00e4")),
    )
)
def test_locale_candidates(locale: str) -> None:
    """Locales to try are safe path segments, ending with English."""
    ran("adobe_status.locale_candidates")
    candidates = locale_candidates(locale)
    assert candidates[-1] == FALLBACK_LOCALE
    assert len(set(candidates)) == len(candidates)
    for candidate in candidates:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", candidate), candidate
    accepted("adobe_status.locale_candidates")


# --- Photoshop job ids ------------------------------------------------------------------

UUIDS = st.uuids().map(str)


def _refusal() -> str:
    try:
        parse_job_id("")
    except InvalidJobIdError as err:
        return str(err)
    raise AssertionError("an empty job id was accepted")


JOB_ID_REFUSAL = _refusal()
JOB_URL_PREFIXES = (
    "",
    "https://photoshop-api.adobe.io/v2/status/",
    "https://image.adobe.io/lrService/status/",
    "https://image.adobe.io/pie/psdService/status/",
    "http://x/sensei/status/",
    "https://x/v1/status/",
    "https://x/v3/status/",
    "ftp://x/v2/status/",
    "https:///v2/status/",
    "https://xn--/v2/status/",
    "https://[::1/v2/status/",
    "https://x:99999/v2/status/",
    "//x/v2/status/",
    "v2/status/",
)


@given(
    text=st.one_of(
        st.text(max_size=50),
        odd_strings,
        st.builds(
            "".join,
            st.tuples(
                st.sampled_from(("", " ", "\n")),
                st.sampled_from(JOB_URL_PREFIXES),
                st.one_of(UUIDS, UUIDS.map(str.upper), st.text(max_size=36)),
                st.sampled_from(("", "/", "//", "?x=1", "#f", "%2F", " ")),
            ),
        ),
    )
)
def test_parse_job_id(text: str) -> None:
    """A job id is a lower-case UUID, or InvalidJobIdError that does not quote it."""
    ran("photoshop.parse_job_id")
    try:
        job_id = parse_job_id(text)
    except InvalidJobIdError as err:
        refusal = str(err)
    else:
        refusal = None
    if refusal is not None:
        # Always the same words: the input (maybe holding a credential) is not quoted.
        assert refusal == JOB_ID_REFUSAL
        return
    assert re.fullmatch(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}", job_id), job_id
    assert job_id in text.lower()
    accepted("photoshop.parse_job_id")


@given(content=st.one_of(st.text(max_size=200), odd_strings))
def test_base64_decoded_size(content: str) -> None:
    """The size of embedded content is a count of bytes, whatever the text."""
    ran("photoshop.base64_decoded_size")
    size = base64_decoded_size(content)
    assert 0 <= size <= len(content)
    accepted("photoshop.base64_decoded_size")


# --- rate-limit pauses ------------------------------------------------------------------


@given(seconds=st.one_of(st.floats(), st.integers(min_value=-(2**70), max_value=2**70)))
def test_spacer_pause(seconds: float) -> None:
    """Any pause a provider asks for keeps the spacer's wait between 0 and a day."""
    ran("ratelimit.RequestSpacer.pause")
    spacer = RequestSpacer(1.0, clock=lambda: 0.0)
    spacer.pause(seconds)
    assert 0.0 <= spacer.wait <= MAX_PAUSE
    accepted("ratelimit.RequestSpacer.pause")


# --- what goes back to a provider -------------------------------------------------------


def _sendable(headers: dict[str, str]) -> bool:
    """Whether aiohttp would write these request headers (its own serializer decides)."""
    try:
        _serialize_headers("GET / HTTP/1.1", CIMultiDict(headers))
    except ValueError:  # UnicodeEncodeError too
        return False
    return True


@given(value=HEADER_VALUES)
def test_is_header_value(value: str) -> None:
    """A value judged fit for a header is one aiohttp sends."""
    ran("http.is_header_value")
    if is_header_value(value):
        assert _sendable({"If-None-Match": value}), value
        accepted("http.is_header_value")


@given(headers=response_headers)
def test_validators(headers: list[tuple[str, str]]) -> None:
    """Whatever validators an answer carries, the next request can be sent."""
    ran("http.Validators")
    validators = Validators()
    validators.remember(CIMultiDict(headers))
    sent = validators.headers()
    assert _sendable(sent), sent
    accepted("http.Validators")


@given(raw=any_address)
def test_is_host_name(raw: str) -> None:
    """Judging the host of any URL yarl builds gives an answer, never an exception."""
    ran("http.is_host_name")
    try:
        url = URL(raw)
    except ValueError:  # yarl's own refusal happens before our check
        return
    assert isinstance(is_host_name(url), bool)
    accepted("http.is_host_name")

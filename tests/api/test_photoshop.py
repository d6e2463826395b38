"""Adobe Photoshop API job status: ids, parsing, error mapping, polling with backoff."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import UTC, datetime
import itertools
import json
import math
import re
from typing import Any
from unittest.mock import MagicMock

import aiohttp
import orjson
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
    CloudStatusNotFoundError,
    CloudStatusParseError,
    CloudStatusRateLimitError,
    CloudStatusResponseTooLargeError,
    CloudStatusServerError,
    CloudStatusTimeoutError,
)
from custom_components.cloud_status.api.adobe_ims import ImsTokenProvider
from custom_components.cloud_status.api.photoshop import (
    BACKOFF_FACTOR,
    BACKOFF_FIRST,
    BACKOFF_MAX,
    JOB_FAILED,
    JOB_PENDING,
    JOB_RUNNING,
    JOB_SUCCEEDED,
    PHOTOSHOP_API_URL,
    RATE_LIMIT_PAUSE,
    InvalidJobIdError,
    JobError,
    JobOutput,
    JobWaitResult,
    PhotoshopAccessDeniedError,
    PhotoshopClient,
    PhotoshopJob,
    PhotoshopJobRejectedError,
    PhotoshopQuotaExhaustedError,
    backoff_delays,
    base64_decoded_size,
    parse_job_id,
    parse_job_status,
)
from custom_components.cloud_status.api.ratelimit import RequestSpacer
from tests.conftest import SHARED_PAYLOADS, load_fixture, load_json_fixture

JOB_ID = "7c1f4e2a-9b3d-4a8e-b6f1-2d5c8e0a3b47"
DOC_JOB_ID = "550e8400-e29b-41d4-a716-446655440000"
CLIENT_ID = "ps-client-3f9a1c7e5b2d4e8fa6c0b1d2e3f4a5b6"
TOKEN_PREFIX = "eyJhbGciOiJSUzI1NiJ9.secret-access-token-"
STATUS_URL = f"https://photoshop-api.adobe.io/v2/status/{JOB_ID}"
PHOTOSHOP_PAYLOADS = SHARED_PAYLOADS / "adobe_photoshop"
T0 = 1000.0

PENDING = "photoshop_status_pending.json"
RUNNING = "photoshop_status_running.json"
SUCCEEDED_URLS = "photoshop_status_succeeded_urls.json"
SUCCEEDED_BASE64 = "photoshop_status_succeeded_embedded_base64.json"
FAILED = "photoshop_status_failed_two_errors.json"
NOT_FOUND = "photoshop_404_unknown_job_id.json"
QUOTA = "photoshop_403_quota.json"
NOT_ENTITLED = "photoshop_403_not_entitled.json"
TOKEN_INVALID = "photoshop_401013.json"
RATE_LIMITED = "photoshop_429_rate_limited.json"


# --- fakes ---------------------------------------------------------------------------


class FakeTokenProvider(ImsTokenProvider):
    """Hands out numbered tokens and remembers which ones an API refused."""

    _method = "fake"

    def __init__(self, session: aiohttp.ClientSession) -> None:
        """Cache tokens for an hour on a clock that never moves."""
        super().__init__(
            session, ims_host="ims.example", clock=lambda: 0.0, cache_key="fake"
        )
        self.issued = 0
        self.invalidated: list[str] = []

    async def _async_request_token(self) -> tuple[str, float]:
        self.issued += 1
        return f"{TOKEN_PREFIX}{self.issued}", 3600.0

    def invalidate(self, token: str) -> None:
        """Record the refused token, then forget it."""
        self.invalidated.append(token)
        super().invalidate(token)


class FakeTime:
    """A clock and a sleep that move it: sleeps are recorded, never waited."""

    def __init__(self) -> None:
        """Start at T0."""
        self.now = T0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        """Return the current reading."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Record the sleep and advance the clock by it."""
        self.sleeps.append(seconds)
        self.now += seconds


@dataclass(frozen=True, slots=True)
class Answer:
    """One queued answer of the fake status endpoint."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] | None = None
    exc: BaseException | None = None


def ok(fixture: str) -> Answer:
    """Answer 200 with a fixture's body."""
    return Answer(body=load_fixture(fixture))


def error(status: int, fixture: str | None = None, **headers: str) -> Answer:
    """Answer an error status with a fixture's body."""
    return Answer(status, load_fixture(fixture) if fixture else "", headers)


class FakePhotoshopApi:
    """The status endpoint: answers from a queue, recording when each request came."""

    def __init__(self, mocker: AiohttpClientMocker, time: FakeTime) -> None:
        """Answer every GET below /v2/status/ from the queue."""
        self.mocker = mocker
        self.time = time
        self.queue: list[Answer] = []
        self.request_times: list[float] = []
        self.latency = 0.0
        mocker.get(URL(STATUS_URL), side_effect=self._answer)

    def answer(self, *answers: Answer) -> None:
        """Queue answers for the next requests."""
        self.queue.extend(answers)

    async def _answer(
        self, method: str, url: URL, data: Any
    ) -> AiohttpClientMockResponse:
        self.request_times.append(self.time.now)
        self.time.now += self.latency
        assert self.queue, f"unexpected request {url}"
        answer = self.queue.pop(0)
        body = answer.body
        text = body if isinstance(body, str) or body is None else json.dumps(body)
        return AiohttpClientMockResponse(
            method,
            url,
            status=answer.status,
            text=text,
            headers={"Content-Type": "application/json", **(answer.headers or {})},
            exc=answer.exc,
        )

    @property
    def calls(self) -> list[Any]:
        """Every request so far: (method, url, data, headers)."""
        return self.mocker.mock_calls


@pytest.fixture
async def session(
    aioclient_mock: AiohttpClientMocker,
) -> AsyncGenerator[aiohttp.ClientSession]:
    """Yield a session whose requests the mocker answers."""
    client_session = aioclient_mock.create_session(asyncio.get_running_loop())
    yield client_session
    await client_session.close()


@pytest.fixture
def fake_time() -> FakeTime:
    """Return the hand-driven clock and sleep."""
    return FakeTime()


@pytest.fixture
def api(aioclient_mock: AiohttpClientMocker, fake_time: FakeTime) -> FakePhotoshopApi:
    """Return the fake status endpoint."""
    return FakePhotoshopApi(aioclient_mock, fake_time)


@pytest.fixture
def tokens(session: aiohttp.ClientSession) -> FakeTokenProvider:
    """Return the fake token provider."""
    return FakeTokenProvider(session)


@pytest.fixture
def spacer(fake_time: FakeTime) -> RequestSpacer:
    """Return a spacer on the fake clock (no spacing: only 429 pauses)."""
    return RequestSpacer(0.0, clock=fake_time, sleep=fake_time.sleep)


@pytest.fixture
def client(
    session: aiohttp.ClientSession, tokens: FakeTokenProvider
) -> PhotoshopClient:
    """Return a client without a spacer."""
    return PhotoshopClient(session, tokens, CLIENT_ID)


@pytest.fixture
def spaced_client(
    session: aiohttp.ClientSession, tokens: FakeTokenProvider, spacer: RequestSpacer
) -> PhotoshopClient:
    """Return a client whose requests go through the spacer."""
    return PhotoshopClient(session, tokens, CLIENT_ID, spacer=spacer)


async def wait(
    client: PhotoshopClient, fake_time: FakeTime, seconds: float
) -> JobWaitResult:
    """Wait for JOB_ID on the fake clock."""
    return await client.wait_for_job(
        JOB_ID, seconds, clock=fake_time, sleep=fake_time.sleep
    )


def assert_no_secret(*texts: str) -> None:
    """No text may hold a token or the x-api-key."""
    for text in texts:
        assert TOKEN_PREFIX not in text
        assert "secret" not in text
        assert CLIENT_ID not in text


# --- parse_job_id --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (DOC_JOB_ID, DOC_JOB_ID),
        ("550E8400-E29B-41D4-A716-446655440000", DOC_JOB_ID),
        ("  550e8400-E29B-41d4-a716-446655440000\n", DOC_JOB_ID),
        (f"https://photoshop-api.adobe.io/v2/status/{DOC_JOB_ID}", DOC_JOB_ID),
        (f"https://image.adobe.io/lrService/status/{DOC_JOB_ID}", DOC_JOB_ID),
        (f"https://image.adobe.io/pie/psdService/status/{DOC_JOB_ID}", DOC_JOB_ID),
        (f"https://image.adobe.io/sensei/status/{DOC_JOB_ID}", DOC_JOB_ID),
        (f"https://image.adobe.io/v1/status/{DOC_JOB_ID}", DOC_JOB_ID),
        (f"https://photoshop-api.adobe.io/v2/status/{DOC_JOB_ID}/", DOC_JOB_ID),
        (f"https://photoshop-api.adobe.io/v2/status/{DOC_JOB_ID}?x=1&y", DOC_JOB_ID),
        (f"https://photoshop-api.adobe.io/v2/status/{DOC_JOB_ID}#result", DOC_JOB_ID),
        (f"http://localhost:8123/v2/status/{DOC_JOB_ID}", DOC_JOB_ID),
        (
            "HTTPS://IMAGE.ADOBE.IO/pie/psdService/status/F54E0FCB-260B-47C3-B520-DE0D17DC2B67",
            "f54e0fcb-260b-47c3-b520-de0d17dc2b67",
        ),
    ],
)
def test_parse_job_id_accepts(raw: str, expected: str) -> None:
    assert parse_job_id(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "not-a-job",
        "550e8400e29b41d4a716446655440000",
        "550e8400-e29b-41d4-a716-44665544000",
        "550e8400-e29b-41d4-a716-4466554400001",
        "550g8400-e29b-41d4-a716-446655440000",
        f"{{{DOC_JOB_ID}}}",
        f"urn:uuid:{DOC_JOB_ID}",
        "550e8400 -e29b-41d4-a716-446655440000",
        f"https://photoshop-api.adobe.io/v2/status/ {DOC_JOB_ID}",
        f"https://photoshop-api.adobe.io/v2/jobs/{DOC_JOB_ID}",
        f"https://photoshop-api.adobe.io/v2/status/{DOC_JOB_ID}/{DOC_JOB_ID}",
        f"https://photoshop-api.adobe.io/v2/status/{DOC_JOB_ID}/output",
        f"https://photoshop-api.adobe.io/v2/status/{DOC_JOB_ID}//",
        f"https://photoshop-api.adobe.io/api/v2/status/{DOC_JOB_ID}",
        f"https://photoshop-api.adobe.io//v2/status/{DOC_JOB_ID}",
        f"https://photoshop-api.adobe.io/V2/STATUS/{DOC_JOB_ID}",
        f"https://photoshop-api.adobe.io/v2/status/%7B{DOC_JOB_ID}%7D",
        "https://photoshop-api.adobe.io/v2/status/not-a-uuid",
        f"https://photoshop-api.adobe.io/?job={DOC_JOB_ID}",
        f"ftp://photoshop-api.adobe.io/v2/status/{DOC_JOB_ID}",
        f"photoshop-api.adobe.io/v2/status/{DOC_JOB_ID}",
        f"/v2/status/{DOC_JOB_ID}",
        f"https:///v2/status/{DOC_JOB_ID}",
        f"https://photoshop-api.adobe.io:99999/v2/status/{DOC_JOB_ID}",
        f"https://[::1/v2/status/{DOC_JOB_ID}",
    ],
)
def test_parse_job_id_refuses(raw: str) -> None:
    with pytest.raises(InvalidJobIdError) as err:
        parse_job_id(raw)
    assert str(err.value) == "not a Photoshop job id or status URL"


def test_parse_job_id_never_quotes_a_credential() -> None:
    raw = "https://user:hunter2secret@photoshop-api.adobe.io/v2/jobs/x"
    with pytest.raises(InvalidJobIdError) as err:
        parse_job_id(raw)
    assert "hunter2" not in str(err.value)


def test_parse_job_id_takes_the_id_from_a_url_with_user_info() -> None:
    url = f"https://user:pw@photoshop-api.adobe.io/v2/status/{DOC_JOB_ID}"
    assert parse_job_id(url) == DOC_JOB_ID


@pytest.mark.parametrize("raw", [None, 42, b"550e8400-e29b-41d4-a716-446655440000"])
def test_parse_job_id_refuses_non_text(raw: Any) -> None:
    with pytest.raises(InvalidJobIdError):
        parse_job_id(raw)


# --- backoff -------------------------------------------------------------------------


def test_backoff_delays_exact_sequence() -> None:
    delays = list(itertools.islice(backoff_delays(), 12))
    assert delays == [
        2.0,
        3.0,
        4.5,
        6.75,
        10.125,
        15.1875,
        22.78125,
        30.0,
        30.0,
        30.0,
        30.0,
        30.0,
    ]
    assert (BACKOFF_FIRST, BACKOFF_FACTOR, BACKOFF_MAX) == (2.0, 1.5, 30.0)


def test_backoff_delays_stay_capped_forever() -> None:
    delays = list(itertools.islice(backoff_delays(), 1000))
    assert max(delays) == BACKOFF_MAX
    assert delays[-1] == BACKOFF_MAX
    assert delays == sorted(delays)


# --- parsing: recorded-style fixtures ------------------------------------------------


def _parse_fixture(name: str, requested: str = JOB_ID) -> PhotoshopJob:
    return parse_job_status(load_fixture(name).encode(), requested)


def test_parse_pending_and_running() -> None:
    pending = _parse_fixture(PENDING)
    running = _parse_fixture(RUNNING)
    assert (pending.status, running.status) == (JOB_PENDING, JOB_RUNNING)
    assert not pending.finished
    assert not running.finished
    assert pending.job_id == running.job_id == JOB_ID
    assert pending.created == datetime(2026, 3, 2, 9, 14, 7, 412000, tzinfo=UTC)
    assert running.modified == datetime(2026, 3, 2, 9, 14, 9, 868000, tzinfo=UTC)
    assert pending.outputs == running.outputs == ()
    assert pending.errors == running.errors == ()


def test_parse_succeeded_with_url_outputs() -> None:
    job = _parse_fixture(SUCCEEDED_URLS)
    raw_outputs = load_json_fixture(SUCCEEDED_URLS)["result"]["outputs"]
    assert job.status == JOB_SUCCEEDED
    assert job.finished
    assert job.outputs == (
        JobOutput(
            url=raw_outputs[0]["destination"]["url"],
            media_type="image/jpeg",
            content_bytes=None,
        ),
        JobOutput(
            url=raw_outputs[1]["url"], media_type="image/png", content_bytes=None
        ),
    )
    assert [output.as_dict() for output in job.outputs] == [
        {"url": raw_outputs[0]["destination"]["url"], "mediaType": "image/jpeg"},
        {"url": raw_outputs[1]["url"], "mediaType": "image/png"},
    ]


def test_parse_succeeded_with_embedded_base64() -> None:
    raw = load_json_fixture(SUCCEEDED_BASE64)
    content = raw["result"]["outputs"][0]["destination"]["content"]
    png = base64.b64decode(content)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    job = _parse_fixture(SUCCEEDED_BASE64)
    assert job.job_id == raw["jobId"]
    (output,) = job.outputs
    assert output == JobOutput(url=None, media_type="image/png", content_bytes=len(png))
    assert output.as_dict() == {
        "url": None,
        "mediaType": "image/png",
        "content_bytes": len(png),
    }
    assert content not in repr(job)


def test_parse_failed_with_two_errors() -> None:
    job = _parse_fixture(FAILED)
    assert job.status == JOB_FAILED
    assert job.finished
    assert job.outputs == ()
    assert job.errors == (
        JobError(code="400401", message="The value provided is not valid."),
        JobError(code="422404", message="Unable to process outputs."),
    )
    assert [error.as_dict() for error in job.errors] == [
        {"code": "400401", "message": "The value provided is not valid."},
        {"code": "422404", "message": "Unable to process outputs."},
    ]


# --- parsing: Adobe's documented examples ---------------------------------------------


def _doc_example(name: str) -> bytes:
    path = PHOTOSHOP_PAYLOADS / name
    if not path.is_file():
        pytest.skip(f"shared payload {name} is not available")
    return path.read_bytes()


def test_doc_example_succeeded() -> None:
    job = parse_job_status(_doc_example("v2_status_succeeded_DOC_EXAMPLE.json"), "x")
    assert job == PhotoshopJob(
        job_id=DOC_JOB_ID,
        status=JOB_SUCCEEDED,
        created=datetime(2025, 1, 15, 10, 30, tzinfo=UTC),
        modified=datetime(2025, 1, 15, 10, 30, 45, tzinfo=UTC),
        outputs=(
            JobOutput(
                url="https://storage.example.com/output.jpg",
                media_type="image/jpeg",
                content_bytes=None,
            ),
        ),
        errors=(),
    )


def test_doc_example_running() -> None:
    job = parse_job_status(_doc_example("v2_status_running_DOC_EXAMPLE.json"), "x")
    assert job.job_id == DOC_JOB_ID
    assert job.status == JOB_RUNNING
    assert not job.finished
    assert job.modified == datetime(2025, 1, 15, 10, 30, 15, tzinfo=UTC)
    assert (job.outputs, job.errors) == ((), ())


def test_doc_example_failed() -> None:
    job = parse_job_status(_doc_example("v2_status_failed_DOC_EXAMPLE.json"), "x")
    assert job.status == JOB_FAILED
    assert job.errors == (
        JobError(code="400401", message="The value provided is not valid."),
    )


def test_doc_example_failed_two_errors() -> None:
    job = parse_job_status(
        _doc_example("v2_status_failed_two_errors_DOC_EXAMPLE.json"), "x"
    )
    assert [error.code for error in job.errors] == ["400401", "400420"]
    assert job.errors[1].message == "Required fields missing on the API request."


def test_doc_example_embedded_base64_fragment() -> None:
    fragment = orjson.loads(
        _doc_example("v2_status_result_embedded_base64_FRAGMENT_DOC_EXAMPLE.json")
    )
    # The fragment is only the "result" member: give it the rest of an answer.
    body = orjson.dumps({"status": "succeeded", **fragment})
    job = parse_job_status(body, DOC_JOB_ID)
    content = fragment["result"]["outputs"][0]["destination"]["content"]
    # Adobe elided the content with "..."; the dots are no base64 data.
    decoded = base64.b64decode(content.removesuffix("..."))
    assert job.job_id == DOC_JOB_ID
    assert job.created is None
    assert job.outputs == (
        JobOutput(url=None, media_type="image/jpeg", content_bytes=len(decoded)),
    )


# --- parsing: edge cases -------------------------------------------------------------


def _body(**fields: Any) -> bytes:
    return orjson.dumps({"status": "running", **fields})


def _output(**fields: Any) -> PhotoshopJob:
    return parse_job_status(_body(result={"outputs": [fields]}), JOB_ID)


@pytest.mark.parametrize(
    "content",
    [
        load_json_fixture(SUCCEEDED_BASE64)["result"]["outputs"][0]["destination"][
            "content"
        ],
        base64.b64encode(b"a"),
        base64.b64encode(b"ab"),
        base64.b64encode(b"abc"),
        base64.b64encode(bytes(range(256)) * 3),
        base64.b64encode(b""),
    ],
)
def test_base64_size_matches_decoding(content: str | bytes) -> None:
    text = content if isinstance(content, str) else content.decode()
    expected = len(base64.b64decode(text))
    assert base64_decoded_size(text) == expected
    job = _output(destination={"embedded": "base64", "content": text})
    assert job.outputs[0].content_bytes == expected


def test_base64_size_url_safe_and_whitespace() -> None:
    data = bytes(range(256)) * 2
    url_safe = base64.urlsafe_b64encode(data).decode()
    assert "-" in url_safe
    assert "_" in url_safe
    assert base64_decoded_size(url_safe) == len(data)
    wrapped = "\n".join(
        url_safe[index : index + 76] for index in range(0, len(url_safe), 76)
    )
    assert base64_decoded_size(f"  {wrapped}\r\n\t") == len(data)
    unpadded = base64.b64encode(b"abcd").decode().rstrip("=")
    assert base64_decoded_size(unpadded) == 4


def test_embedded_string_and_json_sizes() -> None:
    text = "Grüße, café ☕"
    document = {"document": {"width": 1200, "height": 630}, "layers": [{"id": 1}]}
    layers = [{"name": "Ebene 1"}, {"name": "Hintergrund"}]
    job = parse_job_status(
        _body(
            result={
                "outputs": [
                    {
                        "destination": {"embedded": "string", "content": text},
                        "mediaType": "text/plain",
                    },
                    {
                        "destination": {"embedded": "json", "content": document},
                        "mediaType": "application/json",
                    },
                    {"destination": {"embedded": "json", "content": layers}},
                    {"destination": {"embedded": "json", "content": '{"a": 1}'}},
                ]
            }
        ),
        JOB_ID,
    )
    assert [output.content_bytes for output in job.outputs] == [
        len(text.encode()),
        len(orjson.dumps(document)),
        len(orjson.dumps(layers)),
        len(b'{"a": 1}'),
    ]
    # Bytes, not characters: the text has multi-byte characters.
    assert (job.outputs[0].content_bytes or 0) > len(text)


def test_embedded_content_on_the_output_and_defaults() -> None:
    job = parse_job_status(
        _body(
            result={
                "outputs": [
                    {"destination": {"embedded": "BASE64"}, "content": "QUJD"},
                    {"destination": {"embedded": None}, "content": "plain"},
                    {"destination": {"embedded": "string", "content": None}},
                    {"destination": {"embedded": "string"}},
                    {"destination": {"embedded": "json", "content": 42}},
                    {"content": "not embedded", "mediaType": "text/plain"},
                    {"destination": "s3://bucket/key", "url": 7},
                ]
            }
        ),
        JOB_ID,
    )
    assert [output.content_bytes for output in job.outputs] == [
        3,
        5,
        None,
        None,
        2,
        None,
        None,
    ]
    assert job.outputs[5].as_dict() == {"url": None, "mediaType": "text/plain"}
    assert job.outputs[6] == JobOutput(url=None, media_type=None, content_bytes=None)


def test_embedded_json_too_deep_to_measure() -> None:
    # orjson reads deeper JSON than it writes; the size is then unknown, not an error.
    deep = b"[" * 300 + b"]" * 300
    body = (
        b'{"status":"succeeded","result":{"outputs":[{"destination":'
        b'{"embedded":"json","content":' + deep + b"}}]}}"
    )
    job = parse_job_status(body, JOB_ID)
    assert job.outputs == (JobOutput(url=None, media_type=None, content_bytes=None),)


def test_url_prefers_the_output_over_the_destination() -> None:
    job = _output(
        url="https://a.example/out.jpg", destination={"url": "https://b.example/x"}
    )
    assert job.outputs[0].url == "https://a.example/out.jpg"


def test_outputs_as_a_single_object_and_non_objects_skipped() -> None:
    single = parse_job_status(
        _body(result={"outputs": {"url": "https://a.example/o.png"}}), JOB_ID
    )
    assert [output.url for output in single.outputs] == ["https://a.example/o.png"]
    mixed = parse_job_status(
        _body(
            result={"outputs": ["x", None, 3, {"mediaType": "image/png"}, []]},
            errorDetails=[
                "boom",
                {"errorCode": 500600, "message": "Internal server error"},
                None,
                {"errorCode": True, "message": ""},
                {},
            ],
        ),
        JOB_ID,
    )
    assert [output.media_type for output in mixed.outputs] == ["image/png"]
    assert mixed.errors == (
        JobError(code="500600", message="Internal server error"),
        JobError(code=None, message=None),
        JobError(code=None, message=None),
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"result": None},
        {"result": "done"},
        {"result": []},
        {"result": {"outputs": None}},
        {"result": {"outputs": "https://a.example/x"}},
        {"result": {}},
        {"errorDetails": "bad"},
        {"errorDetails": None},
    ],
)
def test_odd_result_and_error_shapes_are_empty(fields: dict[str, Any]) -> None:
    job = parse_job_status(_body(**fields), JOB_ID)
    assert (job.outputs, job.errors) == ((), ())


def test_error_details_as_a_single_object() -> None:
    job = parse_job_status(
        _body(errorDetails={"errorCode": "403421", "message": "Quota exhausted"}),
        JOB_ID,
    )
    assert job.errors == (JobError(code="403421", message="Quota exhausted"),)


@pytest.mark.parametrize(
    ("status", "finished"),
    [
        ("not_started", False),
        ("queued", False),
        ("Succeeded", True),
        ("FAILED", True),
        ("partially_succeeded", False),
    ],
)
def test_unknown_and_odd_cased_statuses_are_kept(status: str, finished: bool) -> None:
    job = parse_job_status(orjson.dumps({"status": status}), JOB_ID)
    assert job.status == status
    assert job.finished is finished


def test_missing_job_id_and_times() -> None:
    job = parse_job_status(
        orjson.dumps(
            {
                "status": "pending",
                "jobId": "",
                "createdTime": "yesterday",
                "modifiedTime": 1767225600000,
            }
        ),
        JOB_ID,
    )
    assert job.job_id == JOB_ID
    assert job.created is None
    assert job.modified == datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html><body>502 Bad Gateway</body></html>", "not JSON"),
        (b'{"jobId": "7c1f4e2a", "status": "runn', "not JSON"),
        (b"", "not JSON"),
        (b"[]", "not an object"),
        (b'"succeeded"', "not an object"),
        (b'{"jobId": "7c1f4e2a"}', "no 'status'"),
        (b'{"status": null}', "no 'status'"),
        (b'{"status": ""}', "no 'status'"),
        (b'{"status": 3}', "no 'status'"),
        (b'{"status": {"state": "running"}}', "no 'status'"),
    ],
)
def test_parse_errors(body: bytes, message: str) -> None:
    with pytest.raises(CloudStatusParseError, match=message):
        parse_job_status(body, JOB_ID)


def test_job_is_frozen() -> None:
    job = _parse_fixture(RUNNING)
    with pytest.raises(AttributeError):
        job.status = "failed"  # type: ignore[misc]


# --- client: the request -------------------------------------------------------------


async def test_get_job_sends_the_documented_request(
    client: PhotoshopClient, api: FakePhotoshopApi, tokens: FakeTokenProvider
) -> None:
    api.answer(ok(SUCCEEDED_URLS))
    job = await client.get_job(JOB_ID)
    assert job.status == JOB_SUCCEEDED
    assert len(job.outputs) == 2
    ((method, url, _data, headers),) = api.calls
    assert method.upper() == "GET"
    assert url == URL(STATUS_URL)
    assert headers["Authorization"] == f"Bearer {TOKEN_PREFIX}1"
    assert headers["x-api-key"] == CLIENT_ID
    assert headers["Accept"] == "application/json"
    assert tokens.invalidated == []


async def test_get_job_uses_the_requested_id_when_the_body_has_none(
    client: PhotoshopClient, api: FakePhotoshopApi
) -> None:
    api.answer(Answer(body={"status": "pending"}))
    job = await client.get_job(JOB_ID)
    assert job.job_id == JOB_ID


async def test_get_job_quotes_the_id_as_one_segment(
    session: aiohttp.ClientSession,
    tokens: FakeTokenProvider,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    client = PhotoshopClient(
        session, tokens, CLIENT_ID, base_url=URL("https://ps.example/prefix")
    )
    aioclient_mock.get(re.compile(r"^https://ps\.example/"), json={"status": "x"})
    await client.get_job("../a/b?c#d")
    await client.get_job("..")
    assert [call[1].raw_path for call in aioclient_mock.mock_calls] == [
        "/prefix/v2/status/%2E%2E%2Fa%2Fb%3Fc%23d",
        "/prefix/v2/status/%2E%2E",
    ]
    assert all(not call[1].query_string for call in aioclient_mock.mock_calls)


async def test_client_repr_has_no_secret(
    client: PhotoshopClient, api: FakePhotoshopApi
) -> None:
    api.answer(ok(RUNNING))
    await client.get_job(JOB_ID)
    text = repr(client)
    assert "photoshop-api.adobe.io" in text
    assert_no_secret(text)


async def test_request_timeout_is_passed_on(
    session: aiohttp.ClientSession,
    tokens: FakeTokenProvider,
    api: FakePhotoshopApi,
) -> None:
    client = PhotoshopClient(session, tokens, CLIENT_ID, request_timeout=7.5)
    api.answer(Answer(exc=TimeoutError()))
    with pytest.raises(CloudStatusTimeoutError, match=r"7\.5 s") as err:
        await client.get_job(JOB_ID)
    assert_no_secret(str(err.value), repr(err.value))


# --- client: error mapping -----------------------------------------------------------


async def test_401_once_renews_the_token(
    client: PhotoshopClient, api: FakePhotoshopApi, tokens: FakeTokenProvider
) -> None:
    api.answer(error(401, TOKEN_INVALID), ok(RUNNING))
    job = await client.get_job(JOB_ID)
    assert job.status == JOB_RUNNING
    assert [call[3]["Authorization"] for call in api.calls] == [
        f"Bearer {TOKEN_PREFIX}1",
        f"Bearer {TOKEN_PREFIX}2",
    ]
    assert tokens.invalidated == [f"{TOKEN_PREFIX}1"]


async def test_401_twice_is_an_auth_error(
    client: PhotoshopClient, api: FakePhotoshopApi, tokens: FakeTokenProvider
) -> None:
    api.answer(error(401, TOKEN_INVALID), error(401, TOKEN_INVALID))
    with pytest.raises(CloudStatusAuthError) as err:
        await client.get_job(JOB_ID)
    assert err.value.status == 401
    assert err.value.error_code == "401013"
    assert err.value.detail == "Oauth token is not valid"
    assert len(api.calls) == 2
    assert tokens.issued == 2
    assert_no_secret(str(err.value), repr(err.value))


@pytest.mark.parametrize(
    ("answer", "error_code", "detail"),
    [
        (
            error(403, QUOTA),
            "unauthorized_forbidden",
            "The quota for the calling user has exhausted",
        ),
        (
            Answer(403, {"error_code": "403421", "message": "Forbidden"}),
            "403421",
            "Forbidden",
        ),
        (
            Answer(403, {"message": "Monthly QUOTA reached"}),
            None,
            "Monthly QUOTA reached",
        ),
    ],
)
async def test_403_quota(
    client: PhotoshopClient,
    api: FakePhotoshopApi,
    tokens: FakeTokenProvider,
    answer: Answer,
    error_code: str | None,
    detail: str,
) -> None:
    api.answer(answer)
    with pytest.raises(PhotoshopQuotaExhaustedError) as err:
        await client.get_job(JOB_ID)
    assert not isinstance(err.value, CloudStatusAuthError)
    assert (err.value.error_code, err.value.detail) == (error_code, detail)
    assert len(api.calls) == 1
    assert tokens.invalidated == []
    assert_no_secret(str(err.value), repr(err.value))


@pytest.mark.parametrize(
    "answer",
    [
        error(403, NOT_ENTITLED),
        Answer(403, {"error_code": "403401", "message": "User not authorized"}),
        Answer(403, "<html>Forbidden</html>"),
    ],
)
async def test_403_other_is_access_denied_without_refresh(
    client: PhotoshopClient,
    api: FakePhotoshopApi,
    tokens: FakeTokenProvider,
    answer: Answer,
) -> None:
    api.answer(answer)
    with pytest.raises(PhotoshopAccessDeniedError) as err:
        await client.get_job(JOB_ID)
    assert not isinstance(err.value, CloudStatusAuthError)
    assert isinstance(err.value.__cause__, CloudStatusAuthError)
    assert len(api.calls) == 1
    assert tokens.issued == 1
    assert tokens.invalidated == []
    assert_no_secret(str(err.value), repr(err.value))


async def test_403_not_entitled_keeps_the_provider_text(
    client: PhotoshopClient, api: FakePhotoshopApi
) -> None:
    api.answer(error(403, NOT_ENTITLED))
    with pytest.raises(PhotoshopAccessDeniedError) as err:
        await client.get_job(JOB_ID)
    assert err.value.error_code == "unauthorized_forbidden"
    assert err.value.detail == "The user is not entitled to call this service"
    assert "not entitled" in str(err.value)


async def test_401_then_403_is_access_denied(
    client: PhotoshopClient, api: FakePhotoshopApi, tokens: FakeTokenProvider
) -> None:
    api.answer(error(401, TOKEN_INVALID), error(403, NOT_ENTITLED))
    with pytest.raises(PhotoshopAccessDeniedError):
        await client.get_job(JOB_ID)
    assert tokens.invalidated == [f"{TOKEN_PREFIX}1"]


async def test_400_is_a_rejected_job_id(
    client: PhotoshopClient, api: FakePhotoshopApi, tokens: FakeTokenProvider
) -> None:
    api.answer(
        Answer(400, {"error_code": "validation_error", "message": "Validation failed"})
    )
    with pytest.raises(PhotoshopJobRejectedError) as err:
        await client.get_job(JOB_ID)
    assert not isinstance(err.value, CloudStatusConnectionError)
    assert err.value.error_code == "validation_error"
    assert err.value.detail == "Validation failed"
    assert tokens.invalidated == []
    assert_no_secret(str(err.value), repr(err.value))


async def test_404_is_not_found(client: PhotoshopClient, api: FakePhotoshopApi) -> None:
    api.answer(error(404, NOT_FOUND))
    with pytest.raises(CloudStatusNotFoundError) as err:
        await client.get_job(JOB_ID)
    assert (err.value.error_code, err.value.detail) == (
        "unknown_job_id",
        "Job not found",
    )
    assert_no_secret(str(err.value), repr(err.value))


@pytest.mark.parametrize("status", [500, 502, 503, 422])
async def test_server_errors_are_connection_errors(
    client: PhotoshopClient, api: FakePhotoshopApi, status: int
) -> None:
    api.answer(
        Answer(status, {"error_code": "runtime_error", "message": "Please try again."})
    )
    with pytest.raises(CloudStatusServerError) as err:
        await client.get_job(JOB_ID)
    assert isinstance(err.value, CloudStatusConnectionError)
    assert err.value.status == status
    assert err.value.error_code == "runtime_error"
    assert_no_secret(str(err.value), repr(err.value))


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (TimeoutError(), CloudStatusTimeoutError),
        (aiohttp.ClientConnectionError("reset"), CloudStatusConnectionError),
        (aiohttp.ServerDisconnectedError(), CloudStatusConnectionError),
    ],
)
async def test_transport_errors(
    client: PhotoshopClient,
    api: FakePhotoshopApi,
    exc: BaseException,
    kind: type[CloudStatusError],
) -> None:
    api.answer(Answer(exc=exc))
    with pytest.raises(kind) as err:
        await client.get_job(JOB_ID)
    assert_no_secret(str(err.value), repr(err.value))


@pytest.mark.parametrize(
    "body",
    [
        "<!DOCTYPE html><html><body>Service Unavailable</body></html>",
        '{"jobId": "7c1f4e2a-9b3d-4a8e-b6f1-2d5c8e0a3b47", "status": "runn',
        '{"jobId": "7c1f4e2a-9b3d-4a8e-b6f1-2d5c8e0a3b47"}',
    ],
)
async def test_bad_answers_are_parse_errors(
    client: PhotoshopClient, api: FakePhotoshopApi, body: str
) -> None:
    api.answer(Answer(body=body))
    with pytest.raises(CloudStatusParseError) as err:
        await client.get_job(JOB_ID)
    assert_no_secret(str(err.value), repr(err.value))


async def test_429_without_spacer(
    client: PhotoshopClient, api: FakePhotoshopApi
) -> None:
    api.answer(error(429, RATE_LIMITED, **{"Retry-After": "12"}))
    with pytest.raises(CloudStatusRateLimitError) as err:
        await client.get_job(JOB_ID)
    assert err.value.retry_after == 12.0
    assert err.value.error_code == "unauthorized_rate_limited"
    assert_no_secret(str(err.value), repr(err.value))


@pytest.mark.parametrize(
    ("headers", "pause"),
    [
        ({"Retry-After": "120"}, 120.0),
        ({}, RATE_LIMIT_PAUSE),
        ({"Retry-After": "not a number"}, RATE_LIMIT_PAUSE),
        ({"Retry-After": "0"}, 0.0),
    ],
)
async def test_429_pauses_the_spacer(
    spaced_client: PhotoshopClient,
    api: FakePhotoshopApi,
    spacer: RequestSpacer,
    fake_time: FakeTime,
    headers: dict[str, str],
    pause: float,
) -> None:
    api.answer(error(429, RATE_LIMITED, **headers))
    with pytest.raises(CloudStatusRateLimitError):
        await spaced_client.get_job(JOB_ID)
    assert spacer.wait == pause
    assert RATE_LIMIT_PAUSE == 60.0
    # The next request waits out the pause, then goes.
    api.answer(ok(RUNNING))
    job = await spaced_client.get_job(JOB_ID)
    assert job.status == JOB_RUNNING
    assert fake_time.sleeps == ([pause] if pause else [])
    assert api.request_times == [T0, T0 + pause]


async def test_paused_spacer_longer_than_max_wait_raises_without_a_request(
    spaced_client: PhotoshopClient,
    api: FakePhotoshopApi,
    spacer: RequestSpacer,
    fake_time: FakeTime,
) -> None:
    spacer.pause(45.0)
    with pytest.raises(CloudStatusRateLimitError) as err:
        await spaced_client.get_job(JOB_ID, max_wait=10.0)
    assert err.value.retry_after == 45.0
    assert api.calls == []
    assert fake_time.sleeps == []


async def test_every_attempt_takes_a_spacer_slot(
    session: aiohttp.ClientSession,
    tokens: FakeTokenProvider,
    api: FakePhotoshopApi,
    fake_time: FakeTime,
) -> None:
    spacer = RequestSpacer(1.0, clock=fake_time, sleep=fake_time.sleep)
    client = PhotoshopClient(session, tokens, CLIENT_ID, spacer=spacer)
    api.answer(error(401, TOKEN_INVALID), ok(RUNNING))
    await client.get_job(JOB_ID)
    assert fake_time.sleeps == [1.0]
    assert api.request_times == [T0, T0 + 1.0]


# --- wait_for_job --------------------------------------------------------------------


async def test_wait_pending_running_succeeded(
    client: PhotoshopClient, api: FakePhotoshopApi, fake_time: FakeTime
) -> None:
    api.answer(ok(PENDING), ok(RUNNING), ok(SUCCEEDED_URLS))
    result = await wait(client, fake_time, 300)
    assert result.timed_out is False
    assert result.job.status == JOB_SUCCEEDED
    assert len(result.job.outputs) == 2
    assert fake_time.sleeps == [2.0, 3.0]
    assert api.request_times == [T0, T0 + 2.0, T0 + 5.0]


async def test_wait_until_failed(
    client: PhotoshopClient, api: FakePhotoshopApi, fake_time: FakeTime
) -> None:
    api.answer(ok(PENDING), ok(RUNNING), ok(RUNNING), ok(RUNNING), ok(FAILED))
    result = await wait(client, fake_time, 300)
    assert result == JobWaitResult(job=_parse_fixture(FAILED), timed_out=False)
    assert fake_time.sleeps == [2.0, 3.0, 4.5, 6.75]


async def test_wait_already_finished_makes_one_request(
    client: PhotoshopClient, api: FakePhotoshopApi, fake_time: FakeTime
) -> None:
    api.answer(ok(SUCCEEDED_BASE64))
    result = await wait(client, fake_time, 300)
    assert not result.timed_out
    assert result.job.outputs[0].content_bytes == 362
    assert fake_time.sleeps == []
    assert len(api.calls) == 1


def _running(modified: str) -> Answer:
    body = load_json_fixture(RUNNING)
    body["modifiedTime"] = modified
    return Answer(body=body)


async def test_wait_times_out_with_the_last_status(
    client: PhotoshopClient, api: FakePhotoshopApi, fake_time: FakeTime
) -> None:
    api.answer(
        ok(PENDING),
        *(_running(f"2026-03-02T09:14:1{index}Z") for index in range(4)),
    )
    result = await wait(client, fake_time, 10)
    assert result.timed_out is True
    assert result.job.status == JOB_RUNNING
    assert result.job.modified == datetime(2026, 3, 2, 9, 14, 13, tzinfo=UTC)
    # 2 + 3 + 4.5 = 9.5; the next step (6.75) is cut to land on the deadline.
    assert fake_time.sleeps == [2.0, 3.0, 4.5, 0.5]
    assert api.request_times == [T0, T0 + 2.0, T0 + 5.0, T0 + 9.5, T0 + 10.0]
    assert fake_time.now == T0 + 10.0
    assert api.queue == []


async def test_wait_long_timeout_caps_the_steps_and_ends_on_the_deadline(
    client: PhotoshopClient, api: FakePhotoshopApi, fake_time: FakeTime
) -> None:
    timeout = 200.0
    expected: list[float] = []
    for delay in backoff_delays():
        expected.append(min(delay, timeout - sum(expected)))
        if sum(expected) >= timeout:
            break
    api.answer(*(ok(RUNNING) for _ in range(len(expected) + 1)))
    result = await wait(client, fake_time, timeout)
    assert result.timed_out
    assert fake_time.sleeps == expected
    assert max(fake_time.sleeps) == BACKOFF_MAX
    assert api.request_times[-1] == T0 + timeout
    assert api.queue == []


async def test_wait_with_slow_requests_still_checks_on_the_deadline(
    client: PhotoshopClient, api: FakePhotoshopApi, fake_time: FakeTime
) -> None:
    api.latency = 0.25
    api.answer(*(ok(RUNNING) for _ in range(4)))
    result = await wait(client, fake_time, 10)
    assert result.timed_out
    # Each step is measured from the end of the previous request.
    assert fake_time.sleeps == [2.0, 3.0, 4.25]
    assert api.request_times == [T0, T0 + 2.25, T0 + 5.5, T0 + 10.0]
    assert fake_time.now == T0 + 10.25
    assert fake_time.now - T0 <= 10 + BACKOFF_MAX


async def test_wait_too_large_answer_is_not_retried(
    client: PhotoshopClient, api: FakePhotoshopApi, fake_time: FakeTime
) -> None:
    """An answer over the size limit would come again at every step: it ends the wait."""
    api.answer(ok(RUNNING), Answer(200, "x" * (5 * 1024 * 1024 + 1)))
    with pytest.raises(CloudStatusResponseTooLargeError):
        await wait(client, fake_time, 300)
    assert fake_time.sleeps == [2.0]


async def test_wait_last_check_queues_behind_another_request(
    session: aiohttp.ClientSession,
    tokens: FakeTokenProvider,
    api: FakePhotoshopApi,
    fake_time: FakeTime,
) -> None:
    """The check on the deadline waits its turn instead of failing as rate limited."""
    spacer = RequestSpacer(0.25, clock=fake_time, sleep=fake_time.sleep)
    client = PhotoshopClient(session, tokens, CLIENT_ID, spacer=spacer)
    api.answer(*(ok(RUNNING) for _ in range(5)))

    async def sleep_while_others_poll(seconds: float) -> None:
        await fake_time.sleep(seconds)
        if fake_time.now >= T0 + 10:
            await spacer.acquire()  # another job of the entry takes the slot

    result = await client.wait_for_job(
        JOB_ID, 10, clock=fake_time, sleep=sleep_while_others_poll
    )

    assert result.timed_out
    assert api.request_times[-1] == T0 + 10.25


async def test_wait_zero_timeout_is_one_request(
    client: PhotoshopClient, api: FakePhotoshopApi, fake_time: FakeTime
) -> None:
    api.answer(ok(RUNNING))
    result = await wait(client, fake_time, 0)
    assert result.timed_out
    assert result.job.status == JOB_RUNNING
    assert fake_time.sleeps == []


@pytest.mark.parametrize("seconds", [-1.0, math.nan])
async def test_wait_refuses_a_bad_timeout(
    client: PhotoshopClient, api: FakePhotoshopApi, seconds: float
) -> None:
    with pytest.raises(ValueError, match="timeout"):
        await client.wait_for_job(JOB_ID, seconds)
    assert api.calls == []


@pytest.mark.parametrize(
    ("answers", "kind"),
    [
        ([Answer(400, {"error_code": "validation_error"})], PhotoshopJobRejectedError),
        ([error(404, NOT_FOUND)], CloudStatusNotFoundError),
        ([error(401, TOKEN_INVALID), error(401, TOKEN_INVALID)], CloudStatusAuthError),
        ([error(403, QUOTA)], PhotoshopQuotaExhaustedError),
        ([error(403, NOT_ENTITLED)], PhotoshopAccessDeniedError),
        ([error(429, RATE_LIMITED)], CloudStatusRateLimitError),
        ([error(502)], CloudStatusServerError),
        ([Answer(exc=TimeoutError())], CloudStatusTimeoutError),
        ([Answer(body="<html>oops</html>")], CloudStatusParseError),
    ],
)
async def test_wait_first_request_errors_propagate_at_once(
    client: PhotoshopClient,
    api: FakePhotoshopApi,
    fake_time: FakeTime,
    answers: list[Answer],
    kind: type[CloudStatusError],
) -> None:
    api.answer(*answers)
    with pytest.raises(kind):
        await wait(client, fake_time, 300)
    assert fake_time.sleeps == []
    assert api.queue == []


async def test_wait_retries_transient_errors(
    client: PhotoshopClient, api: FakePhotoshopApi, fake_time: FakeTime
) -> None:
    api.answer(
        ok(PENDING),
        error(502),
        Answer(exc=TimeoutError()),
        Answer(exc=aiohttp.ClientConnectionError()),
        Answer(body="<html>Gateway</html>"),
        error(429, RATE_LIMITED, **{"Retry-After": "1"}),
        Answer(500, {"error_code": "runtime_error"}),
        ok(RUNNING),
        ok(SUCCEEDED_URLS),
    )
    result = await wait(client, fake_time, 300)
    assert not result.timed_out
    assert result.job.status == JOB_SUCCEEDED
    assert fake_time.sleeps == list(itertools.islice(backoff_delays(), 8))
    assert api.queue == []


async def test_wait_honours_a_429_pause_through_the_spacer(
    spaced_client: PhotoshopClient, api: FakePhotoshopApi, fake_time: FakeTime
) -> None:
    api.answer(ok(PENDING), error(429, RATE_LIMITED), ok(SUCCEEDED_URLS))
    result = await wait(spaced_client, fake_time, 300)
    assert result.job.status == JOB_SUCCEEDED
    # Backoff 2 s, 429 at T0+2 pauses 60 s; backoff 3 s, then the spacer waits 57 s.
    assert fake_time.sleeps == [2.0, 3.0, 57.0]
    assert api.request_times == [T0, T0 + 2.0, T0 + 62.0]


async def test_wait_does_not_oversleep_a_pause_longer_than_the_time_left(
    spaced_client: PhotoshopClient, api: FakePhotoshopApi, fake_time: FakeTime
) -> None:
    api.answer(ok(RUNNING), error(429, RATE_LIMITED, **{"Retry-After": "600"}))
    result = await wait(spaced_client, fake_time, 20)
    # Only the wait's own backoff steps were slept; the spacer refused at each poll,
    # and the wait ran out with the last status seen.
    assert result == JobWaitResult(job=_parse_fixture(RUNNING), timed_out=True)
    assert fake_time.sleeps == [2.0, 3.0, 4.5, 6.75, 3.75]
    assert fake_time.now == T0 + 20.0
    assert len(api.calls) == 2


async def test_wait_transient_error_on_the_deadline_times_out(
    client: PhotoshopClient, api: FakePhotoshopApi, fake_time: FakeTime
) -> None:
    api.answer(ok(RUNNING), ok(RUNNING), error(503))
    result = await wait(client, fake_time, 4)
    assert result.timed_out
    assert result.job.status == JOB_RUNNING
    assert fake_time.sleeps == [2.0, 2.0]
    assert api.request_times == [T0, T0 + 2.0, T0 + 4.0]


@pytest.mark.parametrize(
    ("answers", "kind"),
    [
        ([error(404, NOT_FOUND)], CloudStatusNotFoundError),
        ([Answer(400, {"error_code": "validation_error"})], PhotoshopJobRejectedError),
        ([error(401, TOKEN_INVALID), error(401, TOKEN_INVALID)], CloudStatusAuthError),
        ([error(403, QUOTA)], PhotoshopQuotaExhaustedError),
        ([error(403, NOT_ENTITLED)], PhotoshopAccessDeniedError),
    ],
)
async def test_wait_non_transient_errors_mid_wait_propagate(
    client: PhotoshopClient,
    api: FakePhotoshopApi,
    fake_time: FakeTime,
    answers: list[Answer],
    kind: type[CloudStatusError],
) -> None:
    api.answer(ok(PENDING), ok(RUNNING), *answers)
    with pytest.raises(kind):
        await wait(client, fake_time, 300)
    assert fake_time.sleeps == [2.0, 3.0]
    assert api.queue == []


async def test_wait_uses_the_real_clock_by_default(
    client: PhotoshopClient, api: FakePhotoshopApi
) -> None:
    api.answer(ok(SUCCEEDED_URLS))
    result = await client.wait_for_job(JOB_ID, 30)
    assert result.job.status == JOB_SUCCEEDED
    assert not result.timed_out


# --- the vendor's specifications -------------------------------------------------------


def _shared_json(name: str) -> Any:
    return orjson.loads(_doc_example(name))


def test_v2_openapi_describes_the_request_we_send() -> None:
    """Server, path and both credentials match Adobe's v2 OpenAPI document."""
    spec = _shared_json("photoshopv2-api_openapi_official.json")
    client = PhotoshopClient(MagicMock(), MagicMock(), CLIENT_ID)

    assert [server["url"] for server in spec["servers"]] == [str(PHOTOSHOP_API_URL)]
    assert "/v2/status/{jobId}" in spec["paths"]
    assert str(client.status_url(JOB_ID)) == f"{PHOTOSHOP_API_URL}/v2/status/{JOB_ID}"
    schemes = spec["components"]["securitySchemes"]
    assert schemes["Authorization"]["scheme"] == "Bearer"
    assert schemes["X-Api-Key"] == {
        **schemes["X-Api-Key"],
        "in": "header",
        "name": "X-Api-Key",
    }
    status_schema = spec["components"]["schemas"]["JobStatusResponse"]["properties"]
    assert {"jobId", "status", "createdTime", "modifiedTime", "result"} <= set(
        status_schema
    )
    assert status_schema["errorDetails"]["items"]["$ref"].endswith("/ErrorDetails")


def test_v1_status_urls_from_adobe_docs_are_accepted() -> None:
    """Every v1 status URL in Adobe's published examples gives its job id."""
    examples = _doc_example("v1_status_examples_ALL_verbatim_from_apidoc_2021.json")
    urls = set(
        re.findall(
            rb"https://image\.adobe\.io/[A-Za-z/]+/status/[0-9a-f-]{36}", examples
        )
    )
    v1_paths = _shared_json("photoshop_api_v1_openapi_official.json")["paths"]

    assert len(urls) >= 4
    assert "/pie/psdService/status/{jobId}" in v1_paths
    for url in urls:
        assert parse_job_id(url.decode()) == url.decode().rsplit("/", 1)[1]

"""Photoshop API job ids and job statuses: what a job is and how its answer parses.

A job id comes as a bare UUID or as a v1 or v2 status URL. Embedded output content is
never kept: only its decoded size is. Nothing here sends a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
import re
from typing import Any, Final

import orjson
from yarl import URL

from .errors import CloudStatusParseError
from .parsing import loads, optional_str, parse_time, require_dict

JOB_PENDING: Final = "pending"
JOB_RUNNING: Final = "running"
JOB_SUCCEEDED: Final = "succeeded"
JOB_FAILED: Final = "failed"
FINISHED_STATUSES: Final = frozenset({JOB_SUCCEEDED, JOB_FAILED})

_UUID_PATTERN = (
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_BARE_UUID = re.compile(_UUID_PATTERN)
# The status endpoints of v2 and of the v1 services (Lightroom, Photoshop, Sensei, masking).
_STATUS_URL_PATH = re.compile(
    r"/(?:v2/status|lrService/status|pie/psdService/status|sensei/status|v1/status)"
    rf"/(?P<uuid>{_UUID_PATTERN})/?"
)
_URL_SCHEMES = frozenset({"http", "https"})
_NOT_A_JOB_ID = "not a Photoshop job id or status URL"

# Standard and URL-safe base64 alphabets; everything else ('=', whitespace) is no data.
_BASE64_ALPHABET = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_"
)
_NOT_BASE64 = bytes(byte for byte in range(128) if byte not in _BASE64_ALPHABET)


class InvalidJobIdError(ValueError):
    """The text is neither a job UUID nor a Photoshop status URL holding one."""


# --- job ids -------------------------------------------------------------------------


def parse_job_id(value: str) -> str:
    """Return the canonical (lower-case) job UUID of a bare id or a v1/v2 status URL.

    Raise `InvalidJobIdError` for anything else; the message never quotes the input,
    which may hold a credential.
    """
    text = value.strip() if isinstance(value, str) else ""
    if not text or any(char.isspace() for char in text):
        raise InvalidJobIdError(_NOT_A_JOB_ID)
    if _BARE_UUID.fullmatch(text):
        return text.lower()
    try:
        url = URL(text)
    except ValueError, TypeError:
        raise InvalidJobIdError(_NOT_A_JOB_ID) from None
    if (
        url.scheme not in _URL_SCHEMES
        or not url.raw_host
        or (match := _STATUS_URL_PATH.fullmatch(url.raw_path)) is None
    ):
        raise InvalidJobIdError(_NOT_A_JOB_ID)
    return match["uuid"].lower()


# --- parsing -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JobOutput:
    """One output of a job: where it is, its type and, when embedded, its size."""

    url: str | None
    media_type: str | None
    content_bytes: int | None

    def as_dict(self) -> dict[str, Any]:
        """Return the action's output shape; `content_bytes` only for embedded outputs."""
        result: dict[str, Any] = {"url": self.url, "mediaType": self.media_type}
        if self.content_bytes is not None:
            result["content_bytes"] = self.content_bytes
        return result


@dataclass(frozen=True, slots=True)
class JobError:
    """One entry of a failed job's `errorDetails`."""

    code: str | None
    message: str | None

    def as_dict(self) -> dict[str, str | None]:
        """Return the action's error shape."""
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class PhotoshopJob:
    """A job's status as the API reported it."""

    job_id: str
    status: str
    created: datetime | None
    modified: datetime | None
    outputs: tuple[JobOutput, ...]
    errors: tuple[JobError, ...]

    @property
    def finished(self) -> bool:
        """Whether the job has ended (succeeded or failed)."""
        return self.status.lower() in FINISHED_STATUSES


@dataclass(frozen=True, slots=True)
class JobWaitResult:
    """The last status seen by `wait_for_job`, and whether the wait ran out."""

    job: PhotoshopJob
    timed_out: bool


def base64_decoded_size(content: str) -> int:
    """Return how many bytes a base64 text decodes to, without decoding it.

    Counts the characters of the standard and URL-safe alphabets; padding and
    whitespace carry no data.
    """
    data = content.encode("ascii", "ignore").translate(None, _NOT_BASE64)
    return len(data) * 3 // 4


def _json_size(content: Any) -> int | None:
    try:
        return len(orjson.dumps(content))
    except orjson.JSONEncodeError:
        # Nested deeper than orjson writes: the size stays unknown.
        return None


def _embedded_size(kind: object, content: Any) -> int | None:
    if content is None:
        return None
    if isinstance(content, str):
        if isinstance(kind, str) and kind.lower() == "base64":
            return base64_decoded_size(content)
        return len(content.encode())
    return _json_size(content)


def _parse_output(item: dict[str, Any]) -> JobOutput:
    destination = item.get("destination")
    if not isinstance(destination, dict):
        destination = {}
    content_bytes = None
    if "embedded" in destination:
        content = (
            destination["content"] if "content" in destination else item.get("content")
        )
        content_bytes = _embedded_size(destination["embedded"], content)
    return JobOutput(
        url=optional_str(item, "url") or optional_str(destination, "url"),
        media_type=optional_str(item, "mediaType"),
        content_bytes=content_bytes,
    )


def _error_code(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    return value if isinstance(value, str) and value else None


def _parse_error(item: dict[str, Any]) -> JobError:
    return JobError(
        code=_error_code(item.get("errorCode")),
        message=optional_str(item, "message"),
    )


def _objects(value: object) -> list[dict[str, Any]]:
    """Return the objects of a list (others skipped); a lone object is a list of one."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return []


def parse_job_status(body: bytes, requested_id: str) -> PhotoshopJob:
    """Parse a `/v2/status/{jobId}` answer; `requested_id` stands in for a missing jobId."""
    payload = require_dict(loads(body), "job status")
    status = payload.get("status")
    if not isinstance(status, str) or not status:
        raise CloudStatusParseError("job status has no 'status'")
    result = payload.get("result")
    outputs = result.get("outputs") if isinstance(result, dict) else None
    return PhotoshopJob(
        job_id=optional_str(payload, "jobId") or requested_id,
        status=status,
        created=parse_time(payload.get("createdTime")),
        modified=parse_time(payload.get("modifiedTime")),
        outputs=tuple(_parse_output(item) for item in _objects(outputs)),
        errors=tuple(
            _parse_error(item) for item in _objects(payload.get("errorDetails"))
        ),
    )

"""What the Photoshop API tests share: credentials, URLs, entries and mocked answers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
import json
from pathlib import Path
import re
from typing import Any

from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)
from yarl import URL

from custom_components.cloud_status.const import CONF_PROVIDER, CONF_SCOPES, DOMAIN
from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET
from homeassistant.util import dt as dt_util

TOKEN_URL = "https://ims-na1.adobelogin.com/ims/token/v3"
TOKEN_ANSWER: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "adobe_ims_token_v3_200.json").read_text()
)
TOKEN: str = TOKEN_ANSWER["access_token"]
PHOTOSHOP_API = "https://photoshop-api.adobe.io"
CLIENT_ID = "5f2c8e1a9b7d4c6e8f0a1b2c3d4e5f60"
CLIENT_SECRET = "p8e-PHOTOSHOP-client-secret"
NEW_CLIENT_SECRET = "p8e-PHOTOSHOP-renewed-secret"
SCOPES = "openid,AdobeID,read_organizations"
ENTRY_ID = "01JPHOTOSHOPJOBSENTRY0000"
UNIQUE_ID = f"photoshop:{CLIENT_ID}"
TITLE = "Adobe Photoshop API"
JOB_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
OTHER_JOB_ID = "16fd2706-8baf-433b-82eb-8c7fada847da"
SENSOR = "sensor.adobe_photoshop_api_tracked_jobs"
EVENT = "event.adobe_photoshop_api_job"


def photoshop_data(**changes: Any) -> dict[str, Any]:
    """Return a photoshop entry's data."""
    return {
        CONF_PROVIDER: "photoshop",
        CONF_CLIENT_ID: CLIENT_ID,
        CONF_CLIENT_SECRET: CLIENT_SECRET,
        CONF_SCOPES: SCOPES,
        **changes,
    }


def photoshop_entry(**changes: Any) -> MockConfigEntry:
    """Return a photoshop config entry (not yet added to hass)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=TITLE,
        unique_id=UNIQUE_ID,
        entry_id=ENTRY_ID,
        data=photoshop_data(**changes),
    )


def status_url(job_id: str = JOB_ID) -> str:
    """Return the v2 status URL of a job."""
    return f"{PHOTOSHOP_API}/v2/status/{job_id}"


def mock_token(aioclient_mock: AiohttpClientMocker, **answer: Any) -> None:
    """Answer IMS token requests (a valid token unless told otherwise)."""
    aioclient_mock.post(TOKEN_URL, **(answer or {"json": TOKEN_ANSWER}))


def job_body(status: str, job_id: str = JOB_ID, **extra: Any) -> dict[str, Any]:
    """Return a v2 job status body."""
    return {
        "jobId": job_id,
        "status": status,
        "createdTime": "2026-11-23T09:00:00.000Z",
        "modifiedTime": "2026-11-23T09:00:05.000Z",
        **extra,
    }


SUCCEEDED_OUTPUTS = {
    "result": {
        "outputs": [
            {
                "destination": {"url": "https://storage.example.com/out/hero.jpg"},
                "mediaType": "image/jpeg",
            }
        ]
    }
}
FAILED_ERRORS = {
    "errorDetails": [
        {"errorCode": "400401", "message": "The value provided is not valid."}
    ]
}


@dataclass
class Held:
    """An answer that is sent only once `release` is set: a request in flight."""

    answer: Any
    release: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class JobServer:
    """Answers /v2/status/{id} from a script per job; the last answer repeats.

    Each answer is a `dict` body (HTTP 200) or a `(status, body, headers)` tuple whose
    body is a dict (JSON) or text. A job without a script answers 404.
    """

    answers: dict[str, list[Any]] = field(default_factory=dict)
    requests: list[tuple[datetime, str]] = field(default_factory=list)

    def script(self, job_id: str, *answers: Any) -> None:
        """Set what the job answers from now on, in order."""
        self.answers[job_id] = list(answers)

    def requested(self, job_id: str | None = None) -> list[datetime]:
        """Return when the job (or any job) was requested."""
        return [when for when, asked in self.requests if job_id in (None, asked)]

    async def _answer(
        self, method: str, url: URL, data: Any
    ) -> AiohttpClientMockResponse:
        job_id = url.path.rsplit("/", 1)[-1]
        self.requests.append((dt_util.utcnow(), job_id))
        script = self.answers.get(job_id) or [(404, NOT_FOUND_BODY, {})]
        answer = script.pop(0) if len(script) > 1 else script[0]
        if isinstance(answer, Held):
            await answer.release.wait()
            answer = answer.answer
        if isinstance(answer, dict):
            return AiohttpClientMockResponse(method, url, json=answer)
        status, body, headers = answer
        if isinstance(body, str):
            return AiohttpClientMockResponse(
                method, url, status=status, text=body, headers=headers
            )
        return AiohttpClientMockResponse(
            method, url, status=status, json=body, headers=headers
        )

    def register(self, aioclient_mock: AiohttpClientMocker) -> None:
        """Serve every job status URL."""
        aioclient_mock.get(
            re.compile(rf"^{re.escape(PHOTOSHOP_API)}/v2/status/"),
            side_effect=self._answer,
        )


NOT_FOUND_BODY = {"error_code": "unknown_job_id", "message": "Job not found"}

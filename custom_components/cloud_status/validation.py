"""What every provider's validation shares: form errors from client errors.

Each provider's check reads the source the way a poll would and returns what it
learned, or the form errors to show; none raises.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .api import (
    CloudStatusAuthError,
    CloudStatusConnectionError,
    CloudStatusError,
    CloudStatusNotFoundError,
    CloudStatusRateLimitError,
)
from .api.adobe_ims import DEFAULT_STATUS_SCOPES, parse_scopes
from .const import CONF_SCOPES, LOGGER

type Errors = dict[str, str]


@dataclass(frozen=True, slots=True)
class ValidatedSource:
    """What a successful validation learned: enough to create or update an entry."""

    unique_id: str
    title: str
    data: dict[str, Any]
    # A step that must ask more before the entry exists (a product or region picker),
    # and what it needs to know that the entry will not store.
    next_step: str | None = None
    learned: dict[str, Any] = field(default_factory=dict)


def form_error(err: CloudStatusError, *, not_found: str, credential_sent: bool) -> str:
    """Name the form error for a client error.

    A refusal is `invalid_auth` only when the request carried a credential the user
    gave; without one it is the server turning us away (a bot wall, a firewall).
    """
    match err:
        case CloudStatusRateLimitError():
            return "rate_limited"
        case CloudStatusAuthError():
            return "invalid_auth" if credential_sent else "access_denied"
        case CloudStatusConnectionError():
            return "cannot_connect"
        case CloudStatusNotFoundError():
            return not_found
        case _:
            return "not_a_status_page"


async def attempt[T](
    call: Awaitable[T],
    context: str,
    *,
    credential_sent: bool,
    not_found: str = "not_a_status_page",
) -> tuple[T | None, Errors]:
    """Await a client call; on failure, return the form error instead.

    `credential_sent` says whether the call sends a credential the user gave.
    """
    try:
        return await call, {}
    except CloudStatusError as err:
        LOGGER.debug(
            "Validation failed while %s: %s (%s, provider code %s)",
            context,
            err,
            type(err).__name__,
            err.error_code,
        )
        return None, {
            "base": form_error(
                err, not_found=not_found, credential_sent=credential_sent
            )
        }
    except Exception:  # noqa: BLE001
        LOGGER.exception("Unexpected error while %s", context)
        return None, {"base": "unknown"}


def clean_text_fields(
    user_input: dict[str, Any], default_scopes: Sequence[str] = DEFAULT_STATUS_SCOPES
) -> dict[str, Any]:
    """Strip what people paste around ids and secrets; normalize the scope list."""
    cleaned = {
        key: value.strip() if isinstance(value, str) else value
        for key, value in user_input.items()
    }
    if CONF_SCOPES in cleaned:
        cleaned[CONF_SCOPES] = ",".join(
            parse_scopes(cleaned[CONF_SCOPES]) or default_scopes
        )
    return cleaned

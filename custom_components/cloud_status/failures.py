"""What a failed poll becomes in Home Assistant, and the statuses no table knows."""

from __future__ import annotations

from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import UpdateFailed

from .api import (
    CloudStatusAuthError,
    CloudStatusConnectionError,
    CloudStatusError,
    CloudStatusNotFoundError,
    CloudStatusParseError,
    CloudStatusRateLimitError,
    CloudStatusResponseTooLargeError,
    CloudStatusServerError,
    CloudStatusTimeoutError,
    ComponentStatus,
    StatusSnapshot,
)
from .const import DOMAIN, LOGGER

# The translation key of each client error, most specific first.
_KEYS: tuple[tuple[type[CloudStatusError], str], ...] = (
    (CloudStatusRateLimitError, "rate_limited"),
    (CloudStatusAuthError, "access_denied"),
    (CloudStatusNotFoundError, "not_found"),
    (CloudStatusTimeoutError, "timeout"),
    (CloudStatusServerError, "server_error"),
    (CloudStatusConnectionError, "cannot_connect"),
    (CloudStatusResponseTooLargeError, "response_too_large"),
    (CloudStatusParseError, "invalid_response"),
)


def translate_error(
    err: CloudStatusError, *, reauth: bool, min_retry_after: float = 0.0
) -> Exception:
    """Map a client error to what Home Assistant expects from a coordinator.

    `reauth` says whether this refusal means the user's secret was refused. A
    Retry-After never makes polling faster than `min_retry_after`.
    """
    if reauth and isinstance(err, CloudStatusAuthError):
        return ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="auth_failed"
        )
    retry_after: float | None = None
    placeholders: dict[str, str] = {}
    key = next((key for kind, key in _KEYS if isinstance(err, kind)), "update_failed")
    match err:
        case CloudStatusRateLimitError():
            if err.retry_after is not None:
                retry_after = max(err.retry_after, min_retry_after)
            placeholders["retry_after"] = (
                "?" if retry_after is None else f"{retry_after:g}"
            )
        case CloudStatusServerError():
            placeholders["status"] = str(err.status)
        case CloudStatusTimeoutError() | CloudStatusResponseTooLargeError():
            pass
        case CloudStatusConnectionError() | CloudStatusParseError():
            placeholders["error"] = str(err)
        case _ if key == "update_failed":
            placeholders["error"] = type(err).__name__
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
        retry_after=retry_after,
    )


class UnknownStatusLog:
    """Log each status value no table maps, once per entry."""

    def __init__(self, title: str) -> None:
        """Remember nothing yet."""
        self._title = title
        self._logged: set[str] = set()

    def note(self, snapshot: StatusSnapshot) -> None:
        """Log the unknown values of a snapshot that were not logged before."""
        if (
            snapshot.reported_status is ComponentStatus.UNKNOWN
            and (raw := f"overall:{snapshot.indicator}") not in self._logged
        ):
            self._logged.add(raw)
            LOGGER.warning(
                "%s: the provider reports the unknown overall status %r; only its "
                "components decide the overall status",
                self._title,
                snapshot.indicator,
            )
        for component in snapshot.components.values():
            if component.status is not ComponentStatus.UNKNOWN:
                continue
            raw = component.raw_status or "<missing>"
            if raw in self._logged:
                continue
            self._logged.add(raw)
            LOGGER.warning(
                "%s: component %s reports the unknown status %r; its state is unknown",
                self._title,
                component.display_name,
                raw,
            )

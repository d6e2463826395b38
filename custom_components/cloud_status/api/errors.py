"""Exceptions raised by the Cloud Status API clients.

Every error may carry what the provider said about it: `error_code` (such as IMS's
`invalid_client` or Adobe's gateway code `403003`) and `detail` (its human message).
Neither ever holds a credential: they come from the provider's error body.
"""

from __future__ import annotations


class CloudStatusError(Exception):
    """Base class for every error raised by an API client."""

    def __init__(
        self,
        message: str = "",
        *,
        error_code: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Keep the provider's own error code and message when it sent them."""
        if detail:
            message = f"{message}: {detail}" if message else detail
        super().__init__(message)
        self.error_code = error_code
        self.detail = detail


class CloudStatusConnectionError(CloudStatusError):
    """The provider could not be reached, or answered with a server error."""


class CloudStatusTimeoutError(CloudStatusConnectionError):
    """The provider did not answer in time."""


class CloudStatusServerError(CloudStatusConnectionError):
    """The provider answered with an unexpected HTTP status (5xx, 400, 422 and the like)."""

    def __init__(
        self,
        status: int,
        *,
        error_code: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Remember the HTTP status."""
        super().__init__(f"HTTP {status}", error_code=error_code, detail=detail)
        self.status = status


class CloudStatusAuthError(CloudStatusError):
    """The provider refused the credentials (HTTP 401/403)."""

    def __init__(
        self,
        message: str = "",
        *,
        status: int | None = None,
        error_code: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Remember the HTTP status when the refusal came as one."""
        super().__init__(message, error_code=error_code, detail=detail)
        self.status = status


class CloudStatusNotFoundError(CloudStatusError):
    """The provider answered 404: the page moved or was deleted."""


class CloudStatusRateLimitError(CloudStatusError):
    """The provider asked us to slow down (HTTP 429/420)."""

    def __init__(
        self,
        retry_after: float | None,
        *,
        error_code: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Remember how long the provider asked us to wait, in seconds."""
        super().__init__(
            "rate limited"
            if retry_after is None
            else f"rate limited, retry after {retry_after:g} s",
            error_code=error_code,
            detail=detail,
        )
        self.retry_after = retry_after


class CloudStatusParseError(CloudStatusError):
    """The answer was not the JSON the provider documents."""


class CloudStatusResponseTooLargeError(CloudStatusParseError):
    """The answer was larger than we are willing to read."""

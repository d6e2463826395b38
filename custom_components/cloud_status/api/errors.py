"""Exceptions raised by the Cloud Status API clients."""

from __future__ import annotations


class CloudStatusError(Exception):
    """Base class for every error raised by an API client."""


class CloudStatusConnectionError(CloudStatusError):
    """The provider could not be reached, or answered with a server error."""


class CloudStatusTimeoutError(CloudStatusConnectionError):
    """The provider did not answer in time."""


class CloudStatusServerError(CloudStatusConnectionError):
    """The provider answered with an unexpected HTTP status (5xx and the like)."""

    def __init__(self, status: int) -> None:
        """Remember the HTTP status."""
        super().__init__(f"HTTP {status}")
        self.status = status


class CloudStatusAuthError(CloudStatusError):
    """The provider refused the credentials (HTTP 401/403)."""


class CloudStatusNotFoundError(CloudStatusError):
    """The provider answered 404: the page moved or was deleted."""


class CloudStatusRateLimitError(CloudStatusError):
    """The provider asked us to slow down (HTTP 429/420)."""

    def __init__(self, retry_after: float | None) -> None:
        """Remember how long the provider asked us to wait, in seconds."""
        super().__init__(
            "rate limited"
            if retry_after is None
            else f"rate limited, retry after {retry_after:g} s"
        )
        self.retry_after = retry_after


class CloudStatusParseError(CloudStatusError):
    """The answer was not the JSON the provider documents."""


class CloudStatusResponseTooLargeError(CloudStatusParseError):
    """The answer was larger than we are willing to read."""

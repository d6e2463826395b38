"""Client for the CloudSigma status page API (`{base}/api/v1`).

The public API gives an overall status with counts (`/status`) and the paged component
list (`/components`). Incident and maintenance lists are not in the public docs: with an
API key the client probes `/incidents` and `/maintenances` and falls back to the counts
of `/status` when they are not there.

`parsing` reads the bodies into the shared models, `client` asks the API.
"""

from .client import (
    CLOUDSIGMA_HOST,
    DEFAULT_CLOUDSIGMA_URL,
    DETAIL_RETRY_SECONDS,
    MAX_COMPONENT_PAGES,
    STATUS_PATH,
    CloudSigmaClient,
    normalize_cloudsigma_url,
)
from .parsing import (
    CloudSigmaStatus,
    parse_components,
    parse_incidents,
    parse_maintenances,
    parse_status,
)

__all__ = [
    "CLOUDSIGMA_HOST",
    "DEFAULT_CLOUDSIGMA_URL",
    "DETAIL_RETRY_SECONDS",
    "MAX_COMPONENT_PAGES",
    "STATUS_PATH",
    "CloudSigmaClient",
    "CloudSigmaStatus",
    "normalize_cloudsigma_url",
    "parse_components",
    "parse_incidents",
    "parse_maintenances",
    "parse_status",
]

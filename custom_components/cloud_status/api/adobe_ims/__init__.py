"""Adobe IMS access tokens: OAuth Server-to-Server and Service Account (JWT).

`tokens` holds the cached provider base, the OAuth Server-to-Server provider and
`call_with_token`; `service_account` holds the JWT part (private key, signing, the
exchange). Both providers cache their token until less than `TOKEN_RENEW_MARGIN`
seconds of its life remain, and let concurrent callers share one request. Nothing here
ever puts a client secret, private key, JWT or access token in a message, a `repr()` or
a log line.
"""

from .service_account import (
    JWT_LIFETIME,
    JWT_REJECTED_ERRORS,
    MAX_JWT_LIFETIME,
    STATUS_METASCOPE,
    InvalidPrivateKeyError,
    JwtTokenProvider,
    build_service_account_jwt,
    load_private_key,
)
from .tokens import (
    DEFAULT_IMS_HOST,
    DEFAULT_STATUS_SCOPES,
    IMS_AUTH_ERRORS,
    TOKEN_RENEW_MARGIN,
    ImsAuthError,
    ImsTokenProvider,
    JwtCredentialsRejectedError,
    OAuthServerToServerTokenProvider,
    call_with_token,
    ims_url,
    is_valid_ims_host,
    normalize_ims_host,
    parse_scopes,
)

__all__ = [
    "DEFAULT_IMS_HOST",
    "DEFAULT_STATUS_SCOPES",
    "IMS_AUTH_ERRORS",
    "JWT_LIFETIME",
    "JWT_REJECTED_ERRORS",
    "MAX_JWT_LIFETIME",
    "STATUS_METASCOPE",
    "TOKEN_RENEW_MARGIN",
    "ImsAuthError",
    "ImsTokenProvider",
    "InvalidPrivateKeyError",
    "JwtCredentialsRejectedError",
    "JwtTokenProvider",
    "OAuthServerToServerTokenProvider",
    "build_service_account_jwt",
    "call_with_token",
    "ims_url",
    "is_valid_ims_host",
    "load_private_key",
    "normalize_ims_host",
    "parse_scopes",
]

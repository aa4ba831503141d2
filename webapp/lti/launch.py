"""Validating an LTI 1.3 launch (Core §5.1.3 and the IMS Security Framework §5.1.3).

`validate_id_token` checks, in order: the token's form and algorithm; the issuer and client id
against the registrations; the signature against the platform's JWKS (the key named by `kid`,
with one refetch of the JWKS on an unknown kid, which is how platforms rotate); exp and iat;
aud and azp; the nonce of this login; the deployment id; the message type and version; and the
claims Spotcheck needs (sub, roles, context, resource link or deep-linking settings).
It stores nothing: the caller marks the state and nonce used only once everything passed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import jwt
from jwt.algorithms import RSAAlgorithm

from . import claims as c

LEEWAY_SECONDS = 60  # clock skew between platform and tool
MAX_TOKEN_AGE = 3600  # an id_token issued longer ago than this is refused even if its exp is later


class LaunchError(Exception):
    """A refused launch: an HTTP status (4xx) and a message a teacher can act on."""

    def __init__(self, status: int, message: str):
        self.status, self.message = status, message
        super().__init__(message)


@dataclass
class Registration:
    """A platform as registered with `flask lti-register` (one issuer + client id)."""

    id: int
    issuer: str
    client_id: str
    auth_login_url: str
    auth_token_url: str
    keyset_url: str
    deployments: list[str] = field(default_factory=list)
    store_email: bool = False


@dataclass
class Launch:
    registration: Registration
    claims: dict

    @property
    def message_type(self) -> str:
        return self.claims[c.MESSAGE_TYPE]

    @property
    def is_deep_linking(self) -> bool:
        return self.message_type == c.DEEP_LINKING_REQUEST

    @property
    def deployment_id(self) -> str:
        return self.claims[c.DEPLOYMENT_ID]

    @property
    def sub(self) -> str:
        return self.claims["sub"]

    @property
    def roles(self) -> list[str]:
        return self.claims[c.ROLES]

    @property
    def is_instructor(self) -> bool:
        return c.is_instructor(self.roles)

    @property
    def is_learner(self) -> bool:
        return c.is_learner(self.roles)

    @property
    def name(self) -> str | None:
        name = self.claims.get("name") or " ".join(
            part for part in (self.claims.get("given_name"), self.claims.get("family_name")) if isinstance(part, str))
        return name if isinstance(name, str) and name.strip() else None

    @property
    def email(self) -> str | None:
        email = self.claims.get("email")
        return email if isinstance(email, str) else None

    @property
    def context(self) -> dict:
        return self.claims[c.CONTEXT]

    @property
    def resource_link_id(self) -> str | None:
        link = self.claims.get(c.RESOURCE_LINK)
        return link.get("id") if isinstance(link, dict) else None

    @property
    def custom(self) -> dict:
        custom = self.claims.get(c.CUSTOM)
        return custom if isinstance(custom, dict) else {}

    @property
    def target_link_uri(self) -> str:
        value = self.claims.get(c.TARGET_LINK_URI)
        return value if isinstance(value, str) else ""

    @property
    def ags(self) -> dict:
        value = self.claims.get(c.AGS_ENDPOINT)
        return value if isinstance(value, dict) else {}

    @property
    def nrps_url(self) -> str | None:
        value = self.claims.get(c.NRPS)
        url = value.get("context_memberships_url") if isinstance(value, dict) else None
        return url if isinstance(url, str) else None

    @property
    def deep_linking_settings(self) -> dict:
        return self.claims.get(c.DL_SETTINGS) or {}


RegistrationLookup = Callable[[str, list[str]], "Registration | None"]
# (registration, force_refresh) -> the platform's JWKS as a dict {"keys": [...]}
KeySource = Callable[[Registration, bool], dict]


def _key_for(jwks: dict, kid: str | None):
    keys = [key for key in (jwks or {}).get("keys", []) if isinstance(key, dict) and key.get("kty") == "RSA"]
    # A platform that names no kid may have a single key.
    single = keys[0] if kid is None and len(keys) == 1 else None
    chosen = single or next((key for key in keys if key.get("kid") == kid), None)
    if chosen is None:
        return None
    try:
        return RSAAlgorithm.from_jwk(chosen)
    except (ValueError, KeyError, TypeError, jwt.InvalidKeyError):
        return None


def validate_id_token(id_token: str, *, find_registration: RegistrationLookup, platform_jwks: KeySource,
                      expected_nonce: str, now: float | None = None) -> Launch:
    if not isinstance(id_token, str) or id_token.count(".") != 2 or len(id_token) > 64_000:
        raise LaunchError(400, "The launch carried no id_token, or one that is not a JWT.")
    try:
        header = jwt.get_unverified_header(id_token)
        unverified = jwt.decode(id_token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise LaunchError(400, "The launch's id_token cannot be read as a JWT.") from None
    if header.get("alg") != "RS256":
        raise LaunchError(401, f"The id_token is signed with {header.get('alg')!r}; LTI 1.3 requires RS256.")
    issuer, audience = unverified.get("iss"), unverified.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience if isinstance(audience, list) else []
    if not isinstance(issuer, str) or not audiences:
        raise LaunchError(400, "The id_token lacks its issuer (iss) or audience (aud).")
    registration = find_registration(issuer, [a for a in audiences if isinstance(a, str)])
    if registration is None:
        raise LaunchError(403, f"This LMS (issuer {issuer!r}, client id {audiences!r}) is not registered with "
                               "Spotcheck. An administrator adds it with `flask lti-register`.")
    kid = header.get("kid")
    key = _key_for(platform_jwks(registration, False), kid)
    if key is None:  # a new key at the platform: refetch its JWKS once
        key = _key_for(platform_jwks(registration, True), kid)
    if key is None:
        raise LaunchError(401, f"The LMS signed this launch with a key (kid {kid!r}) its key set does not publish.")
    current = time.time() if now is None else now
    try:
        verified = jwt.decode(
            id_token, key, algorithms=["RS256"], audience=registration.client_id, issuer=registration.issuer,
            leeway=LEEWAY_SECONDS, options={"require": ["exp", "iat", "iss", "aud"], "verify_iat": True},
        ) if now is None else _decode_at(id_token, key, registration, current)
    except jwt.ExpiredSignatureError:
        raise LaunchError(401, "This launch has expired. Open the activity again from your course.") from None
    except jwt.InvalidAudienceError:
        raise LaunchError(401, "This launch was meant for another tool (wrong audience).") from None
    except jwt.InvalidIssuerError:
        raise LaunchError(401, "The launch's issuer does not match its registration.") from None
    except jwt.InvalidSignatureError:
        raise LaunchError(401, "The launch's signature does not verify against the LMS's keys.") from None
    except jwt.MissingRequiredClaimError as exc:
        raise LaunchError(400, f"The launch lacks the required claim {exc.claim!r}.") from None
    except (jwt.ImmatureSignatureError, jwt.InvalidIssuedAtError):
        raise LaunchError(401, "The launch is dated in the future: check the LMS server's clock.") from None
    except jwt.PyJWTError as exc:
        raise LaunchError(401, f"The launch's id_token is not valid: {exc}.") from None
    if not isinstance(verified.get("iat"), int | float) or verified["iat"] < current - MAX_TOKEN_AGE:
        raise LaunchError(401, "This launch was issued too long ago. Open the activity again from your course.")
    if isinstance(audience, list) and len(audience) > 1 and verified.get("azp") != registration.client_id:
        raise LaunchError(401, "The launch names several audiences but not Spotcheck as its authorized party (azp).")
    if "azp" in verified and verified["azp"] != registration.client_id:
        raise LaunchError(401, "The launch's authorized party (azp) is another tool.")
    if not expected_nonce or verified.get("nonce") != expected_nonce:
        raise LaunchError(401, "The launch's nonce does not match this login: it was replayed or forged.")
    deployment = verified.get(c.DEPLOYMENT_ID)
    if not isinstance(deployment, str) or not deployment:
        raise LaunchError(400, "The launch lacks its deployment id.")
    if deployment not in registration.deployments:
        raise LaunchError(403, f"The deployment {deployment!r} of this LMS is not registered with Spotcheck.")
    if verified.get(c.VERSION) != c.LTI_VERSION:
        raise LaunchError(400, f"LTI version {verified.get(c.VERSION)!r} is not supported (1.3.0 is).")
    if verified.get(c.MESSAGE_TYPE) not in c.MESSAGE_TYPES:
        raise LaunchError(400, f"The message type {verified.get(c.MESSAGE_TYPE)!r} is not supported.")
    _require_claims(verified)
    return Launch(registration, verified)


def _decode_at(id_token, key, registration, now):
    """Decoding as at time `now` (tests of expiry): PyJWT checks against the clock, so compare here."""
    verified = jwt.decode(id_token, key, algorithms=["RS256"], audience=registration.client_id,
                          issuer=registration.issuer, options={"verify_exp": False, "verify_iat": False,
                                                               "require": ["exp", "iat", "iss", "aud"]})
    if verified["exp"] < now - LEEWAY_SECONDS:
        raise jwt.ExpiredSignatureError
    if verified["iat"] > now + LEEWAY_SECONDS:
        raise jwt.ImmatureSignatureError
    return verified


def _require_claims(verified: dict) -> None:
    sub = verified.get("sub")
    if not isinstance(sub, str) or not sub or len(sub) > 255:
        raise LaunchError(400, "The launch names no user (sub): Spotcheck needs a logged-in LMS user.")
    roles = verified.get(c.ROLES)
    if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
        raise LaunchError(400, "The launch lacks the roles claim.")
    context = verified.get(c.CONTEXT)
    if not isinstance(context, dict) or not isinstance(context.get("id"), str) or not context["id"]:
        raise LaunchError(400, "The launch comes from no course (context claim): add Spotcheck inside a course.")
    if verified[c.MESSAGE_TYPE] == c.RESOURCE_LINK_REQUEST:
        link = verified.get(c.RESOURCE_LINK)
        if not isinstance(link, dict) or not isinstance(link.get("id"), str) or not link["id"]:
            raise LaunchError(400, "The launch lacks its resource link id.")
    else:
        settings = verified.get(c.DL_SETTINGS)
        if not isinstance(settings, dict) or not isinstance(settings.get("deep_link_return_url"), str):
            raise LaunchError(400, "The deep-linking launch lacks its return URL (deep_linking_settings).")

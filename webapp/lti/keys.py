"""The tool's signing keys: RSA 2048, published as a JWKS, each named by its RFC 7638 thumbprint."""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from functools import lru_cache

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ALGORITHM = "RS256"


def generate_key() -> tuple[str, str]:
    """A new private key: (kid, PKCS#8 PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return thumbprint(pem), pem


@lru_cache(maxsize=16)
def _private_key(private_pem: str):
    """Parsing (and checking) an RSA key takes a tenth of a second: once per key and process."""
    return serialization.load_pem_private_key(private_pem.encode(), password=None)


def _public_fields(private_pem: str) -> dict:
    return json.loads(RSAAlgorithm.to_jwk(_private_key(private_pem).public_key()))


def public_jwk(private_pem: str, kid: str | None = None) -> dict:
    jwk = _public_fields(private_pem)
    jwk.update({"kid": kid or thumbprint(private_pem), "alg": ALGORITHM, "use": "sig"})
    return jwk


def thumbprint(private_pem: str) -> str:
    """RFC 7638 SHA-256 thumbprint of the public key, base64url."""
    jwk = _public_fields(private_pem)
    canonical = json.dumps({"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


def sign(payload: dict, private_pem: str, kid: str, lifetime: int = 300) -> str:
    """A JWT signed with this key: iat and exp set, and a jti unless given."""
    now = int(time.time())
    claims = {"iat": now, "exp": now + lifetime, "jti": uuid.uuid4().hex, **payload}
    return jwt.encode(claims, _private_key(private_pem), algorithm=ALGORITHM, headers={"kid": kid})

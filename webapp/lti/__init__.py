"""The tool side of IMS LTI 1.3 Advantage, without Flask and without SQL.

- claims.py: the claim names and role URIs of the specifications.
- keys.py: the tool's RSA signing keys as JWKs, and signing.
- launch.py: validating an id_token (OIDC login state and nonce, signature against the
  platform's JWKS, iss, aud/azp, exp/iat, deployment, message type and version).
- services.py: one injectable HTTP function; OAuth 2 client-credentials tokens with a signed JWT
  assertion (cached); AGS line items and scores; NRPS memberships.
- deeplink.py: the Deep Linking 2.0 response JWT with its content items.
- config.py: the tool's configuration JSON (Canvas "paste JSON", Moodle's fields).

JOSE is PyJWT (with `cryptography`): the LTI message rules are written here, against the specs.
"""

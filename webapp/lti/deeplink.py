"""Deep Linking 2.0: the response message that returns the picked content item to the platform."""

from __future__ import annotations

import uuid

from . import claims as c
from .keys import sign


def resource_link_item(title: str, url: str, custom: dict, score_maximum: float | None, label: str,
                       resource_id: str, text: str = "") -> dict:
    """An ltiResourceLink content item, with a line item so the LMS creates the gradebook column."""
    item = {"type": "ltiResourceLink", "title": title, "url": url, "custom": custom}
    if text:
        item["text"] = text
    if score_maximum:
        item["lineItem"] = {"scoreMaximum": score_maximum, "label": label, "resourceId": resource_id,
                            "tag": "spotcheck"}
    return item


def response_jwt(*, client_id: str, issuer: str, deployment_id: str, items: list[dict], data: str | None,
                 signing_key: tuple[str, str], message: str | None = None) -> str:
    """The LtiDeepLinkingResponse JWT: iss is the tool's client id, aud the platform's issuer (DL §4.2)."""
    kid, pem = signing_key
    payload = {
        "iss": client_id, "aud": issuer, "nonce": uuid.uuid4().hex,
        c.MESSAGE_TYPE: c.DEEP_LINKING_RESPONSE, c.VERSION: c.LTI_VERSION, c.DEPLOYMENT_ID: deployment_id,
        c.DL_CONTENT_ITEMS: items,
    }
    if data is not None:
        payload[c.DL_DATA] = data
    if message:
        payload[c.DL_MSG] = message
    return sign(payload, pem, kid, lifetime=600)

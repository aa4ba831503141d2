"""The tool's configuration, in the JSON form Canvas's "Paste JSON" developer key takes; the same URLs
are what Moodle's "Configure a tool manually" form asks for (listed under "moodle")."""

from __future__ import annotations

from . import claims as c


def tool_config(base_url: str, title: str = "Spotcheck") -> dict:
    base = base_url.rstrip("/")
    launch, login, jwks = f"{base}/lti/launch", f"{base}/lti/login", f"{base}/lti/jwks.json"
    domain = base.split("://", 1)[-1].split("/", 1)[0]
    description = "Media-literacy exercises: mark hedge words, unsourced claims and SEO filler in a real article."
    return {
        "title": title,
        "description": description,
        "oidc_initiation_url": login,
        "target_link_uri": launch,
        "public_jwk_url": jwks,
        "scopes": [c.SCOPE_LINEITEM, c.SCOPE_LINEITEM_READONLY, c.SCOPE_RESULT_READONLY, c.SCOPE_SCORE,
                   c.SCOPE_NRPS],
        "extensions": [{
            "domain": domain, "tool_id": "spotcheck", "platform": "canvas.instructure.com",
            "privacy_level": "name_only",
            "settings": {
                "text": title,
                "placements": [
                    {"placement": "assignment_selection", "message_type": c.DEEP_LINKING_REQUEST,
                     "target_link_uri": launch},
                    {"placement": "link_selection", "message_type": c.DEEP_LINKING_REQUEST, "target_link_uri": launch},
                    {"placement": "course_navigation", "message_type": c.RESOURCE_LINK_REQUEST,
                     "target_link_uri": launch, "default": "disabled"},
                ],
            },
        }],
        "custom_fields": {},
        "moodle": {
            "tool_url": launch, "lti_version": "LTI 1.3", "public_key_type": "Keyset URL",
            "public_keyset": jwks, "initiate_login_url": login, "redirection_uris": [launch],
            "supports_deep_linking": True, "content_selection_url": launch,
            "services": {"ims_lti_ags": "Use this service for grade sync and column management",
                         "ims_lti_nrps": "Use this service to retrieve members' information as per privacy settings"},
            "privacy": {"share_name": "Always", "share_email": "Never (unless the teacher opts in)"},
        },
    }

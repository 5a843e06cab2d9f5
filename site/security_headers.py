"""Content-Security-Policy (django-csp) with the admin's own policy, and Permissions-Policy.

The public site runs no script of its own and no inline script: its policy allows scripts only
from this origin (JSON-LD blocks are data, which browsers neither run nor check against it).
Wagtail's admin writes inline scripts (date pickers, inline panels) and inline styles, so paths
under ADMIN_CONTENT_SECURITY_POLICY's URL_PREFIXES get that laxer policy instead.
"""

import base64
import hashlib
import re

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings


def inline_style_hashes(template_path):
    """CSP source expressions ('sha256-…') for each inline <style> of a template that is served
    as it is written (the 500 page: self-contained, so it shows even when nothing else works)."""
    text = template_path.read_text(encoding="utf-8")
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in re.findall(r"<style>(.*?)</style>", text, flags=re.S)
    ]


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        admin = getattr(settings, "ADMIN_CONTENT_SECURITY_POLICY", None)
        if (admin and not report_only and parts.config is None
                and request.path_info.startswith(tuple(admin["URL_PREFIXES"]))):
            parts.config = default_config(admin["DIRECTIVES"])
        return parts


class PermissionsPolicyMiddleware:
    """Permissions-Policy from settings.PERMISSIONS_POLICY: feature -> allowed origins
    (an empty list turns the feature off for every origin)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})" for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response

"""The web chat page's files (``bot/webchat/``) and the headers they are served with.

The page is plain HTML, CSS and JavaScript with the socket.io client vendored
next to it (``bot/webchat/vendor/README.md`` records its version, source and
licence), so nothing is fetched from a CDN and the page works on a network that
reaches only the city's own server.

Every response carries a Content-Security-Policy that allows scripts, styles and
connections from this origin only. The page renders every message as text; the
policy is the second line of defence should a rendering bug ever let markup
through.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Mapping

PAGE_DIR = Path(__file__).resolve().parent.parent / "webchat"

#: The files the page may load, and their content types. Nothing else is served.
ASSETS: Mapping[str, str] = {
    "chat.css": "text/css; charset=utf-8",
    "chat.js": "text/javascript; charset=utf-8",
    "vendor/socket.io.min.js": "text/javascript; charset=utf-8",
    "icon.svg": "image/svg+xml",
}

CONFIG_MARKER = "<!--page-config-->"


@dataclass(frozen=True)
class PageSettings:
    """What a city may change about the page without touching its code."""

    socketio_path: str = "/socket.io"
    #: Sites allowed to show the page in a frame (CSP frame-ancestors), e.g.
    #: "https://www.sz.gov.cn". Only this origin by default.
    frame_ancestors: str = "'self'"
    max_message_chars: int = 2000
    #: The city the page's title names ("深圳市民服务助手"), from the ``city:`` settings.
    city_name_en: str = "Shenzhen"
    city_name_zh: str = "深圳"


def security_headers(frame_ancestors: str = "'self'") -> Dict[str, str]:
    """Headers for every page response: same-origin everything, no inline script."""
    policy = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: https:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": "geolocation=(self), camera=(), microphone=()",
        "Cache-Control": "no-cache",
    }


def render_index(settings: PageSettings) -> str:
    """index.html with the city's name and the page's settings in a JSON block (data,
    never executed)."""
    source = (PAGE_DIR / "index.html").read_text(encoding="utf-8")
    source = source.replace("{{city_zh}}", html.escape(settings.city_name_zh))
    source = source.replace("{{city_en}}", html.escape(settings.city_name_en))
    config = json.dumps(
        {
            "socketioPath": settings.socketio_path,
            "maxMessageChars": settings.max_message_chars,
            "cityName": {"zh": settings.city_name_zh, "en": settings.city_name_en},
        }
    )
    # A script element's text is not HTML-decoded: escape "<" in JSON terms so that
    # no value can close the element.
    safe = config.replace("<", "\\u003c")
    block = f'<script type="application/json" id="page-config">{safe}</script>'
    return source.replace(CONFIG_MARKER, block)


def load_assets() -> Dict[str, bytes]:
    """Read the page's files once, at start-up: a missing file fails then, not per request."""
    return {name: (PAGE_DIR / name).read_bytes() for name in ASSETS}

"""Which of the sandbox's two languages a ``locale`` parameter asks for.

Open311 clients send a ``locale`` tag; the sandbox writes Simplified Chinese (``zh``) or
English (``en``). Tags are compared case-insensitively, with ``_`` read as ``-``, so
``zh_CN``, ``zh-cn`` and ``zh-Hans-CN`` all mean Chinese.
"""

from __future__ import annotations

DEFAULT_LOCALE = "zh-CN"

_LANGUAGES = {
    "zh": "zh",
    "zh-cn": "zh",
    "zh-hans": "zh",
    "zh-hans-cn": "zh",
    "en": "en",
    "en-us": "en",
    "en-gb": "en",
}


class UnsupportedLocale(ValueError):
    """A locale the sandbox has no text for."""


def language_of(locale: str | None) -> str:
    """``"zh"`` or ``"en"`` for a locale tag; the default (zh-CN) when none is given."""
    tag = (locale or DEFAULT_LOCALE).strip().replace("_", "-").lower()
    try:
        return _LANGUAGES[tag]
    except KeyError:
        raise UnsupportedLocale(
            f"locale {locale!r} is not supported; use zh-CN (default) or en"
        ) from None

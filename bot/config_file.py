"""Reading one section of ``endpoints.yml``, as both processes do at start-up."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml


def section_of(endpoints_file: Path, name: str) -> Mapping[str, Any] | None:
    """The ``name:`` section of the file, or None when the file or the section is absent."""
    if not endpoints_file.is_file():
        return None
    document = yaml.safe_load(endpoints_file.read_text(encoding="utf-8")) or {}
    section = document.get(name) if isinstance(document, Mapping) else None
    return section if isinstance(section, Mapping) else None

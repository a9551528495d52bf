"""The source holds no control characters a mistyped escape leaves behind.

A regular expression written as "\\b" in a string that is not raw holds a backspace,
and matches nothing a resident types: it happened four times ("water bill", "my
mistake", "I meant", "how long do they…"), each found only by a conversation.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    path
    for folder in ("actions", "bot", "sandbox", "benchmarks", "scripts", "tests")
    for path in (ROOT / folder).rglob("*")
    if path.suffix in (".py", ".yml", ".yaml") and ".venv" not in path.parts
)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_control_characters_in_source(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [ch for ch in set(text) if ord(ch) < 32 and ch not in "\n\r\t"]
    assert not found, f"{path.name} holds {[hex(ord(ch)) for ch in found]}"

"""The installed environment is the locked, consistent set."""

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

CONSTRAINTS = Path(__file__).resolve().parents[2] / "constraints.txt"


def test_pip_check_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_installed_versions_match_the_lock_file() -> None:
    mismatches = []
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if not match:
            continue
        name, locked = match.groups()
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            mismatches.append(f"{name} not installed")
            continue
        if installed != locked:
            mismatches.append(f"{name} {installed} != {locked}")
    assert mismatches == []


def test_rasa_stack_versions_are_the_pinned_ones() -> None:
    assert metadata.version("rasa") == "3.6.21"
    assert metadata.version("sqlalchemy").startswith("1.4.")
    assert metadata.version("protobuf").startswith("4.23.")

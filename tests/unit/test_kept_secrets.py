"""Secrets kept in var/ are whole and one, however many processes make them at once."""

from __future__ import annotations

import multiprocessing
import stat
from pathlib import Path

from tests.unit.test_launcher_settings import _run_stack


def _make(path: str, results: multiprocessing.Queue[str]) -> None:
    results.put(_run_stack()._kept_file(Path(path), 24))


def test_processes_starting_at_once_agree_on_one_whole_secret(tmp_path: Path) -> None:
    path = tmp_path / "var" / "rasa-token"
    context = multiprocessing.get_context("fork")
    results: multiprocessing.Queue[str] = context.Queue()
    workers = [context.Process(target=_make, args=(str(path), results)) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    secrets = {results.get(timeout=5) for _ in workers}
    assert len(secrets) == 1 and len(next(iter(secrets))) >= 24
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["rasa-token"]  # no leftovers

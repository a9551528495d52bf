"""``city-rasa``: Rasa's own command line, with two start-up costs it need not pay.

Every launcher of ours (``make run``, ``make prod-local``, the systemd unit, the
Kubernetes manifest, the cold-start benchmark) starts the Rasa server as ``city-rasa
run …`` instead of ``rasa run …``: the same arguments, the same server. What differs,
for ``run`` and ``shell`` (the commands that load a model to serve it):

* **Python's garbage collector is paused until the model is loaded.** Importing Rasa
  and TensorFlow and loading the model create ~1.1 million objects that live as long as
  the server; every collection on the way walked the ones made so far, ~1.4 s of a
  ~7.4 s start on 2026-12-05's machine (1,880 collections) for ~3,000 objects of
  garbage (no measurable memory). ``bot.speedups`` freezes what the load made
  (``gc.freeze``) and then calls :func:`resume_collection`; if no model is loaded
  within :data:`PAUSE_LIMIT_S` (``rasa run`` without a model, a failed load) the
  collector resumes anyway.
* **JAX is not imported.** TensorFlow 2.12 imports JAX at start-up for one thing: to
  convert JAX functions to TensorFlow Lite, behind ``try: from jax import … except
  ImportError``. Rasa never converts anything; the import cost ~0.35 s per start.
  ``sys.modules["jax"] = None`` makes that import fail the documented way, so
  TensorFlow takes its own fallback. JAX stays installed (TensorFlow's package
  requires it); only this process does without it.

``rasa`` itself still works and serves the same answers, only slower to start.
"""

from __future__ import annotations

import gc
import sys
import threading

#: The longest the collector stays paused when no model gets loaded.
PAUSE_LIMIT_S = 60.0
#: Subcommands that load a model to serve it (the others gain nothing from a pause).
SERVING_COMMANDS = frozenset({"run", "shell"})

_pause_lock = threading.Lock()
_paused = False


def pause_collection(limit_s: float = PAUSE_LIMIT_S) -> None:
    """Pause the collector until :func:`resume_collection`, or ``limit_s`` at most."""
    global _paused
    with _pause_lock:
        if _paused or not gc.isenabled():
            return  # someone else's pause is theirs to end
        gc.disable()
        _paused = True
    timer = threading.Timer(limit_s, resume_collection)
    timer.daemon = True
    timer.start()


def resume_collection() -> None:
    """End :func:`pause_collection`'s pause (nothing when there is none)."""
    global _paused
    with _pause_lock:
        if _paused:
            _paused = False
            gc.enable()


def collection_paused() -> bool:
    """Whether :func:`pause_collection`'s pause is on."""
    return _paused


def without_jax() -> None:
    """Make ``import jax`` fail here, unless JAX is already imported (see module doc)."""
    sys.modules.setdefault("jax", None)  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> None:
    """Run Rasa's command line with ``argv`` (default: this process's arguments)."""
    arguments = sys.argv[1:] if argv is None else argv
    if arguments and arguments[0] in SERVING_COMMANDS:
        pause_collection()
        without_jax()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *arguments]
    rasa_main()


if __name__ == "__main__":
    main()

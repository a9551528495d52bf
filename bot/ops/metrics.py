"""Prometheus metrics in the text exposition format, without a client library.

Each process (Rasa server, action server, console) keeps its own registry and
serves it at ``/metrics``; Prometheus scrapes every instance. Only what the
assistant needs: counters with labels and latency histograms with fixed
buckets. Thread-safe, so the console's worker threads can record too.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import Dict, List, Sequence, Tuple

#: Seconds. Chat replies should take tens of milliseconds; city APIs up to the 2.8 s budget.
DEFAULT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

Labels = Tuple[Tuple[str, str], ...]


def _labels(values: Dict[str, str]) -> Labels:
    return tuple(sorted((key, str(value)) for key, value in values.items()))


def _render_labels(labels: Labels, extra: Sequence[Tuple[str, str]] = ()) -> str:
    pairs = list(labels) + list(extra)
    if not pairs:
        return ""
    inner = ",".join(f'{key}="{_escape(value)}"' for key, value in pairs)
    return "{" + inner + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf"
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


@dataclass
class Counter:
    name: str
    help: str
    values: Dict[Labels, float] = field(default_factory=dict)

    def inc(self, amount: float = 1.0, **labels: str) -> None:
        key = _labels(labels)
        self.values[key] = self.values.get(key, 0.0) + amount

    def render(self) -> List[str]:
        lines = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} counter"]
        lines += [
            f"{self.name}{_render_labels(k)} {_number(v)}" for k, v in sorted(self.values.items())
        ]
        return lines


@dataclass
class Histogram:
    name: str
    help: str
    buckets: Sequence[float] = DEFAULT_BUCKETS
    counts: Dict[Labels, List[int]] = field(default_factory=dict)
    sums: Dict[Labels, float] = field(default_factory=dict)

    def observe(self, seconds: float, **labels: str) -> None:
        key = _labels(labels)
        counts = self.counts.setdefault(key, [0] * (len(self.buckets) + 1))
        for index, bound in enumerate(self.buckets):
            if seconds <= bound:
                counts[index] += 1
        counts[-1] += 1
        self.sums[key] = self.sums.get(key, 0.0) + seconds

    def render(self) -> List[str]:
        lines = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} histogram"]
        for key in sorted(self.counts):
            counts = self.counts[key]
            for bound, count in zip(self.buckets, counts, strict=False):
                lines.append(
                    f"{self.name}_bucket{_render_labels(key, [('le', _number(bound))])} {count}"
                )
            lines.append(f"{self.name}_bucket{_render_labels(key, [('le', '+Inf')])} {counts[-1]}")
            lines.append(f"{self.name}_sum{_render_labels(key)} {_number(self.sums[key])}")
            lines.append(f"{self.name}_count{_render_labels(key)} {counts[-1]}")
        return lines


class Registry:
    """The metrics of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._metrics: Dict[str, Counter | Histogram] = {}

    def counter(self, name: str, help: str) -> Counter:
        with self._lock:
            return self._metrics.setdefault(name, Counter(name, help))  # type: ignore[return-value]

    def histogram(
        self, name: str, help: str, buckets: Sequence[float] = DEFAULT_BUCKETS
    ) -> Histogram:
        with self._lock:
            return self._metrics.setdefault(name, Histogram(name, help, buckets))  # type: ignore[return-value]

    def inc(self, name: str, help: str, amount: float = 1.0, **labels: str) -> None:
        with self._lock:
            metric = self._metrics.setdefault(name, Counter(name, help))
            assert isinstance(metric, Counter)
            metric.inc(amount, **labels)

    def observe(self, name: str, help: str, seconds: float, **labels: str) -> None:
        with self._lock:
            metric = self._metrics.setdefault(name, Histogram(name, help))
            assert isinstance(metric, Histogram)
            metric.observe(seconds, **labels)

    def render(self) -> str:
        with self._lock:
            lines: List[str] = []
            for name in sorted(self._metrics):
                lines += self._metrics[name].render()
        return "\n".join(lines) + "\n"


#: The registry of this process.
REGISTRY = Registry()
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

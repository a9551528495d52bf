"""The permits catalogue as the sandbox serves it: loaded from YAML, changeable while it runs.

The public routes of :mod:`sandbox.permits` and the admin routes of
:mod:`sandbox.permits_admin` share one :class:`PermitCatalogue`, so an entry replaced by an
operator is what the next ``GET`` answers; that is how an end-to-end test shows the assistant
following a catalogue change without retraining. The sandbox serves from one process and no
handler awaits between reading and changing the catalogue, so it needs no lock.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

DEFAULT_CATALOGUE = Path(__file__).resolve().parent / "data" / "permits_catalogue.yml"


class PermitCatalogue(Mapping[str, Mapping[str, Any]]):
    """Catalogue entries by permit type, plus the header fields every catalogue answer carries."""

    def __init__(self, header: Mapping[str, Any], entries: Iterable[Mapping[str, Any]]) -> None:
        self.header: dict[str, Any] = {
            "updated": header.get("updated"),
            "city": header.get("city"),
            "hotline": header.get("hotline"),
            "portal": header.get("portal"),
            "sample_data": True,
        }
        # Kept apart from the served entries so a reset undoes every change, nested ones too.
        self._initial = {entry["permit_type"]: copy.deepcopy(dict(entry)) for entry in entries}
        self._entries = copy.deepcopy(self._initial)

    @classmethod
    def from_yaml(cls, path: str | os.PathLike[str] = DEFAULT_CATALOGUE) -> PermitCatalogue:
        """The catalogue of a ``permits_catalogue.yml`` file: its header and its ``permits``."""
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        return cls(data, data["permits"])

    def __getitem__(self, permit_type: str) -> Mapping[str, Any]:
        return self._entries[permit_type]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def put(self, entry: Mapping[str, Any]) -> bool:
        """Add or replace the entry of ``entry["permit_type"]``; True when the type is new.

        A replaced entry keeps its place in the listing; a new one is listed last.
        """
        permit_type = str(entry["permit_type"])
        created = permit_type not in self._entries
        self._entries[permit_type] = copy.deepcopy(dict(entry))
        return created

    def remove(self, permit_type: str) -> bool:
        """Remove a permit type; False when there was none."""
        return self._entries.pop(permit_type, None) is not None

    def reset(self) -> None:
        """Serve the catalogue as it was loaded at start-up again."""
        self._entries = copy.deepcopy(self._initial)

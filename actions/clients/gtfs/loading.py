"""Fetch a GTFS feed from a URL, a zip file or a folder, once, at start-up.

A city points ``gtfs_feed`` at its published zip or at a local copy; both end up in
:func:`~actions.clients.gtfs.parsing.parse_feed`. Downloading uses the shared HTTP client
with a start-up policy — a feed is megabytes and nobody is waiting on a reply yet, so it
gets a much longer read timeout than a resident's turn would allow. Parsing runs in a
worker thread so the event loop stays free while the action server starts.
"""

from __future__ import annotations

import asyncio
import io
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

import httpx

from actions.clients import http
from actions.clients.gtfs.footpaths import DEFAULT_WALK_RADIUS_M
from actions.clients.gtfs.model import TransitFeed
from actions.clients.gtfs.parsing import parse_feed
from actions.clients.gtfs.tables import GtfsError

SERVICE = "gtfs"
START_UP_POLICY = http.TransportPolicy(
    connect_timeout=3.0, read_timeout=30.0, get_retries=2, backoff_seconds=1.0, total_seconds=120.0
)


async def load_feed(
    location: str,
    *,
    client: httpx.AsyncClient | None = None,
    policy: http.TransportPolicy = START_UP_POLICY,
    walk_radius_m: float = DEFAULT_WALK_RADIUS_M,
) -> TransitFeed:
    """The feed at ``location``: an http(s) URL of a zip, a zip file, or a folder of .txt files.

    ``walk_radius_m``: how far apart stops may be for a walk between them (the city's
    ``transit_walk_radius_m`` setting; see :mod:`.footpaths`).

    Raises :class:`GtfsError` for a feed that cannot be used, and a
    :class:`~actions.clients.errors.CityServiceError` (``ServiceUnavailable``, ``NotFound``)
    when the URL does not answer with one.
    """
    if location.startswith(("http://", "https://")):
        response = await http.get(
            SERVICE,
            location,
            headers={"Accept": "application/zip"},
            policy=policy,
            client=client,
        )
        return await asyncio.to_thread(parse_zip, response.content, walk_radius_m=walk_radius_m)
    return await asyncio.to_thread(read_feed, Path(location), walk_radius_m=walk_radius_m)


def read_feed(path: Path, *, walk_radius_m: float = DEFAULT_WALK_RADIUS_M) -> TransitFeed:
    """A feed from a local zip file or folder (blocking: call it off the event loop)."""
    if path.is_dir():
        files = {p.name: p.read_bytes() for p in sorted(path.glob("*.txt"))}
        return parse_feed(files, walk_radius_m=walk_radius_m)
    if path.is_file():
        return parse_zip(path.read_bytes(), walk_radius_m=walk_radius_m)
    raise GtfsError(f"no GTFS feed at {path} (expected a .zip file or a folder of .txt files)")


def parse_zip(data: bytes, *, walk_radius_m: float = DEFAULT_WALK_RADIUS_M) -> TransitFeed:
    """A feed from the bytes of its zip."""
    return parse_feed(zip_members(data), walk_radius_m=walk_radius_m)


def zip_members(data: bytes) -> Mapping[str, bytes]:
    """The .txt files of a feed zip, by file name.

    Some publishers zip the folder rather than its files, so a file in a subfolder counts
    when no file of that name sits at the top.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise GtfsError("the feed is not a zip file") from None
    files: dict[str, bytes] = {}
    with archive:
        entries = sorted(
            (i for i in archive.infolist() if not i.is_dir() and i.filename.endswith(".txt")),
            key=lambda i: i.filename.count("/"),
        )
        for info in entries:
            name = PurePosixPath(info.filename).name
            if name not in files and not name.startswith("."):
                try:
                    files[name] = archive.read(info)
                except (zipfile.BadZipFile, OSError, EOFError) as error:
                    raise GtfsError(
                        f"{info.filename} cannot be read from the zip: {error}"
                    ) from None
    return files

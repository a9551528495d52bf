"""One client per city service, each speaking that service's standard protocol.

``open311`` (complaints, Open311 GeoReport v2), ``permits`` (BLDS-shaped permit
records and the service catalogue), ``gtfs`` and ``gtfs_realtime`` (transit),
and ``assistant``: the assistant's own Rasa HTTP API, through which the outbox
worker messages a resident whose complaint moved on. All share the transport
rules in :mod:`actions.clients.http` and the exceptions in
:mod:`actions.clients.errors`.
"""

"""Rasa's model graphs run node by node in a planned order, without dask's scheduler.

Every message runs Rasa's graph at least twice: the NLU pipeline once, the policies
once per action predicted (~2 per message). ``DaskGraphRunner.run`` rebuilds the
minimal schema and a dask task graph for each run and hands it to dask's synchronous
scheduler, which orders, submits and finishes the ~20 tasks one at a time. That
bookkeeping was ~1.3 ms of a ~12 ms parse under cProfile on 2026-12-05 (dask's
``get_async`` around the nodes' own work), and as much again for each prediction.

:func:`run` computes, once per set of targets, the nodes those targets need in an
order where each node comes after the nodes it needs (Rasa's ``minimal_graph_schema``
walked depth-first, parents in the order the schema names them), then calls the very
``GraphNode`` objects with the very arguments dask would: each parent's ``(name,
output)`` pair, an input as ``(input name, value)``, and a name that is neither as
the bare name (``GraphNode`` warns and goes on, as under dask). An input whose name is
a node's replaces that node, as in Rasa's runner. Nodes are run one after another in
the calling thread, as dask's synchronous scheduler did; the graph has no two nodes
that write to the same object unless one needs the other, so the order among
independent nodes cannot change an answer (the conversation tests and
tests/integration/test_graph_runner.py compare both runners on the trained model).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema

logger = logging.getLogger(__name__)

#: (node name, the names of what it needs in its schema's order) in running order.
Plan = tuple[tuple[str, tuple[str, ...]], ...]


def plan_for(schema: GraphSchema, targets: Sequence[str]) -> Plan:
    """The nodes ``targets`` need, each after everything it needs (see module doc)."""
    minimal = schema.minimal_graph_schema(list(targets))
    nodes = minimal.nodes
    ordered: list[tuple[str, tuple[str, ...]]] = []
    seen: set[str] = set()

    def visit(name: str) -> None:  # no cycles: Rasa validates a graph before training
        if name in seen or name not in nodes:
            return
        seen.add(name)
        needs = tuple(nodes[name].needs.values())
        for parent in needs:
            visit(parent)
        ordered.append((name, needs))

    for name in nodes:  # every node of the minimal schema, as dask ran them all
        visit(name)
    return tuple(ordered)


def run(
    runner: Any, inputs: dict[str, Any] | None = None, targets: list[str] | None = None
) -> dict[str, Any]:
    """``DaskGraphRunner.run``'s contract, executed from a cached :func:`plan_for`."""
    run_targets = list(targets) if targets else list(runner._graph_schema.target_names)
    plans: dict[tuple[str, ...], Plan] = runner.__dict__.setdefault("_city_plans", {})
    key = tuple(run_targets)
    plan = plans.get(key)
    if plan is None:
        plan = plans[key] = plan_for(runner._graph_schema, run_targets)
    values: dict[str, Any] = {}
    if inputs:
        names = {name for name, _ in plan}
        for input_name, input_value in inputs.items():
            if isinstance(input_value, str) and input_value in names:
                raise GraphRunError(
                    f"Input value '{input_value}' clashes with a node name. Make sure "
                    f"that none of the input names passed to the `run` method are the "
                    f"same as node names in the graph schema."
                )
            values[input_name] = (input_name, input_value)
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(f"Running graph with inputs: {inputs}, targets: {targets}.")
    nodes = runner._instantiated_nodes
    try:
        for name, needs in plan:
            if name in values:
                continue  # an input of this name stands in for the node
            values[name] = nodes[name](*(values.get(parent, parent) for parent in needs))
        return dict(values[target] for target in run_targets)
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error

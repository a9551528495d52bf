"""Rasa graphs run as a planned loop: same nodes, same arguments, needed order."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema, SchemaNode

from bot import graph_runner


class Recorder:
    """Stands in for a ``GraphNode``: answers ``(name, what it received)``, in order."""

    def __init__(self, name: str, calls: list[str]) -> None:
        self.name = name
        self.calls = calls

    def __call__(self, *received: Any) -> tuple[str, Any]:
        self.calls.append(self.name)
        return self.name, received


def schema(needs: dict[str, dict[str, str]], targets: tuple[str, ...] = ()) -> GraphSchema:
    return GraphSchema(
        {
            name: SchemaNode(
                needs=parents, uses=object, constructor_name="load", fn="run", config={},
                is_target=name in targets,
            )
            for name, parents in needs.items()
        }
    )  # fmt: skip


class Runner:
    """Has what ``DaskGraphRunner`` gives :func:`graph_runner.run` to work with."""

    def __init__(self, graph: GraphSchema) -> None:
        self.calls: list[str] = []
        self._graph_schema = graph
        self._instantiated_nodes = {name: Recorder(name, self.calls) for name in graph.nodes}


NLU = schema(
    {
        "featurize": {"messages": "tokenize"},
        "tokenize": {"messages": "__message__"},
        "classify": {"messages": "featurize", "extra": "tokenize"},
        "unused": {"messages": "tokenize"},
    },
    targets=("classify",),
)


def test_each_node_runs_once_after_what_it_needs_and_only_what_the_targets_need() -> None:
    runner = Runner(NLU)
    outputs = graph_runner.run(runner, inputs={"__message__": "hi"}, targets=["classify"])
    assert runner.calls == ["tokenize", "featurize", "classify"]
    tokenized = ("tokenize", (("__message__", "hi"),))
    assert outputs == {"classify": (("featurize", (tokenized,)), tokenized)}


def test_the_schema_s_targets_are_run_when_none_are_named() -> None:
    runner = Runner(NLU)
    assert list(graph_runner.run(runner, inputs={"__message__": "hi"})) == ["classify"]


def test_a_need_nothing_provides_reaches_the_node_as_its_bare_name() -> None:
    """As under dask: the node is called with the name and GraphNode decides."""
    runner = Runner(NLU)
    outputs = graph_runner.run(runner, targets=["tokenize"])
    assert outputs == {"tokenize": ("__message__",)}


def test_an_input_named_like_a_node_stands_in_for_it() -> None:
    runner = Runner(NLU)
    outputs = graph_runner.run(runner, inputs={"tokenize": ["given"]}, targets=["featurize"])
    assert runner.calls == ["featurize"]
    assert outputs == {"featurize": (("tokenize", ["given"]),)}


def test_an_input_whose_value_is_a_node_s_name_is_refused() -> None:
    with pytest.raises(GraphRunError, match="clashes with a node name"):
        graph_runner.run(Runner(NLU), inputs={"__message__": "tokenize"}, targets=["classify"])


def test_the_plan_is_made_once_per_set_of_targets() -> None:
    runner = Runner(NLU)
    graph_runner.run(runner, inputs={"__message__": "a"}, targets=["classify"])
    graph_runner.run(runner, inputs={"__message__": "b"}, targets=["classify"])
    graph_runner.run(runner, inputs={"__message__": "c"}, targets=["unused"])
    assert set(runner.__dict__["_city_plans"]) == {("classify",), ("unused",)}


def test_a_node_s_runtime_error_is_a_graph_run_error_as_in_rasa() -> None:
    runner = Runner(NLU)

    def broken(*received: Any) -> Any:
        raise RuntimeError("broken")

    runner._instantiated_nodes["featurize"] = broken  # type: ignore[assignment]
    with pytest.raises(GraphRunError):
        graph_runner.run(runner, inputs={"__message__": "hi"}, targets=["classify"])

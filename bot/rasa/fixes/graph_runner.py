"""`rasa.engine.runner.dask.DaskGraphRunner.run` without dask for each message.

A loaded Rasa model runs two graphs per turn (NLU, then the policies once per predicted action).
For every run Rasa computes the minimal sub-graph for the targets, builds a dask task graph from it,
orders it with `dask.order` and executes it with dask's synchronous scheduler: 8% of a transcript
turn went to that bookkeeping (cProfile, issue 6). The graph and its targets never change for a
loaded model, so here the execution order for a set of targets is computed once per runner and
the nodes are called one after another in it, with exactly the arguments dask gave them: the
(name, output) tuples of the nodes and inputs they need, or the bare name of a need that nothing
provides (GraphNode warns about it, as under dask). Errors surface as under dask: a node's
exception propagates, a RuntimeError becomes GraphRunError.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner

_ORIGINAL = DaskGraphRunner.run
_ORDER_ATTRIBUTE = "_yibao_execution_orders"

Step = Tuple[Text, Tuple[Text, ...]]          # node name, names of the nodes/inputs it needs


def execution_order(schema: GraphSchema, targets: Tuple[Text, ...]) -> Tuple[Step, ...]:
    """Every node the targets depend on, each after the nodes it needs (depth first)."""
    minimal = schema.minimal_graph_schema(list(targets))
    order: List[Step] = []
    done: set[Text] = set()

    def visit(name: Text, path: Tuple[Text, ...]) -> None:
        if name in done or name not in minimal.nodes:
            return
        if name in path:
            raise GraphRunError(f"Graph has a cycle through node '{name}'.")
        needs = tuple(minimal.nodes[name].needs.values())
        for need in needs:
            visit(need, path + (name,))
        done.add(name)
        order.append((name, needs))

    for target in targets:
        visit(target, ())
    return tuple(order)


def run(self: DaskGraphRunner, inputs: Optional[Dict[Text, Any]] = None,
        targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
    run_targets = tuple(targets if targets else self._graph_schema.target_names)
    orders: Dict[Tuple[Text, ...], Tuple[Step, ...]] = self.__dict__.setdefault(_ORDER_ATTRIBUTE, {})
    if run_targets not in orders:
        orders[run_targets] = execution_order(self._graph_schema, run_targets)
    order = orders[run_targets]
    results: Dict[Text, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and any(value == node for node, _ in order):
            raise GraphRunError(
                f"Input value '{value}' clashes with a node name. Make sure that none of the "
                f"input names passed to the `run` method are the same as node names in the "
                f"graph schema.")
        results[name] = (name, value)
    try:
        for name, needs in order:
            results[name] = self._instantiated_nodes[name](*(results.get(need, need) for need in needs))
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error
    return dict(results[target] for target in run_targets)


def install() -> None:
    DaskGraphRunner.run = run


def original() -> object:
    return _ORIGINAL

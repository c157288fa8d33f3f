"""The import rules every service keeps, checked from its real import graph (grimp).

1. No import circle between modules.
2. No circle between domains (``pos.carts`` ↔ ``pos.drawers``): a domain is the first
   sub-package; ``events`` splits into ``events.contracts`` (a leaf: what is published
   and consumed) and ``events.handlers`` (the top: it calls into domains).
3. No import from a lower layer up, in any domain: ``router`` > ``service`` >
   ``repository`` > ``models``/``schemas``; a repository never imports a service, a
   model never imports a repository, nothing but ``main``/``cli`` imports a router,
   only routers (and handlers) import ``deps`` (the wiring of services for routes),
   and no domain imports ``events.handlers``.

``import_problems("pos")`` lists every breach (empty when the package keeps the rules).
"""

from __future__ import annotations

from collections.abc import Iterable

import grimp

# Higher number = higher layer. Modules not named here (helpers of a domain) are unranked.
LAYERS = {"models": 0, "schemas": 0, "repository": 1, "service": 2, "router": 3}
SPLIT = ("events",)
TOP = ("main", "cli")
# Composition modules: wire services for routers (typed dependencies); routers may import them,
# they may import any service. They are left out of the domain graph.
WIRING = ("deps",)


def _graph(package: str) -> grimp.ImportGraph:
    return grimp.build_graph(package, exclude_type_checking_imports=True, cache_dir=None)


def _edges(graph: grimp.ImportGraph, package: str) -> dict[str, set[str]]:
    return {
        module: {
            imported
            for imported in graph.find_modules_directly_imported_by(module)
            if imported == package or imported.startswith(package + ".")
        }
        for module in graph.modules
        if module == package or module.startswith(package + ".")
    }


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan), or self-loops."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in edges.get(node, ()):
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def domain_of(module: str, package: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return package
    if parts[1] in SPLIT and len(parts) > 2:
        return ".".join(parts[1:3])
    return parts[1]


def _layer(module: str) -> int | None:
    return LAYERS.get(module.rsplit(".", 1)[-1])


def _collapse(edges: dict[str, set[str]], package: str) -> dict[str, set[str]]:
    domains: dict[str, set[str]] = {}
    for module, targets in edges.items():
        source = domain_of(module, package)
        if source in (package, *WIRING):
            continue  # the package's __init__, or the wiring of routers
        bucket = domains.setdefault(source, set())
        for target in targets:
            domain = domain_of(target, package)
            if domain not in (source, package, *WIRING):
                bucket.add(domain)
    return domains


def _upward(edges: dict[str, set[str]], package: str) -> Iterable[str]:
    for module, targets in sorted(edges.items()):
        name = module.rsplit(".", 1)[-1]
        source_domain = domain_of(module, package)
        for target in sorted(targets):
            target_name = target.rsplit(".", 1)[-1]
            if target_name == "router" and name not in TOP and source_domain != "events.handlers":
                yield f"{module} imports a router ({target}): only main wires routers"
            elif domain_of(target, package) == "events.handlers" and name not in TOP:
                if source_domain != "events.handlers":
                    yield f"{module} imports {target}: nothing below main calls event handlers"
            elif target_name in WIRING and (_layer(module) or 0) < LAYERS["router"]:
                if name not in TOP and source_domain != "events.handlers":
                    yield f"{module} imports {target}: only routers use the wiring of deps"
            elif (
                (low := _layer(module)) is not None
                and (high := _layer(target)) is not None
                and high > low
            ):
                yield f"{module} imports {target}: a lower layer may not import a higher one"


def import_problems(package: str) -> list[str]:
    """Every breach of the rules above in ``package`` (already importable)."""
    edges = _edges(_graph(package), package)
    problems = [f"import circle: {' ↔ '.join(cycle)}" for cycle in _cycles(edges)]
    problems += [
        f"domain circle: {' ↔ '.join(cycle)}" for cycle in _cycles(_collapse(edges, package))
    ]
    problems += list(_upward(edges, package))
    return problems

"""The order a backward pass walks a computational graph, shared by both engines.

A node of either engine (:class:`~bpcore.autodiff.Value`, :class:`~bpcore.autodiff.Tensor`)
lists in ``parents`` the nodes it was computed from.  The backward pass must reach a node
only after every node that uses it, so that the node's gradient is complete (all its
contributions added) before it is passed on.  :func:`topological_order` lists the nodes
so that each comes after all of its parents; the backward pass walks that list from the
end.

It is a depth-first search with an explicit stack instead of recursion, so a graph of a
chain of 100,000 operations is no harder than one of ten: Python's recursion limit (about
1,000 calls) never comes into it.

>>> from bpcore.autodiff import Value
>>> x = Value(2.0, label="x")
>>> y = x * x + x
>>> [node.op or node.label for node in topological_order(y)]
['x', '*', '+']
"""
from __future__ import annotations

__all__ = ["topological_order"]


def topological_order(root):
    """Every node ``root`` was computed from, and ``root`` last; each node after its parents.

    Iterative post-order depth-first search, first operands first: a node is appended once
    all of its parents are.  Each node appears once, however many times it is used.
    """
    order, seen = [], set()
    stack = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)             # every parent is already in ``order``
            continue
        if node in seen:
            continue                       # reached again along another path
        seen.add(node)
        stack.append((node, True))         # come back to it after its parents
        stack.extend((p, False) for p in reversed(node.parents) if p not in seen)
    return order

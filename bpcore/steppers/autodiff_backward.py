"""The backward pass of a :class:`bpcore.autodiff.Value` graph, node by node.

The walk is :meth:`Value.backward`'s: the nodes in reverse topological order, the cost
first with dC/dC = 1; at each operation its gradient is complete (every node that uses it
has passed its share), and it passes each operand the share g * d(out)/d(operand), which
adds to what the operand holds already.  A node used twice receives two shares.  The
stepper reads ``parents`` and ``local_grads`` and leaves every ``.grad`` untouched.

>>> from bpcore.autodiff import Value
>>> x = Value(1.5, label="x")
>>> f = x * x + x; f.label = "f"
>>> s = autodiff_backward_stepper(f)
>>> [st.title for st in s.steps]
['The forward pass recorded the graph', 'f = v_1 + x', 'v_1 = x × x', 'Every gradient']
>>> s.steps[-1].values["dC/dx"]          # 2x + 1
4.0
"""
from __future__ import annotations

from ..autodiff.graph import topological_order
from ..autodiff.scalar import Value
from ..figures.autodiff_graph import OP_SYMBOLS, describe_graph, graph_png, names
from ..tex import display, factor, inline, number, paragraph
from .assemble import assemble
from .model import Step
from .pictures import Pending

__all__ = ["autodiff_backward_stepper", "MAX_NODES"]

MAX_NODES = 30          # boxes that fit a readable picture
_TEX_OPS = {"+": "+", "-": "-", "*": r"\times", "/": r"\div"}


def _formula(node, tex):
    """The operation that made ``node``, in TeX: ``z = s + b``, ``a = \\sigma(z)``."""
    p = [tex[q] for q in node.parents]
    if node.op in _TEX_OPS:
        rhs = f"{p[0]} {_TEX_OPS[node.op]} {p[1]}"
    elif node.op.startswith("**"):
        rhs = f"({p[0]})^{{{node.op[2:]}}}"
    elif node.op == "neg":
        rhs = f"-{p[0]}"
    else:
        rhs = {"sigmoid": r"\sigma", "tanh": r"\tanh", "exp": r"\exp", "log": r"\ln"}.get(
            node.op, rf"\operatorname{{{node.op}}}") + f"({p[0]})"
    return f"{tex[node]} = {rhs}"


def _d(top, bottom):
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


def autodiff_backward_stepper(root, cost_name="C"):
    """Step through the backward pass of the graph that ends at the Value ``root`` (the
    cost, called ``cost_name`` in the formulas).

    Views: the recorded graph; one per operation, in reverse topological order, with its
    complete gradient, its local derivatives and the share each operand receives (and what
    that operand holds so far); a last view with every gradient.  ``values`` keys use the
    nodes' ASCII names: ``"dC/d<node>"`` (complete), ``"d<node>/d<operand>"`` (local),
    ``"dC/d<operand> so far"``.  Raises TypeError for a root that is not a Value, and
    ValueError for a graph of more than ``MAX_NODES`` nodes.
    """
    what = "autodiff_backward_stepper"
    if not isinstance(root, Value):
        raise TypeError(f"{what} steps through the graph of a bpcore.autodiff.Value, the cost, "
                        f"got {type(root).__name__}")
    order = topological_order(root)
    if len(order) > MAX_NODES:
        raise ValueError(f"{what} draws every node and shows at most {MAX_NODES}, but this "
                         f"graph has {len(order)}; step through a smaller graph, such as one "
                         "neuron and its cost")
    label = names(root)
    tex = {n: t for n, (t, _) in label.items()}
    key = {n: k for n, (_, k) in label.items()}
    tex[root] = key[root] = cost_name if not root.label else tex[root]
    users = {n: set() for n in order}
    for n in order:
        for p in n.parents:
            users[p].add(n)
    waiting = {n: len(users[n]) for n in order}           # users yet to pass their share
    flowing, complete = {root: 1.0}, set()

    def picture(current):
        state = dict(grads=dict(flowing), complete=set(complete), current=current)
        return dict(png=Pending(graph_png, root, **state), alt=describe_graph(root, **state))

    walk = ", ".join(inline(tex[n]) for n in reversed(order) if n.parents)
    steps = [Step("The forward pass recorded the graph", paragraph(
        "Every box holds a value the forward pass computed, and every operation also stored "
        "its local derivatives, the derivative of its result with respect to each operand. "
        f"The backward pass visits the operations in reverse topological order: {walk}. "
        "Each is reached only after every node that uses it.")
        + display(rf"{_d(tex[root], tex[root])} = 1"),
        {key[root]: root.data}, **picture(None))]
    for node in reversed(order):
        if not node.parents:
            continue
        g = flowing[node]
        complete.add(node)
        shares, lines, values = [], [], {f"dC/d{key[node]}": g}
        for parent, local in zip(node.parents, node.local_grads):
            share = g * local
            flowing[parent] = flowing.get(parent, 0.0) + share
            shares.append((parent, share))
            lines.append(rf"{_d(tex[root], tex[parent])} \mathrel{{+}}= "
                         rf"{_d(tex[root], tex[node])} \cdot {_d(tex[node], tex[parent])} = "
                         rf"{factor(g)} \cdot {factor(local)} = {number(share)}")
            values[f"d{key[node]}/d{key[parent]}"] = local
        notes = []
        for parent in dict.fromkeys(node.parents):
            waiting[parent] -= 1
            values[f"dC/d{key[parent]} so far"] = flowing[parent]
            if waiting[parent] == 0:
                complete.add(parent)
            if len(users[parent]) > 1 or node.parents.count(parent) > 1:
                n_shares = len(users[parent]) + node.parents.count(parent) - 1
                state = "all" if waiting[parent] == 0 else "not yet all"
                notes.append(f"{inline(tex[parent])} is used {n_shares} times, so it collects "
                             f"{n_shares} shares, which add; it holds {number(flowing[parent])} "
                             f"now, {state} of them.")
        why = ("the start: the cost's derivative with respect to itself" if node is root else
               "complete, since every node that uses it has passed its share")
        text = (paragraph(f"{inline(_formula(node, tex))}. Its gradient is {why}:")
                + display(rf"{_d(tex[root], tex[node])} = {number(g)}")
                + paragraph("Times each local derivative, it is the share each operand "
                            "receives:")
                + "".join(display(line) for line in lines)
                + "".join(paragraph(note) for note in notes))
        steps.append(Step(f"{key[node]} = {' '.join(_plain(node, key))}", text, values,
                          **picture(node)))
    named = [rf"{_d(tex[root], tex[n])} = {number(flowing[n])}"
             for n in order if not n.parents and n.label]
    rows = [r" \qquad ".join(named[i:i + 2]) for i in range(0, len(named), 2)]
    steps.append(Step("Every gradient", paragraph(
        "Every node has its complete gradient; these are the numbers backward() adds to "
        "each .grad. For the named inputs:")
        + display(r"\begin{gathered} " + r" \\ ".join(rows) + r" \end{gathered}"),
        {f"dC/d{key[n]}": flowing[n] for n in order}, **picture(None)))
    return assemble("autodiff-backward", "The backward pass, node by node", steps, what)


def _plain(node, key):
    """The operation in words for a title: ['v_1', '×', 'x'] or ['σ(z)']."""
    ops = [key[p] for p in node.parents]
    if len(ops) == 2:
        return [ops[0], OP_SYMBOLS.get(node.op, node.op), ops[1]]
    return [f"{OP_SYMBOLS.get(node.op, node.op)}({ops[0]})"]

"""Pictures of a :class:`bpcore.autodiff.Value` graph: one box per node, one arrow per use.

The nodes sit in columns from the inputs (left) to the cost (right): each node one column
left of its first user, so an input is drawn next to the operation that takes it.  A box
holds the node's name (its label, the operation's symbol, or a constant's number), its
value and, once the backward pass has reached it, its gradient dC/d(node); an arrow runs
from an operand to the operation that uses it and may carry the local derivative
d(out)/d(operand).  Colour repeats what the text says: blue fill for a complete gradient,
yellow for one still collecting shares, a thick orange outline for the node at work.

* :func:`layout` -- the position of every node.
* :func:`names` -- what each box is called (and the ASCII keys the stepper uses).
* :func:`draw_graph` -- draw on matplotlib axes; :func:`graph_png` -- PNG bytes for a
  stepper; :func:`plot_graph` -- the chapter's figure, every arrow with its local derivative.
* :func:`describe_graph` -- the picture in words, for alt text.

>>> from bpcore.autodiff import Value
>>> x = Value(2.0, label="x")
>>> y = x * x + 1.0
>>> sorted((names(y)[n][1], xy) for n, xy in layout(y).items())
[('1.0000', (1, 0.5)), ('v_1', (1, -0.5)), ('v_2', (2, 0.0)), ('x', (0, -0.5))]
"""
from __future__ import annotations

from ..autodiff.graph import topological_order
from ..diagrams import figure_to_png
from ..tex import MINUS, format_number

__all__ = ["layout", "names", "draw_graph", "graph_png", "plot_graph", "describe_graph",
           "OP_SYMBOLS"]

OP_SYMBOLS = {"+": "+", "-": MINUS, "*": "\u00d7", "/": "\u00f7", "neg": MINUS,
              "exp": "exp", "log": "log", "tanh": "tanh", "sigmoid": "\u03c3", "relu": "relu"}
_DX = 1.9              # data units between columns (rows are one unit apart)
DONE, PARTIAL, CURRENT, EDGE, PLAIN = "#d6e4f5", "#fbe8a6", "#b34700", "#1b4f9c", "#ffffff"


def _users(order):
    users = {node: [] for node in order}
    for node in order:
        for parent in node.parents:
            if node not in users[parent]:
                users[parent].append(node)
    return users


def _reading_order(root):
    """Each node's rank in a depth-first walk from ``root``, first operands first: the
    top-to-bottom order that keeps the arrows of a tree from crossing."""
    rank, stack = {}, [root]
    while stack:
        node = stack.pop()
        if node not in rank:
            rank[node] = len(rank)
            stack.extend(reversed(node.parents))
    return rank


def layout(root):
    """{node: (column, y)}: the cost in the last column at y = 0, each other node one
    column left of its first user; within a column the nodes keep the reading order (first
    operands on top), each as near its users as the one-unit spacing allows."""
    order = topological_order(root)
    rank = _reading_order(root)
    users = _users(order)
    column = {root: len(order)}
    for node in reversed(order[:-1]):
        column[node] = min(column[u] for u in users[node]) - 1
    shift = min(column.values())
    column = {n: c - shift for n, c in column.items()}
    y = {root: 0.0}
    for c in range(column[root] - 1, -1, -1):
        nodes = [n for n in order if column[n] == c]
        wanted = {}
        for n in nodes:
            spots = [y[u] + (i - (len(u.parents) - 1) / 2) for u in users[n]
                     for i, p in enumerate(u.parents) if p is n and u in y]
            wanted[n] = sum(spots) / len(spots)
        nodes.sort(key=lambda n: rank[n])
        placed = []
        for n in nodes:                              # push apart to one unit, then recentre
            placed.append(max(wanted[n], placed[-1] + 1.0) if placed else wanted[n])
        offset = sum(wanted.values()) / len(nodes) - sum(placed) / len(placed)
        y.update({n: round(p + offset, 6) for n, p in zip(nodes, placed)})
    return {n: (column[n], y[n]) for n in reversed(order)}


def names(root):
    """{node: (TeX name, ASCII key)}: a node's label (``w^2_{11}``, key ``w^2_11``); an
    unlabelled operation ``v_{i}``, i counting operations from the inputs; an unlabelled
    input its number."""
    out, count = {}, 0
    for node in topological_order(root):
        if node.label:
            out[node] = (node.label, node.label.replace("{", "").replace("}", ""))
        elif node.op:
            count += 1
            out[node] = (f"v_{{{count}}}", f"v_{count}")
        else:
            number = format_number(node.data)
            out[node] = (number, number)
    return out


def _box_text(tex, node, grad, complete):
    value = format_number(node.data).replace("-", MINUS)
    if not node.op and not node.label:
        lines = [value]                                   # a constant: its number alone
    else:
        op = f"  ({OP_SYMBOLS.get(node.op, node.op)})" if node.op else ""
        lines = [f"${tex}${op}", value]
    if grad is not None:
        lines.append(("\u2202C = " if complete else "so far ")
                     + format_number(grad).replace("-", MINUS))
    return "\n".join(lines)


def draw_graph(ax, root, *, grads=None, complete=(), current=None, edge_labels=None,
               font=9.0):
    """Draw the graph ending at ``root`` on ``ax``.

    ``grads`` maps nodes to the gradient they hold so far (shown, blue if the node is in
    ``complete``, yellow otherwise); ``current`` gets an orange outline and its arrows
    are drawn thick; ``edge_labels`` maps (operand, operation) to a text on that arrow.
    """
    grads, complete, edge_labels = dict(grads or {}), set(complete), dict(edge_labels or {})
    pos, label = layout(root), names(root)
    boxes = {}
    for node, (cx, cy) in pos.items():
        g = grads.get(node)
        face = PLAIN if g is None else (DONE if node in complete else PARTIAL)
        on = node is current
        boxes[node] = ax.text(
            _DX * cx, -cy, _box_text(label[node][0], node, g, node in complete), ha="center",
            va="center", fontsize=font, linespacing=1.25, zorder=3,
            bbox=dict(boxstyle="round,pad=0.3", fc=face, ec=CURRENT if on else "#333333",
                      lw=2.6 if on else 0.9))
    for node in pos:
        for parent in dict.fromkeys(node.parents):
            thick = node is current
            (x0, y0), (x1, y1) = pos[parent], pos[node]
            ax.annotate("", xy=(_DX * x1, -y1), xytext=(_DX * x0, -y0), zorder=2,
                        arrowprops=dict(arrowstyle="-|>", color=EDGE if thick else "#777777",
                                        lw=2.2 if thick else 0.9, mutation_scale=11,
                                        shrinkA=2, shrinkB=2,
                                        patchA=boxes[parent].get_bbox_patch(),
                                        patchB=boxes[node].get_bbox_patch()))
            text = edge_labels.get((parent, node))
            if text:
                ax.text(_DX * (x0 + x1) / 2, -(y0 + y1) / 2, text, ha="center",
                        va="center", fontsize=font - 1.0, color=EDGE, zorder=4,
                        bbox=dict(boxstyle="round,pad=0.12", fc="white", ec=EDGE, lw=0.5))
    xs, ys = [_DX * c for c, _ in pos.values()], [-y for _, y in pos.values()]
    ax.set_xlim(min(xs) - 0.85, max(xs) + 0.85)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
    ax.set_axis_off()


def _size(root):
    pos = layout(root).values()
    columns = max(c for c, _ in pos) + 1
    rows = max(y for _, y in pos) - min(y for _, y in pos) + 1
    return 1.2 * columns, 0.8 * rows + 0.25


def graph_png(root, **kwargs):
    """:func:`draw_graph` as compact PNG bytes (white, 75 dpi), for a stepper's step."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=_size(root), facecolor="white")
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    draw_graph(ax, root, **kwargs)
    return figure_to_png(fig)


def plot_graph(root, local_derivatives=True):
    """The chapter's figure (pyplot): the graph with every value and, on every arrow, the
    local derivative d(operation)/d(operand)."""
    import matplotlib.pyplot as plt

    labels = {}
    if local_derivatives:
        for node in topological_order(root):
            for parent, local in zip(node.parents, node.local_grads):
                key = (parent, node)
                labels[key] = ((labels[key] + " + ") if key in labels else "") + \
                    format_number(local).replace("-", MINUS)
    fig = plt.figure(figsize=_size(root), facecolor="white")
    draw_graph(fig.add_axes((0.0, 0.0, 1.0, 1.0)), root, edge_labels=labels)
    return fig


def describe_graph(root, grads=None, complete=(), current=None):
    """The picture in words: every node with its value and what it is computed from, and
    its gradient where ``grads`` gives one."""
    label, grads, complete = names(root), dict(grads or {}), set(complete)
    parts = []
    for node in topological_order(root):
        text = (f"{label[node][1]} = {format_number(node.data)}" if node.op or node.label
                else f"the constant {label[node][1]}")
        if node.parents:
            text += " from " + " and ".join(label[p][1] for p in node.parents)
        if node in grads:
            text += (", gradient " if node in complete else ", gradient so far ") + \
                format_number(grads[node])
        parts.append(text + (" (current)" if node is current else ""))
    return f"Computational graph of {len(parts)} nodes, inputs first: " + "; ".join(parts) + "."

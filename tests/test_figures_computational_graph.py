"""bpcore.figures.computational_graph: the boxes hold the forward pass's numbers, and the
edge labels multiplied along the paths (and added over them) give dC/dw by central
differences."""
import re

import matplotlib
import numpy as np
import pytest

import bpcore
from bpcore.figures import computational_graph as cg

matplotlib.use("Agg")

EX = bpcore.examples.running_example()
NUMBER = re.compile(r"-?\d+\.\d+")


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def by_hand(net, x):
    """z^1, a^1, z^2, a^2 of one sample with numpy alone."""
    z1 = net.weights[0] @ x + net.biases[0][:, None]
    a1 = sigmoid(z1)
    z2 = net.weights[1] @ a1 + net.biases[1][:, None]
    return z1, a1, z2, sigmoid(z2)


def central_difference(net, x, y, l, j, k, eps=1e-6):
    w = net.W(l)[j - 1, k - 1]
    return (bpcore.cost(net.with_weight(l, j, k, w + eps), x, y)
            - bpcore.cost(net.with_weight(l, j, k, w - eps), x, y)) / (2 * eps)


def label_value(label):
    return float(NUMBER.findall(label)[-1])


def path_product(edges, path):
    """Multiply the labels of the edges along ``path`` (a list of node keys)."""
    labels = {(tail, head): label for tail, head, label, _, _ in edges}
    return np.prod([label_value(labels[step]) for step in zip(path, path[1:])])


def test_output_weight_boxes_hold_the_forward_pass():
    nodes, _ = cg.output_weight_graph(EX.net, EX.x, EX.y)
    _, a1, z2, a2 = by_hand(EX.net, EX.x)
    cost = 0.5 * np.sum((EX.y - a2) ** 2)
    expected = {"w": 0.40, "a1": a1[0, 0], "b": 0.60, "z": z2[0, 0], "a": a2[0, 0],
                "a22": a2[1, 0], "C": cost}
    for key, value in expected.items():
        assert float(nodes[key][3]) == pytest.approx(value, abs=5e-3)


def test_output_weight_path_gives_the_derivative():
    _, edges = cg.output_weight_graph(EX.net, EX.x, EX.y)
    product = path_product(edges, ["w", "z", "a", "C"])
    assert product == pytest.approx(central_difference(EX.net, EX.x, EX.y, 2, 1, 1), rel=1e-3)
    assert [label for _, _, label, _, _ in edges if not label] == ["", "", ""]


def test_hidden_weight_paths_add_up_to_the_derivative():
    nodes, edges = cg.hidden_weight_graph(EX.net, EX.x, EX.y)
    z1, _, z2, _ = by_hand(EX.net, EX.x)
    assert float(nodes["z1"][3]) == pytest.approx(z1[0, 0], abs=5e-5)
    assert float(nodes["z22"][3]) == pytest.approx(z2[1, 0], abs=5e-5)
    trunk = path_product(edges, ["w", "z1", "a1"])
    upper = path_product(edges, ["a1", "z21", "a21", "C"])
    lower = path_product(edges, ["a1", "z22", "a22", "C"])
    expected = central_difference(EX.net, EX.x, EX.y, 1, 1, 1)
    assert trunk * (upper + lower) == pytest.approx(expected, rel=1e-2)
    assert abs(trunk * upper - expected) > 0.4 * abs(expected)   # one path alone is wrong


def test_plots_draw_a_box_per_node_and_an_arrow_per_edge():
    for plot, graph in [(cg.plot_output_weight, cg.output_weight_graph),
                        (cg.plot_hidden_weight, cg.hidden_weight_graph)]:
        nodes, edges = graph(EX.net, EX.x, EX.y)
        fig = plot(EX.net, EX.x, EX.y)
        ax = fig.axes[0]
        boxes = [t for t in ax.texts if t.get_bbox_patch() is not None]
        arrows = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
        assert len(boxes) == len(nodes) and len(arrows) == len(edges)
        assert {t.get_text() for t in boxes} == {f"{s}\n{v}" for _, _, s, v, _ in nodes.values()}
        matplotlib.pyplot.close(fig)


def test_another_network_is_refused():
    net = bpcore.Network.random([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match=r"2-layer sigmoid network with at least two outputs.*"
                                         r"got sizes \(2, 3, 1\)"):
        cg.output_weight_graph(net, EX.x, EX.y[:1])
    with pytest.raises(ValueError, match="one column per sample"):
        cg.hidden_weight_graph(EX.net, np.ones((2, 3)), EX.y)

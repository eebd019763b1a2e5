"""bpcore.figures.weight_labels: the circles hold the forward pass (recomputed with numpy),
and each weight's label sits 72 % of the way along its line, from the neuron it leaves."""
import matplotlib
import numpy as np
import pytest

import bpcore
from bpcore.figures import weight_labels as wl

matplotlib.use("Agg")

EX = bpcore.examples.running_example()


def test_nodes_are_the_activations_and_edges_the_weights():
    nodes, edges = wl.nodes_and_edges(EX.net, EX.x)
    a = EX.x[:, 0]
    expected = {(0, j): a[j] for j in range(2)}
    for l, (W, b) in enumerate(zip(EX.net.weights, EX.net.biases), start=1):
        a = 1 / (1 + np.exp(-(W @ a + b)))
        expected.update({(l, j): a[j] for j in range(len(a))})
    assert nodes.keys() == expected.keys()
    assert all(nodes[key] == pytest.approx(value, abs=1e-12) for key, value in expected.items())
    assert edges[(2, 0, 2)] == EX.net.W(2)[0, 2] and len(edges) == 6 + 6


def test_labels_carry_a_sign_and_a_true_minus():
    texts = dict(wl.labels(EX.net))
    assert texts[(1, 2, 1)] == "\u22120.10" and texts[(2, 0, 0)] == "+0.40"
    assert len(texts) == 12


def test_each_label_sits_along_its_weight():
    fig = wl.plot(EX.net, EX.x)
    ax = fig.axes[0]
    centres = sorted((p.center for p in ax.patches), key=lambda c: (c[0], -c[1]))
    position = dict(zip(sorted(wl.nodes_and_edges(EX.net, EX.x)[0]), centres))
    placed = {t.get_text(): t.get_position() for t in ax.texts if t.get_zorder() == 9}
    for (l, j, k), text in wl.labels(EX.net):
        (x0, y0), (x1, y1) = position[(l - 1, k)], position[(l, j)]
        got = [t.get_position() for t in ax.texts if t.get_text() == text
               and t.get_zorder() == 9]
        assert any(np.allclose(p, (x0 + 0.72 * (x1 - x0), y0 + 0.72 * (y1 - y0))) for p in got)
    assert len(placed) >= 10
    matplotlib.pyplot.close(fig)


def test_a_batch_is_refused():
    with pytest.raises(ValueError, match=r"should be \(2, 1\) with one column per sample"):
        wl.nodes_and_edges(EX.net, np.ones((2, 3)))

"""bpcore.figures.minibatch_spread: the two entries picked (checked by brute force), their
labels, and the plotted data."""
import matplotlib
import numpy as np
import pytest

from bpcore.figures import minibatch_spread as ms

matplotlib.use("Agg")

RNG = np.random.default_rng(3)
W1_SHAPE = (4, 5)
G_FULL = RNG.normal(size=4 * 5 + 4 + 9)


def test_two_entries_are_the_largest_into_two_different_neurons():
    first, second = ms.two_entries(G_FULL, W1_SHAPE)
    g = np.abs(G_FULL[:20])
    assert g[first] == g.max()
    best = max((i for i in range(20) if i // 5 != first // 5), key=lambda i: g[i])
    assert second == best and first // 5 != second // 5


def test_entry_label_names_neuron_and_pixel_from_1():
    labels = [ms.entry_label(i, 5) for i in (0, 4, 5, 19)]
    assert labels == ["∂C/∂w¹ to neuron 1 from pixel 1", "∂C/∂w¹ to neuron 1 from pixel 5",
                      "∂C/∂w¹ to neuron 2 from pixel 1", "∂C/∂w¹ to neuron 4 from pixel 5"]


def test_plot_shows_the_samples_and_the_spread():
    sizes = [1, 10, 100]
    samples = {s: G_FULL + RNG.normal(size=(7, G_FULL.size)) / np.sqrt(s) for s in sizes}
    spread = {s: 2.0 / np.sqrt(s) for s in sizes}
    fig = ms.plot(samples, spread, G_FULL, W1_SHAPE, m=500)
    left, right = fig.axes
    first, second = ms.two_entries(G_FULL, W1_SHAPE)
    for collection, size in zip(left.collections, (10, 100)):
        np.testing.assert_allclose(collection.get_offsets(),
                                   samples[size][:, [first, second]])
    star = left.lines[0]
    assert (star.get_xdata()[0], star.get_ydata()[0]) == (G_FULL[first], G_FULL[second])
    measured, guide = right.lines
    np.testing.assert_allclose(measured.get_ydata(), [spread[s] for s in sizes])
    np.testing.assert_allclose(guide.get_ydata(), 2.0 / np.sqrt(sizes))
    assert "full batch (500)" in [t.get_text() for t in left.get_legend().get_texts()]
    matplotlib.pyplot.close(fig)


def test_a_gradient_too_short_for_W1_is_refused():
    with pytest.raises(ValueError, match=r"W\^1 of shape \(4, 5\).*got an array of shape \(7,\)"):
        ms.two_entries(np.ones(7), W1_SHAPE)

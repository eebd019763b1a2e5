"""bpcore.diagrams: pictures as small opaque PNGs, drawn once per spec, with words that
say what they show."""
import io

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from bpcore import diagrams


def opaque_png(png):
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pic = Image.open(io.BytesIO(png))
    assert "A" not in pic.getbands() and "transparency" not in pic.info
    assert pic.convert("RGB").getpixel((0, 0)) == (255, 255, 255)
    return pic


def test_identical_pictures_are_drawn_once():
    a = diagrams.network_png((2, 2), nodes={(0, 0): 0.5}, edges={(1, 0, 1): -0.3})
    b = diagrams.network_png((2, 2), nodes={(0, 0): 0.5}, edges={(1, 0, 1): -0.3})
    assert a is b
    c = diagrams.network_png((2, 2), nodes={(0, 0): 0.5}, edges={(1, 0, 1): 0.3})
    assert c != a


def test_network_png_is_a_small_opaque_picture_whose_caption_adds_height():
    plain = opaque_png(diagrams.network_png((2, 3, 2), nodes={(1, 0): 0.3}))
    captioned = opaque_png(diagrams.network_png((2, 3, 2), nodes={(1, 0): 0.3},
                                                caption="fill: a " * 30))
    assert plain.size[0] == captioned.size[0] <= 620
    assert captioned.size[1] > plain.size[1]
    big = opaque_png(diagrams.network_png((8, 8, 8, 8, 8)))
    assert big.size[0] <= 620 and big.size[1] <= 450
    # per-layer colour scales are accepted as a mapping
    opaque_png(diagrams.network_png((2, 2), nodes={(0, 0): 5.0, (1, 0): 0.1},
                                    node_vmax={0: 5.0, 1: 0.1}))


def test_weight_name_counts_from_one():
    assert diagrams.weight_name(2, 0, 2) == "w\u00b2\u2081\u2083"
    assert diagrams.weight_name(1, 1, 0, plain=True) == "w^1_21"


def test_describe_network_lists_highlights_and_values():
    text = diagrams.describe_network((2, 3, 1), nodes={(1, 1): -0.5, (2, 0): 0.25},
                                     highlight_nodes=[(1, 1)], highlight_edges=[(2, 0, 1)],
                                     edges={(2, 0, 1): 0.125}, node_quantity="delta",
                                     edge_quantity="gradient of")
    assert text == ("Diagram of a 2-3-1 network. Highlighted: neuron 2 of layer 1 "
                    "(delta = -0.5000); gradient of w^2_12 = 0.1250. Neuron values: "
                    "layer 1: blank, -0.5000, blank; layer 2: 0.2500.")
    assert diagrams.describe_network((2, 1)) == "Diagram of a 2-1 network."


def test_draw_network_marks_uncomputed_neurons_and_prints_values():
    fig = Figure()
    ax = fig.add_subplot()
    diagrams.draw_network(ax, (2, 1), nodes={(0, 0): 0.5}, edges={(1, 0, 0): -0.25},
                          highlight_edges=[(1, 0, 0)])
    texts = [t.get_text() for t in ax.texts]
    assert "0.5000" in texts                       # a neuron with a value prints it
    assert "\u22120.2500" in texts                 # a highlighted edge prints its value
    dotted = [p for p in ax.patches if p.get_linestyle() == ":"]
    assert len(dotted) == 2                        # neurons with no value yet
    dashed = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert dashed                                   # a negative weight is dashed


def test_nudge_and_surface_pictures():
    dw = np.linspace(-0.5, 0.5, 11)
    png = diagrams.nudge_png((2, 3, 2), (2, 0, 0), dw, 0.1 * dw + dw ** 2, 0.1, [-0.1, 0.1],
                             [-0.009, 0.011], "w\u00b2\u2081\u2081", {(2, 0, 0): 0.4})
    assert opaque_png(png).size[0] <= 620 and len(png) <= 25_000
    g0, g1 = np.linspace(-1, 1, 21), np.linspace(-1, 1, 21)
    surface = np.add.outer(g1 ** 2, g0 ** 2)
    path = np.array([[0.5, 0.5], [3.0, -0.2]])      # the second point outside the plot
    png = diagrams.surface_png(g0, g1, surface, path, 1, ("p\u2081", "p\u2082"), "a path")
    assert opaque_png(png).size[0] <= 620 and len(png) <= 25_000


def test_figure_to_png_is_deterministic():
    def draw():
        fig = Figure(figsize=(1, 1))
        fig.add_subplot().plot([0, 1], [1, 0])
        return diagrams.figure_to_png(fig)
    assert draw() == draw()

"""bpcore.steppers.pictures and .assemble: pictures are drawn only after the views are
counted, with the keywords of bpcore.diagrams.network_png, and every stepper ends in
assemble."""
import importlib
import pathlib
import re

import pytest

import bpcore
from bpcore import diagrams, steppers
from bpcore.steppers.assemble import assemble
from bpcore.steppers.model import NudgeExplorer, Step
from bpcore.steppers.pictures import Pending, all_edges, picture, vmax

EX = bpcore.examples.running_example()


def test_picture_is_the_diagram_with_those_keywords_and_its_words():
    kw = dict(nodes={(0, 0): 0.05, (1, 2): -0.2}, highlight_nodes=[(1, 2)],
              edges={(1, 0, 0): 0.15}, highlight_edges=[(1, 0, 0)], caption="fill: \u03b4\u00b2")
    p = picture(EX.net, **kw, node_quantity="delta")
    assert isinstance(p["png"], Pending)
    assert p["png"].draw() == diagrams.network_png(EX.net.sizes, **{
        k: v for k, v in kw.items()})
    assert p["alt"] == diagrams.describe_network(
        EX.net.sizes, kw["nodes"], kw["edges"], kw["highlight_nodes"], kw["highlight_edges"],
        "delta", "weight") + " fill: delta^2"
    with pytest.raises(TypeError):
        picture(EX.net, {(0, 0): 1.0})          # keywords only


def test_all_edges_and_vmax():
    assert all_edges(EX.net.weights)[(2, 0, 2)] == EX.net.weights[1][0, 2]
    assert len(all_edges(EX.net.weights)) == sum(W.size for W in EX.net.weights)
    assert vmax([0.5, -2.0], [1.0]) == 2.0 and vmax([0.0]) == 1.0 and vmax([]) == 1.0


def test_assemble_draws_pending_pictures_and_builds_the_result():
    drawn = []

    def draw(tag):
        drawn.append(tag)
        return diagrams.network_png((1, 1), caption=tag)

    steps = [[Step("a", "<p>a</p>", png=Pending(draw, "a"))],
             [Step("b", "<p>b</p>", png=Pending(draw, "b"))]]
    e = assemble("demo", "Demo", steps, "demo_stepper", result=NudgeExplorer,
                 fields=dict(weight_names=("x", "y")), choices=["x", "y"],
                 choice_pictures=[(Pending(draw, "c"), "words"), (b"\x89PNG-fake", "more")],
                 positions=["only"])
    assert sorted(drawn) == ["a", "b", "c"]
    assert all(isinstance(s.png, bytes) for s in e.steps) and e.weight_names == ("x", "y")
    assert [s.title for s in e.steps] == ["a", "b"]


def test_assemble_counts_before_drawing():
    def never(*args):
        raise AssertionError("drew a picture before counting the views")
    steps = [Step(str(i), "<p></p>", png=Pending(never)) for i in range(151)]
    with pytest.raises(ValueError, match=r"big_stepper would show 151 views"):
        assemble("big", "Big", steps, "big_stepper")


@pytest.mark.parametrize("name", ["forward", "output_delta", "hidden_delta", "gradient",
                                  "training_step", "nudge", "cost_surface"])
def test_every_stepper_module_ends_in_assemble_and_is_short(name):
    module = importlib.import_module(f"bpcore.steppers.{name}")
    source = pathlib.Path(module.__file__).read_text()
    assert len(re.findall(r"return assemble\(", source)) == 1
    assert "stepper_widget" not in source and "bp-" not in source
    assert len(source.splitlines()) < 200

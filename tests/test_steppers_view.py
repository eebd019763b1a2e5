"""The widget structure the static page relies on (bpcore.steppers.view): a Stack per
slider, linked in the browser by jslink, every class name from bpcore.dom; pictures small
and opaque; each stepper's page state within its budget.  The widget-walking helpers here
are imported by the other stepper tests."""
import io
import json
import re

import ipywidgets as widgets
import numpy as np
import pytest
from ipywidgets.embed import dependency_state
from ipywidgets.widgets.widget import _instances
from ipywidgets.widgets.widget_link import Link
from PIL import Image

import bpcore
from bpcore import dom, steppers

EX = bpcore.examples.running_example()
TOL = dict(rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------------------------------
# Helpers: walk the widget tree, find links.

def descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)


def with_class(widget, name):
    return [w for w in descendants(widget) if name in getattr(w, "_dom_classes", ())]


def one(widget, name):
    found = with_class(widget, name)
    assert len(found) == 1, f"expected one widget of class {name}, found {len(found)}"
    return found[0]


def linked(source, source_trait, target, target_trait):
    """Whether a jslink (a Link widget, which the browser runs) joins the two traits."""
    return any(isinstance(w, Link) and w.source == (source, source_trait)
               and w.target == (target, target_trait) for w in list(_instances.values()))


def stacks_of(widget):
    return [w for w in descendants(widget) if isinstance(w, widgets.Stack)]


def inner_and_outer_stacks(root):
    inner = [st for st in stacks_of(root) if all(dom.STEP in c._dom_classes for c in st.children)]
    return inner, [st for st in stacks_of(root) if st not in inner]


# ---------------------------------------------------------------------------------------
# The widget structure every flat stepper shares.

FLAT = [
    ("forward", lambda: steppers.forward_stepper(EX.net, EX.x)),
    ("output-delta", lambda: steppers.output_delta_stepper(EX.net, EX.x, EX.y)),
    ("hidden-delta", lambda: steppers.hidden_delta_stepper(EX.net, EX.x, EX.y)),
    ("gradient", lambda: steppers.gradient_stepper(EX.net, EX.x, EX.y)),
    ("training-step", lambda: steppers.training_step_stepper(EX.net, EX.x, EX.y, 0.5)),
]


@pytest.mark.parametrize("kind, make", FLAT, ids=[k for k, _ in FLAT])
def test_flat_stepper_widget_structure(kind, make):
    s = make()
    root = s.widget
    assert root is s.widget and s.kind == kind
    assert {"bp-stepper", f"bp-stepper-{kind}"} <= set(root._dom_classes)
    slider = one(root, "bp-step-slider")
    prev, nxt = one(root, "bp-prev"), one(root, "bp-next")
    assert isinstance(slider, widgets.IntSlider) and slider.description == "Step"
    assert (slider.min, slider.max, slider.value) == (0, len(s.steps) - 1, 0)
    assert (prev.description, nxt.description) == ("Previous", "Next")
    assert prev.tooltip and nxt.tooltip
    [stack] = stacks_of(root)
    assert len(stack.children) == len(s.steps)
    assert all("bp-step" in view._dom_classes for view in stack.children)
    assert len(with_class(root, "bp-step")) == len(s.steps)
    assert linked(slider, "value", stack, "selected_index")
    # each view: the HTMLMath with the step's text, then its picture
    for view, step in zip(stack.children, s.steps):
        math, image = view.children
        assert isinstance(math, widgets.HTMLMath) and isinstance(image, widgets.Image)
        assert step.latex in math.value and "bp-alt" in math.value
        assert image.value == step.png and "bp-figure" in image._dom_classes
    # equal pictures share one Image widget, so the page holds each PNG once
    images = {id(v.children[1]) for v in stack.children}
    assert len(images) == len({st.png for st in s.steps})
    # in a live kernel the buttons move the slider, and stop at the ends
    nxt.click()
    assert slider.value == 1
    prev.click()
    prev.click()
    assert slider.value == 0
    slider.value = slider.max
    nxt.click()
    assert slider.value == slider.max
    # a cell ending in the stepper displays the widget
    assert "application/vnd.jupyter.widget-view+json" in s._repr_mimebundle_()


@pytest.mark.parametrize("kind, make", FLAT, ids=[k for k, _ in FLAT])
def test_text_is_well_formed_math(kind, make):
    """Every $...$ and $$...$$ closes and its braces balance, so MathJax typesets it."""
    for step in make().steps:
        text = re.sub(r"<[^>]+>", "", step.latex)
        displays = text.split("$$")
        assert len(displays) % 2 == 1, step.title
        inline = "".join(displays[0::2]).split("$")
        assert len(inline) % 2 == 1, step.title
        for math in displays[1::2] + inline[1::2]:
            depth = 0
            for ch in re.sub(r"\\[{}]", "", math):
                depth += {"{": 1, "}": -1}.get(ch, 0)
                assert depth >= 0, (step.title, math)
            assert depth == 0, (step.title, math)
        assert "&" not in re.sub(r"&(amp|lt|gt);", "", step.latex), step.title


def test_nudge_explorer_widget_links_two_controls_to_one_view():
    e = steppers.nudge_explorer(EX.net, EX.x, EX.y, weights=["w^2_13", "w^1_11", "w^2_22"])
    root = e.widget
    assert {"bp-stepper", "bp-stepper-nudge"} <= set(root._dom_classes)
    dropdown = one(root, "bp-choice")
    slider = one(root, "bp-step-slider")
    assert isinstance(dropdown, widgets.Dropdown) and list(dropdown.options) == list(e.weight_names)
    assert isinstance(slider, widgets.SelectionSlider)
    assert list(slider.options) == ["\u2212" + "0.5000", "\u2212" + "0.1000", "\u2212" + "0.0100",
                                    "+0.0100", "+0.1000", "+0.5000"]
    inner, [outer] = inner_and_outer_stacks(root)
    assert len(outer.children) == 3 and len(inner) == 3
    assert linked(dropdown, "index", outer, "selected_index")
    for stack in inner:
        assert len(stack.children) == len(e.nudges)
        assert all("bp-step" in v._dom_classes for v in stack.children)
        assert linked(slider, "index", stack, "selected_index")
    # each weight's plot sits with its words in a figure group
    groups = with_class(root, "bp-figure-group")
    assert len(groups) == 3 and all("bp-alt" in g.children[1].value for g in groups)
    # the slider starts at the nudge +0.1; Previous/Next move its index in a live kernel
    assert slider.index == 4
    slider.index = 0
    one(root, "bp-next").click()
    assert slider.index == 1
    one(root, "bp-prev").click()
    one(root, "bp-prev").click()
    assert slider.index == 0


# ---------------------------------------------------------------------------------------
# Size: small pictures, and each stepper well within a page's budget.

ALL = FLAT + [
    ("nudge", lambda: steppers.nudge_explorer(EX.net, EX.x, EX.y)),
    ("cost-surface", lambda: steppers.cost_surface_stepper()),
]


@pytest.mark.parametrize("kind, make", ALL, ids=[k for k, _ in ALL])
def test_pictures_are_small_opaque_pngs_and_the_state_fits(kind, make):
    s = make()
    images = [w for w in descendants(s.widget) if isinstance(w, widgets.Image)]
    assert images
    for image in images:
        png = image.value
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(png) <= 25_000
        pic = Image.open(io.BytesIO(png))
        assert "A" not in pic.getbands() and "transparency" not in pic.info   # opaque
        rgb = pic.convert("RGB")
        assert rgb.getpixel((0, 0)) == (255, 255, 255)                       # white ground
        assert rgb.size[0] <= 620
    state = dependency_state([s.widget])
    size = len(json.dumps({"version_major": 2, "version_minor": 0, "state": state}))
    assert size < steppers.MAX_EMBED_BYTES


@pytest.mark.parametrize("kind, make", ALL, ids=[k for k, _ in ALL])
def test_every_class_name_comes_from_dom(kind, make):
    """The classes on the widgets and in their HTML are the contract's names, no others."""
    root = make().widget
    used = {c for w in descendants(root) for c in getattr(w, "_dom_classes", ())}
    for w in descendants(root):
        if isinstance(getattr(w, "value", None), str):
            used |= set(re.findall(r'class="([^"]+)"', w.value))
    assert used <= set(dom.STEPPER_NAMES) | {dom.kind_class(kind)}
    assert {dom.STEPPER, dom.STEPPER_TITLE, dom.STEP_CONTROLS, dom.STEP_SLIDER, dom.PREV,
            dom.NEXT, dom.STEP, dom.FIGURE, dom.ALT} <= used


def test_stepper_widget_checks_its_input():
    step = steppers.Step("One", "<p>$a = 1$</p>")
    w = steppers.stepper_widget([step, step], "Two views", "demo")
    assert {"bp-stepper", "bp-stepper-demo"} <= set(w._dom_classes)
    assert one(w, "bp-step-slider").max == 1
    with pytest.raises(TypeError, match=r"steps must hold bpcore.steppers.Step objects.*got a str"):
        steppers.stepper_widget(["<p>text</p>"], "Bad")
    with pytest.raises(ValueError, match=r"kind names a CSS class.*got 'Forward Pass'"):
        steppers.stepper_widget([step], "Bad", "Forward Pass")
    with pytest.raises(ValueError, match=r"every choice needs the same, non-zero number of "
                                         r"steps; got \[2, 1\]"):
        steppers.stepper_widget([[step, step], [step]], "Bad", choices=["a", "b"])
    with pytest.raises(ValueError, match=r"got 3 choices for 2 groups of steps"):
        steppers.stepper_widget([[step], [step]], "Bad", choices=["a", "b", "c"])
    with pytest.raises(ValueError, match=r"got 1 position labels for 2 steps"):
        steppers.stepper_widget([step, step], "Bad", positions=["only one"])


def test_stepper_widget_with_choices_and_positions():
    """A hand-made two-choice stepper: a toggle picks the group, a SelectionSlider the view."""
    a, b = steppers.Step("A", "<p>a</p>"), steppers.Step("B", "<p>b</p>")
    w = steppers.stepper_widget([[a, b], [b, a]], "Choices", "demo", choices=["x", "y"],
                                choice_style="toggle", positions=["first", "second"], start=1)
    toggle, slider = one(w, "bp-choice"), one(w, "bp-step-slider")
    assert isinstance(toggle, widgets.ToggleButtons) and list(toggle.options) == ["x", "y"]
    assert isinstance(slider, widgets.SelectionSlider) and slider.index == 1
    inner, [outer] = inner_and_outer_stacks(w)
    assert [st.selected_index for st in inner] == [1, 1]
    assert linked(toggle, "index", outer, "selected_index")
    assert all(linked(slider, "index", st, "selected_index") for st in inner)
    # with positions there is no "step n of m" counter in the heading
    assert "step 1 of 2" not in inner[0].children[0].children[0].value


def _titles(box):
    """The step titles shown in a Box of the ipywidgets 7 fallback, first view of each page."""
    return [re.search(r"<strong>(.*?)</strong>", v.children[0].value).group(1)
            for v in descendants(box) if dom.STEP in getattr(v, "_dom_classes", ())]


def test_without_stack_the_kernel_switches_the_view(monkeypatch):
    """ipywidgets 7 (Colab's) has no Stack: a Box holds the selected view, and moving the
    slider, the Next button or the choice swaps it through the kernel."""
    from bpcore.steppers import view
    monkeypatch.setattr(view, "HAS_STACK", False)
    a, b, c = (steppers.Step(t, f"<p>{t}</p>") for t in "ABC")
    w = steppers.stepper_widget([[a, b, c], [c, b, a]], "Choices", "demo", choices=["x", "y"],
                                start=1)
    assert not stacks_of(w) and not any(isinstance(x, Link) for x in descendants(w))
    choice, slider, nxt = one(w, "bp-choice"), one(w, "bp-step-slider"), one(w, "bp-next")
    body = w.children[-1]
    assert _titles(body) == ["B"]
    slider.value = 2
    assert _titles(body) == ["C"]
    choice.index = 1
    assert _titles(body) == ["A"]
    slider.value = 0
    nxt.click()
    assert _titles(body) == ["B"] and slider.value == 1
    flat = steppers.stepper_widget([a, b], "Flat", "demo")
    one(flat, "bp-step-slider").value = 1
    assert _titles(flat.children[-1]) == ["B"]

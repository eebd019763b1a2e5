"""The view: a stepper's steps as core ipywidgets that a static page can step through.

The views sit in a ``widgets.Stack`` whose ``selected_index`` is ``jslink``-ed to a slider,
so the slider switches views in the browser alone: the built page needs no kernel.  Every
class name the page script looks for comes from :mod:`bpcore.dom`; this module is the one
place that puts them on widgets.

Stack is new in ipywidgets 8.  Google Colab displays only ipywidgets 7 (its preinstalled
7.7.1), so there a plain Box shows the selected view and the kernel, which Colab always
has, swaps it when the control moves (``HAS_STACK`` is False; see :func:`_link`).

>>> from bpcore import dom
>>> step = Step("One", "<p>$a = 1$</p>")
>>> w = stepper_widget([step, step], "Two views", "demo")
>>> w._dom_classes == (dom.STEPPER, dom.kind_class("demo"))
True
"""
from __future__ import annotations

import html

import ipywidgets as widgets

from .. import dom
from .model import Step

__all__ = ["stepper_widget", "HAS_STACK"]

HAS_STACK = hasattr(widgets, "Stack")


def _classes(widget, *names):
    for name in names:
        widget.add_class(name)
    return widget


def _png_width(png):
    """The width in pixels of a PNG, from its IHDR chunk."""
    return int.from_bytes(png[16:20], "big")


def _image(png, cache):
    """The Image widget of a picture, shown at its own pixel size (never wider than the
    page); equal pictures share one widget, so the page embeds each PNG once."""
    if png not in cache:
        # ipywidgets 8's Image has no alt attribute, and a tooltip on it breaks the view in
        # the static page (html-manager reads the missing description), so the words for
        # the picture go in a paragraph of class dom.ALT beside it.
        cache[png] = _classes(widgets.Image(
            value=png, format="png", width=str(_png_width(png)),
            layout=widgets.Layout(max_width="100%", height="auto", align_self="flex-start")),
            dom.FIGURE)
    return cache[png]


def _alt_paragraph(alt):
    """The words for a picture, folded away under a summary so they do not crowd the page."""
    return ('<details style="font-size:0.85em;margin:0.2em 0"><summary>The picture in words'
            f'</summary><p class="{dom.ALT}" style="margin:0.2em 0">{html.escape(alt)}</p>'
            "</details>")


def _step_view(step, number, total, cache, counter=True):
    count = f' <span style="opacity:0.75">(step {number} of {total})</span>' if counter else ""
    heading = f'<p style="margin:0.2em 0"><strong>{html.escape(step.title)}</strong>{count}</p>'
    text = heading + step.latex + (_alt_paragraph(step.alt) if step.png is not None else "")
    children = [widgets.HTMLMath(text)]
    if step.png is not None:
        children.append(_image(step.png, cache))
    return _classes(widgets.VBox(children), dom.STEP)


def _stack(views, selected):
    """The views, one shown at a time: a Stack (ipywidgets 8), else a Box that holds the
    selected view (ipywidgets 7, switched by the kernel through :func:`_link`)."""
    if HAS_STACK:
        return widgets.Stack(views, selected_index=selected)
    return widgets.Box([views[selected]])


def _link(control, trait, stack, views):
    """Show ``views[control.<trait>]`` in ``stack`` whenever the control moves: a jslink
    that works in a static page, or, without Stack, a kernel callback."""
    if HAS_STACK:
        widgets.jslink((control, trait), (stack, "selected_index"))
        return

    def show(change):
        stack.children = (views[change["new"]],)
    control.observe(show, names=trait)


def _step_stack(steps, cache, start, counter=True):
    views = [_step_view(s, i + 1, len(steps), cache, counter) for i, s in enumerate(steps)]
    return _stack(views, start), views


def _buttons(slider, step_name):
    """Previous/Next buttons that move ``slider`` in a live kernel; a page script wires
    them by their classes when there is none."""
    prev = _classes(widgets.Button(description="Previous", tooltip=f"Previous {step_name}",
                                   layout=widgets.Layout(width="auto")), dom.PREV)
    nxt = _classes(widgets.Button(description="Next", tooltip=f"Next {step_name}",
                                  layout=widgets.Layout(width="auto")), dom.NEXT)
    trait = "index" if isinstance(slider, widgets.SelectionSlider) else "value"
    top = len(slider.options) - 1 if trait == "index" else slider.max

    def move(by):
        def on_click(_button):
            setattr(slider, trait, min(max(getattr(slider, trait) + by, 0), top))
        return on_click

    prev.on_click(move(-1))
    nxt.on_click(move(+1))
    return prev, nxt


def _groups(steps, choices):
    """The steps as one list per choice (one list without choices), checked."""
    groups = [list(steps)] if choices is None else [list(g) for g in steps]
    for group in groups:
        for step in group:
            if not isinstance(step, Step):
                raise TypeError("steps must hold bpcore.steppers.Step objects (a list of them, "
                                "or one list per choice), got a "
                                f"{type(step).__name__}")
    if choices is not None and len(choices) != len(groups):
        raise ValueError(f"got {len(choices)} choices for {len(groups)} groups of steps")
    n = len(groups[0])
    if n == 0 or any(len(g) != n for g in groups):
        raise ValueError("every choice needs the same, non-zero number of steps; got "
                         f"{[len(g) for g in groups]}")
    return groups


def _slider(n, positions, description, start):
    """The slider over the n views (or over ``positions``) and the trait that says where."""
    layout = widgets.Layout(width="auto", flex="1 1 auto")
    if positions is None:
        slider = widgets.IntSlider(value=start, min=0, max=n - 1, description=description,
                                   readout=False, continuous_update=True, layout=layout)
        return _classes(slider, dom.STEP_SLIDER), "value"
    if len(positions) != n:
        raise ValueError(f"got {len(positions)} position labels for {n} steps")
    slider = widgets.SelectionSlider(options=list(positions), index=start,
                                     description=description, continuous_update=True,
                                     layout=layout)
    return _classes(slider, dom.STEP_SLIDER), "index"


def _selector(choices, description, style):
    if style == "toggle":
        selector = widgets.ToggleButtons(options=list(choices), index=0, description=description,
                                         tooltips=list(choices), style={"button_width": "auto"})
    else:
        selector = widgets.Dropdown(options=list(choices), index=0, description=description)
    return _classes(selector, dom.CHOICE)


def stepper_widget(steps, title, kind="custom", *, choices=None, choice_description="",
                   choice_style="dropdown", choice_pictures=None, positions=None,
                   position_description="Step", start=0):
    """The widget for a list of :class:`Step` s; every stepper builds its view here.

    Without ``choices``: a slider (``description="Step"``, class ``dom.STEP_SLIDER``),
    Previous/Next buttons (``dom.PREV``/``dom.NEXT``) and a ``widgets.Stack`` of the step
    views (``dom.STEP``), its ``selected_index`` jslinked to the slider's ``value``.

    With ``choices`` (a list of labels), ``steps`` is a list of equally long lists, one per
    choice.  A Dropdown (or ``choice_style="toggle"``: ToggleButtons) of class
    ``dom.CHOICE`` selects, through a jslink on its ``index``, one child of an outer Stack;
    each child holds an optional picture (``choice_pictures[i]`` = (png, alt), in a
    ``dom.FIGURE_GROUP``) and an inner Stack of that choice's views, all inner Stacks
    linked to the same slider.  Two controls thus pick one view with links alone.

    ``positions`` (labels) makes the slider a SelectionSlider over them, linked by its
    ``index``.  The container has classes ``dom.STEPPER`` and ``dom.kind_class(kind)``.
    Raises ValueError for a kind that is no class name or groups of unequal length, and
    TypeError for steps that are not :class:`Step` s.
    """
    kind_class = dom.kind_class(kind)
    groups = _groups(steps, choices)
    slider, trait = _slider(len(groups[0]), positions, position_description, start)
    prev, nxt = _buttons(slider, position_description.lower())
    controls = _classes(widgets.HBox([prev, slider, nxt],
                                     layout=widgets.Layout(align_items="center")),
                        dom.STEP_CONTROLS)
    cache, inner = {}, []
    for group in groups:
        stack, views = _step_stack(group, cache, start, counter=positions is None)
        _link(slider, trait, stack, views)
        inner.append(stack)
    header = widgets.HTML(f'<p class="{dom.STEPPER_TITLE}" style="margin:0.3em 0">'
                          f"<strong>{html.escape(title)}</strong></p>")
    if choices is None:
        body, selectors = inner[0], []
    else:
        pages = []
        for stack, picture in zip(inner, choice_pictures or [None] * len(groups)):
            # the picture and its words in a group, so the page script can give the
            # picture its words as alt text, as it does inside a step (dom.STEP)
            parts = [stack] if picture is None else [
                _classes(widgets.VBox([_image(picture[0], cache),
                                       widgets.HTML(_alt_paragraph(picture[1]))]),
                         dom.FIGURE_GROUP),
                stack]
            pages.append(widgets.VBox(parts))
        body = _stack(pages, 0)
        selectors = [_selector(choices, choice_description, choice_style)]
        _link(selectors[0], "index", body, pages)
    container = widgets.VBox([header, *selectors, controls, body],
                             layout=widgets.Layout(max_width="760px"))
    return _classes(container, dom.STEPPER, kind_class)

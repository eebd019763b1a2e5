"""Equation steppers: backpropagation one step at a time, working in a page with no kernel.

Every stepper computes all of its steps up front with bpcore and returns a :class:`Stepper`
whose ``.widget`` shows them with core ipywidgets.  The views sit in a ``widgets.Stack``
whose ``selected_index`` is ``jslink``-ed to a slider, so the slider switches views in the
browser alone: the built HTML page needs no kernel.  ``.steps`` holds what each view shows:
its text (HTML with ``$...$`` math) and ``values``, the numbers behind it at full precision.

The eleven steppers, each one call from a chapter and one module here:

* :func:`forward_stepper` (``forward``) - z^l_j = sum_k w^l_jk a^{l-1}_k + b^l_j and
  a^l_j = f(z^l_j)
* :func:`output_delta_stepper` (``output_delta``) - BP1, factor by factor, for each loss
* :func:`hidden_delta_stepper` (``hidden_delta``) - BP2, layer by layer backwards
* :func:`gradient_stepper` (``gradient``) - BP3 and BP4, entry by entry
* :func:`training_step_stepper` (``training_step``) - one gradient-descent update
* :func:`nudge_explorer` (``nudge``) - a measured Delta C beside the prediction dC/dw Delta w
* :func:`cost_surface_stepper` (``cost_surface``) - gradient descent on a two-parameter
  cost, three rates
* :func:`autodiff_backward_stepper` (``autodiff_backward``) - reverse-mode automatic
  differentiation of a :class:`bpcore.autodiff.Value` graph, node by node
* :func:`conv_kernel_gradient_stepper` (``conv_kernel_gradient``) - a kernel's gradient
  summed position by position (BP4 with shared weights)
* :func:`max_pool_routing_stepper` (``max_pool_routing``) - where max pooling sends each
  window's delta, ties included
* :func:`bptt_stepper` (``bptt``) - a recurrent network's delta, step by step back through
  time, and W_hh's gradient summed over the steps

The pieces they share: ``model`` (:class:`Step`, :class:`Stepper` and its two subclasses),
``view`` (:func:`stepper_widget`, the one place that puts the class names of
:mod:`bpcore.dom` on widgets), ``checks`` (the limits and the input checks), ``pictures``
(``picture(net, *, nodes=..., ...)``, a network diagram drawn later) and ``assemble``
(count the views, draw, check the page budget, build the widget: every stepper ends there).
A new stepper is one module: check its input with ``checks``, build a list of ``Step`` s
with ``bpcore.tex`` and ``pictures.picture``, and return ``assemble(kind, title, steps,
what)``.

``MAX_NEURONS`` (per layer), ``MAX_LAYERS``, ``MAX_STEPS`` and ``MAX_EMBED_BYTES`` (the
estimated page state of one stepper) bound what a stepper accepts; each refusal says which
limit and what to do.  ``MAX_EMBED_BYTES`` is read from this package when a stepper is
built: ``bpcore.steppers.MAX_EMBED_BYTES = None`` lifts it in a notebook of your own.

>>> import bpcore
>>> ex = bpcore.examples.running_example()
>>> s = forward_stepper(ex.net, ex.x)
>>> len(s.steps), s.widget._dom_classes
(22, ('bp-stepper', 'bp-stepper-forward'))
>>> round(s.steps[3].values["z^1_1"], 4)
0.3775
"""
from __future__ import annotations

MAX_EMBED_BYTES = 600_000  # a stepper's share of a page that must stay under 2 MB

from .autodiff_backward import autodiff_backward_stepper  # noqa: E402
from .bptt import bptt_stepper  # noqa: E402
from .checks import MAX_LAYERS, MAX_NEURONS, MAX_STEPS  # noqa: E402
from .conv_kernel_gradient import conv_kernel_gradient_stepper  # noqa: E402
from .cost_surface import cost_surface_stepper  # noqa: E402
from .forward import forward_stepper  # noqa: E402
from .gradient import gradient_stepper  # noqa: E402
from .hidden_delta import hidden_delta_stepper  # noqa: E402
from .max_pool_routing import max_pool_routing_stepper  # noqa: E402
from .model import CostSurface, NudgeExplorer, Step, Stepper  # noqa: E402
from .nudge import DEFAULT_NUDGES, nudge_explorer  # noqa: E402
from .output_delta import output_delta_stepper  # noqa: E402
from .training_step import training_step_stepper  # noqa: E402
from .view import stepper_widget  # noqa: E402

__all__ = ["Step", "Stepper", "NudgeExplorer", "CostSurface", "stepper_widget",
           "forward_stepper", "output_delta_stepper", "hidden_delta_stepper",
           "gradient_stepper", "training_step_stepper", "nudge_explorer",
           "cost_surface_stepper", "autodiff_backward_stepper", "conv_kernel_gradient_stepper",
           "max_pool_routing_stepper", "bptt_stepper", "MAX_NEURONS", "MAX_LAYERS",
           "MAX_EMBED_BYTES", "DEFAULT_NUDGES"]

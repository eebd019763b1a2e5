"""What backpropagation holds in memory: bytes measured with :mod:`tracemalloc`, and the
picture of a checkpointing schedule (chapter 15).

:func:`peak_bytes` is the most memory a call allocated at any moment, above what was
allocated before it; :func:`held_bytes` what it still holds when it returns (the memory of
its result).  numpy reports the data of every array it allocates to tracemalloc, so both
count array data exactly, plus the few hundred bytes of the Python objects around them.

>>> import numpy as np
>>> _, held = held_bytes(np.zeros, (1000, 10))
>>> 80_000 <= held < 81_000
True
"""
from __future__ import annotations

import tracemalloc

import numpy as np

from ..checkpointing import checkpoints, segments

__all__ = ["peak_bytes", "held_bytes", "draw_schedule"]


def _measure(fn, args, kwargs):
    if not callable(fn):
        raise TypeError(f"expected a function to call, got {type(fn).__name__}")
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        result = fn(*args, **kwargs)
        now, peak = tracemalloc.get_traced_memory()
    finally:
        if started:
            tracemalloc.stop()
    return result, now - before, peak - before


def peak_bytes(fn, *args, **kwargs):
    """``(result, peak)``: ``fn(*args, **kwargs)`` and the most bytes it had allocated at
    any moment during the call (temporaries included), above what was allocated before.

    >>> _, peak = peak_bytes(lambda: np.ones(1000).sum())   # the array is freed at once
    >>> 8_000 <= peak < 9_000
    True
    """
    result, _, peak = _measure(fn, args, kwargs)
    return result, peak


def held_bytes(fn, *args, **kwargs):
    """``(result, held)``: ``fn(*args, **kwargs)`` and the bytes still allocated when it
    returned, which is what its result keeps alive."""
    result, held, _ = _measure(fn, args, kwargs)
    return result, held


# Colours legible on the white figure background in light and dark mode.
_KEPT, _TOP, _RECOMPUTED, _EDGE = "#1f4e9c", "#9ecae1", "#fdd0a2", "#333333"


def draw_schedule(ax, L, every):
    """Draw the checkpointing schedule of :func:`bpcore.checkpointing.segments` for L layers
    and spacing ``every`` on the matplotlib axes ``ax``: one box per activation a^0..a^L,
    dark for a checkpoint, light blue for the top segment kept from the forward pass,
    orange for the activations the backward pass recomputes; under the boxes, the
    segments in the order the backward pass visits them, and above them a legend.
    Returns ``ax``.
    """
    kept = set(checkpoints(L, every))
    plan = segments(L, every)
    top = plan[0][0]
    for l in range(L + 1):
        if l in kept:
            colour, text = _KEPT, "white"
        elif l > top:
            colour, text = _TOP, "black"
        else:
            colour, text = _RECOMPUTED, "black"
        ax.add_patch(_box(l, colour))
        ax.text(l, 0, f"$a^{{{l}}}$", ha="center", va="center", color=text, fontsize=12)
    for order, (s, e) in enumerate(plan, start=1):
        y = -0.8 - 0.5 * (order - 1)
        ax.annotate("", xy=(s + 0.1, y), xytext=(e - 0.1 if e > s + 1 else e, y),
                    arrowprops={"arrowstyle": "->", "color": _EDGE, "lw": 1.2})
        label = (f"{order}: layers {s + 1}–{e}" if e > s + 1 else f"{order}: layer {e}")
        label += ", kept" if s == top else ", run again from $a^{%d}$" % s
        ax.text(e + 0.3, y, label, va="center", fontsize=10, color=_EDGE)
    ax.set_xlim(-0.7, L + 6.5)
    ax.set_ylim(-1.0 - 0.5 * len(plan), 1.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.legend(handles=_legend_handles(), loc="upper left", ncol=3, frameon=False, fontsize=10)
    return ax


def _box(l, colour):
    from matplotlib.patches import FancyBboxPatch
    return FancyBboxPatch((l - 0.38, -0.38), 0.76, 0.76, boxstyle="round,pad=0.02",
                          facecolor=colour, edgecolor=_EDGE, lw=1.0)


def _legend_handles():
    """Patches for a legend of the three box colours."""
    from matplotlib.patches import Patch
    return [Patch(facecolor=_KEPT, edgecolor=_EDGE, label="checkpoint, kept"),
            Patch(facecolor=_TOP, edgecolor=_EDGE, label="top segment, kept"),
            Patch(facecolor=_RECOMPUTED, edgecolor=_EDGE, label="recomputed")]

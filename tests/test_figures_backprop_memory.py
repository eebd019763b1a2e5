"""bpcore.figures.backprop_memory: tracemalloc's measurements against arrays of known size
(and the stored forward pass against its count), and the schedule's picture against
bpcore.checkpointing."""
from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import bpcore
from _helpers import ax  # noqa: F401  (fixture)
from bpcore import checkpointing
from bpcore.figures import backprop_memory


def test_held_bytes_is_the_size_of_the_result():
    result, held = backprop_memory.held_bytes(np.zeros, (500, 40))
    assert result.shape == (500, 40)
    assert result.nbytes <= held < result.nbytes + 1024


def test_peak_bytes_counts_temporaries_that_are_gone_at_the_end():
    def work():
        big = np.ones(100_000)               # 800 kB, freed before returning
        return float(big.sum())
    result, peak = backprop_memory.peak_bytes(work)
    assert result == 100_000.0
    assert 800_000 <= peak < 800_000 + 4096
    _, held = backprop_memory.held_bytes(work)
    assert held < 1024


@pytest.mark.parametrize("sizes,m", [([5, 7, 3], 11), ([4, 30, 30, 30, 2], 64)])
def test_a_stored_forward_pass_holds_its_z_and_a_exactly(sizes, m):
    """bpcore.forward keeps z^l and a^l of every layer: 2 m sum_l n_l floats (x is the
    caller's), plus the small Python objects around them."""
    net = bpcore.Network.random(sizes, seed=0)
    x = np.ones((sizes[0], m))
    fp, held = backprop_memory.held_bytes(bpcore.forward, net, x)
    count = 2 * m * sum(sizes[1:])
    assert sum(z.nbytes for z in fp.zs) + sum(a.nbytes for a in fp.activations[1:]) == 8 * count
    assert 8 * count <= held < 8 * count + 2048


def test_a_measurement_inside_another_keeps_the_outer_one_running():
    tracemalloc.start()
    try:
        outer = np.ones(10_000)                                    # allocated before
        _, held = backprop_memory.held_bytes(np.zeros, 1000)
        assert 8000 <= held < 9000                                  # outer not counted
        assert tracemalloc.is_tracing()
        del outer
    finally:
        tracemalloc.stop()
    assert not tracemalloc.is_tracing()


def test_bad_input_is_refused():
    with pytest.raises(TypeError, match="expected a function to call, got int"):
        backprop_memory.peak_bytes(3)
    with pytest.raises(ValueError, match="at least 1 layer"):
        backprop_memory.draw_schedule(None, 4, 0)


@pytest.mark.parametrize("L,every", [(8, 3), (8, 1), (5, 5), (16, 4)])
def test_the_schedule_picture_colours_the_boxes_as_the_schedule_says(ax, L, every):  # noqa: F811
    backprop_memory.draw_schedule(ax, L, every)
    colours = [p.get_facecolor() for p in ax.patches]
    assert len(colours) == L + 1
    kept = set(checkpointing.checkpoints(L, every))
    top = checkpointing.segments(L, every)[0][0]
    from matplotlib.colors import to_rgba
    want = [backprop_memory._KEPT if l in kept else backprop_memory._TOP if l > top
            else backprop_memory._RECOMPUTED for l in range(L + 1)]
    assert colours == [to_rgba(c) for c in want]
    texts = [t.get_text() for t in ax.texts if t.get_text()]   # arrows are empty texts
    assert texts[:L + 1] == [f"$a^{{{l}}}$" for l in range(L + 1)]
    segment_labels = texts[L + 1:]
    assert len(segment_labels) == len(checkpointing.segments(L, every))
    assert segment_labels[0].startswith("1: ") and segment_labels[0].endswith("kept")
    assert all("run again" in t for t in segment_labels[1:])

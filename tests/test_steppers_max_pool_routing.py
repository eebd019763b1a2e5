"""bpcore.steppers.max_pool_routing: each window's delta lands on the window's maximum (the
first one on a tie), the result equals central differences where there is no tie and
bpcore.conv everywhere, and the stepper works in a static page within the budget."""
import numpy as np
import pytest

from bpcore import conv, dom, steppers
from bpcore.steppers.checks import embedded_size
from bpcore.steppers.max_pool_routing import max_pool_routing_stepper

X = np.array([[1.0, 3.0, 2.0, 0.5],
              [3.0, 0.0, 1.0, 2.5],
              [0.0, 1.5, 4.0, 4.0],
              [2.0, 0.0, 1.0, 0.0]])      # ties in windows (1, 1) and (2, 2)
DELTA = np.array([[0.5, -1.2], [0.8, 2.0]])


@pytest.fixture(scope="module")
def stepper():
    return max_pool_routing_stepper(X, DELTA, 2)


def test_routes_to_the_first_maximum(stepper):
    winners = [st.values["winner"] for st in stepper.steps[1:-1]]
    assert winners == [(1, 2), (2, 4), (4, 1), (3, 3)]
    assert [st.values["ties"] for st in stepper.steps[1:-1]] == [2, 1, 1, 2]
    assert "a tie" in stepper.steps[1].latex and "a tie" not in stepper.steps[2].latex
    final = stepper.steps[-1].values["dC/dx"]
    np.testing.assert_array_equal(final, conv.max_pool2d_gradients(X[None, None], 2,
                                                                   DELTA[None, None])[0, 0])
    np.testing.assert_array_equal(stepper.steps[-1].values["dC/dx so far"], final)
    assert final.sum() == DELTA.sum() and np.count_nonzero(final) == 4


def test_without_ties_it_is_the_central_difference_gradient():
    x = np.random.default_rng(1).permutation(16).reshape(4, 4) / 10.0
    s = max_pool_routing_stepper(x, DELTA, 2)
    h = 1e-6
    fd = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[idx] += h
        down[idx] -= h
        fd[idx] = np.sum(DELTA * (conv.max_pool2d(up[None, None], 2)
                                  - conv.max_pool2d(down[None, None], 2))[0, 0]) / (2 * h)
    np.testing.assert_allclose(s.steps[-1].values["dC/dx"], fd, rtol=1e-8, atol=1e-12)


def test_it_works_in_a_static_page_within_the_budget(stepper):
    assert stepper.widget._dom_classes == (dom.STEPPER, dom.kind_class("max-pool-routing"))
    assert len(stepper.steps) == 6
    assert all(st.png[:4] == b"\x89PNG" for st in stepper.steps)
    assert "Marked: row 1 column 2." in stepper.steps[1].alt
    assert embedded_size(stepper.steps) < steppers.MAX_EMBED_BYTES


def test_refusals():
    with pytest.raises(ValueError, match=r"x must be 2-D \(h, w\), got shape \(1, 1, 4, 4\)"):
        max_pool_routing_stepper(np.zeros((1, 1, 4, 4)), DELTA)
    with pytest.raises(ValueError, match=r"size must divide h and w, but the input is 5x4"):
        max_pool_routing_stepper(np.zeros((5, 4)), DELTA)
    with pytest.raises(ValueError, match=r"shape of max_pool2d's output, \(1, 1, 2, 2\), "
                                         r"got \(1, 1, 3, 2\)"):
        max_pool_routing_stepper(X, np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"at most 8 x 8, got \(10, 10\)"):
        max_pool_routing_stepper(np.zeros((10, 10)), np.zeros((5, 5)))
    with pytest.raises(ValueError, match="x contains NaN or inf"):
        max_pool_routing_stepper(np.full((4, 4), np.inf), DELTA)

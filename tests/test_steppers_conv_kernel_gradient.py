"""bpcore.steppers.conv_kernel_gradient: the contributions delta[r, q] * patch add up, view by
view, to the kernel gradient that central differences of the cost give, and the stepper
works in a static page within the budget."""
import numpy as np
import pytest

from bpcore import conv, dom, steppers
from bpcore.steppers.checks import embedded_size
from bpcore.steppers.conv_kernel_gradient import conv_kernel_gradient_stepper

RNG = np.random.default_rng(16)
X = np.round(RNG.uniform(-1, 1, size=(5, 6)), 2)
DELTA = np.round(RNG.normal(size=(3, 4)), 2)        # a 3x3 kernel on 5x6


@pytest.fixture(scope="module")
def stepper():
    return conv_kernel_gradient_stepper(X, DELTA)


def test_the_sum_is_the_central_difference_kernel_gradient(stepper):
    K = RNG.normal(size=(1, 1, 3, 3))
    h = 1e-6

    def C(K):               # a cost whose dC/dz is DELTA: C = sum(DELTA * z)
        return float(np.sum(DELTA * conv.conv2d(X[None, None], K, np.zeros(1))[0, 0]))

    fd = np.zeros((3, 3))
    for i in range(3):
        for j in range(3):
            up, down = K.copy(), K.copy()
            up[0, 0, i, j] += h
            down[0, 0, i, j] -= h
            fd[i, j] = (C(up) - C(down)) / (2 * h)
    np.testing.assert_allclose(stepper.steps[-1].values["dC/dK"], fd, rtol=1e-7)
    np.testing.assert_allclose(stepper.steps[-1].values["dC/dK so far"], fd, rtol=1e-7)


def test_each_position_adds_its_bp4_term_in_reading_order(stepper):
    assert len(stepper.steps) == 3 * 4 + 2
    so_far = np.zeros((3, 3))
    for n, step in enumerate(stepper.steps[1:-1]):
        r, q = divmod(n, 4)
        assert step.title == f"Position ({r}, {q})"          # 0-based, as the chapter
        assert step.values[f"delta[{r},{q}]"] == DELTA[r, q]
        np.testing.assert_array_equal(step.values["contribution"],
                                      DELTA[r, q] * X[r:r + 3, q:q + 3])
        so_far = so_far + step.values["contribution"]
        np.testing.assert_allclose(step.values["dC/dK so far"], so_far, rtol=1e-14)
        assert f"rows {r}–{r + 2} and columns {q}–{q + 2}" in step.latex
    np.testing.assert_array_equal(stepper.steps[0].values["dC/dK so far"], np.zeros((3, 3)))


def test_it_works_in_a_static_page_within_the_budget(stepper):
    assert stepper.widget._dom_classes == (dom.STEPPER, dom.kind_class("conv-kernel-gradient"))
    assert all(st.png[:4] == b"\x89PNG" and st.alt.startswith("The image x, 5 by 6")
               for st in stepper.steps)
    assert "Highlighted: rows 1 to 3, columns 1 to 3" in stepper.steps[1].alt
    assert "dC/dK so far, 3 by 3: row 1: blank" in stepper.steps[0].alt
    assert embedded_size(stepper.steps) < steppers.MAX_EMBED_BYTES


def test_refusals():
    with pytest.raises(ValueError, match=r"x and delta must be 2-D, got x of shape "
                                         r"\(1, 1, 5, 5\).*use x\[0, 0\]"):
        conv_kernel_gradient_stepper(np.zeros((1, 1, 5, 5)), np.zeros((1, 1, 3, 3)))
    with pytest.raises(ValueError, match=r"at most 8 x 8, got \(9, 9\)"):
        conv_kernel_gradient_stepper(np.zeros((9, 9)), np.zeros((7, 7)))
    with pytest.raises(ValueError, match=r"delta \(6, 5\) cannot be the output"):
        conv_kernel_gradient_stepper(np.zeros((5, 5)), np.zeros((6, 5)))
    with pytest.raises(ValueError, match="delta contains NaN or inf"):
        conv_kernel_gradient_stepper(np.zeros((5, 5)), np.full((3, 3), np.nan))
    with pytest.raises(TypeError, match="x must be a numeric array, got str"):
        conv_kernel_gradient_stepper("x", np.zeros((3, 3)))

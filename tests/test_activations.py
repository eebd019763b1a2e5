"""Each activation record against independent oracles: central differences of f, sympy's
derivative of the record's sympy form, and the softmax Jacobian formed in full."""
import warnings

import numpy as np
import pytest
import sympy

from bpcore import activations
from bpcore.activations import ACTIVATIONS

ELEMENTWISE = [name for name, act in ACTIVATIONS.items() if act.elementwise]
# points away from the kinks, where every convention agrees with the finite difference
Z = np.array([[-3.1, -0.7, -0.05], [0.2, 1.3, 4.0]])


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_central_differences(name):
    act = activations.get(name)
    eps = 1e-6
    fd = (act.f(Z + eps) - act.f(Z - eps)) / (2 * eps)
    np.testing.assert_allclose(act.prime(Z), fd, rtol=1e-7, atol=1e-10)
    # the engine's derivative, from a where the record says so, is the same number
    np.testing.assert_allclose(act.derivative(Z, act.f(Z)), act.prime(Z), rtol=1e-12)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_sympy_form_is_the_function_and_its_derivative(name):
    act = activations.get(name)
    u = sympy.Symbol("u", real=True)
    form = act.sympy(u)
    from bpcore.symbolic import to_exp
    f = sympy.lambdify(u, to_exp(form), "numpy")
    fprime = sympy.lambdify(u, to_exp(sympy.diff(form, u)).rewrite(sympy.Piecewise), "numpy")
    for z in Z.ravel():
        assert float(f(z)) == pytest.approx(float(act.f(np.array(z))), rel=1e-12, abs=1e-15)
        assert float(fprime(z)) == pytest.approx(float(act.prime(np.array(z))), rel=1e-12,
                                                 abs=1e-15)


def test_relu_kink_convention_is_stated_and_used():
    relu = activations.get("relu")
    assert "relu'(0) = 0" in relu.kink
    assert relu.prime(np.array([0.0]))[0] == 0.0
    assert relu.gain == 2.0 and activations.get("sigmoid").gain == 1.0


def test_softmax_backward_is_the_full_jacobian_product():
    rng = np.random.default_rng(0)
    z, g = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    act = activations.get("softmax")
    a = act.f(z)
    want = np.column_stack([activations.softmax_jacobian(z[:, i]).T @ g[:, i] for i in range(3)])
    np.testing.assert_allclose(act.backward(z, a, g), want, rtol=1e-12)
    with pytest.raises(ValueError, match="not element-wise"):
        act.derivative(z, a)


def test_tex_of_the_records():
    sigmoid = activations.get("sigmoid")
    assert sigmoid.tex_value(0.5, 0.6225) == r"\sigma(0.5000) = \frac{1}{1 + e^{-0.5000}} = 0.6225"
    assert sigmoid.tex_derivative("z", "a", 0.5, 0.6, 0.24) == \
        r"\sigma'(z) = a\,(1 - a) = 0.6000\,(1 - 0.6000) = 0.2400"
    relu = activations.get("relu")
    assert relu.tex_derivative("z", "a", -1.0, 0.0, 0.0).endswith(r"0 \text{ because } z \le 0")
    assert activations.get("tanh").tex_value(0.5, 0.4621) == r"\tanh(0.5000) = 0.4621"


def test_unknown_names_and_bad_records_are_refused():
    with pytest.raises(ValueError, match="unknown activation 'sigmod'; valid names are 'sigmoid'"):
        activations.get("sigmod")
    with pytest.raises(TypeError, match="expected an Activation record"):
        activations.register(("sigmoid", np.tanh))
    with pytest.raises(ValueError, match="already registered"):
        activations.register(activations.get("tanh"))
    with pytest.raises(ValueError, match="needs prime"):
        activations.register(activations.Activation(name="half", f=lambda z: z / 2, prime=None,
                                                    tex="h", sympy=lambda u: u / 2))


def test_large_inputs_stay_finite_without_warnings():
    z = np.array([[-1000.0, 0.0, 1000.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        for name, act in ACTIVATIONS.items():
            zz = z.T if name == "softmax" else z
            assert np.all(np.isfinite(act.f(zz)))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sigmoid_large_arrays_match_the_small_array_path(dtype):
    # Arrays from _SIGMOID_PASSES_FROM elements on take four numpy passes instead of expit;
    # both must give the same values to a few ulps, the extremes exactly, and no warning.
    from scipy.special import expit
    n = activations._SIGMOID_PASSES_FROM
    rng = np.random.default_rng(3)
    z = np.concatenate([[-1000.0, -745.0, -40.0, 0.0, 40.0, 1000.0],
                        rng.normal(0.0, 8.0, size=2 * n)]).astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = activations.sigmoid(z)
    assert a.dtype == dtype and a.shape == z.shape
    reference = expit(z)
    np.testing.assert_array_max_ulp(a, reference, maxulp=4)
    assert a[0] == 0.0 and a[3] == 0.5 and a[5] == 1.0
    # sigma(-40) = e^-40 / (1 + e^-40): relative precision kept, not rounded to 0
    np.testing.assert_allclose(a[2], np.exp(-40.0), rtol=1e-6 if dtype == np.float32 else 1e-15)

"""Tests for bpcore/exercises/checkers.py and the three kinds' checks: how a learner's
numbers, sympy expressions and functions are read, compared and diagnosed.

The checks are driven through real catalog entries (the running example's δ², σ′(z), BP1
as a function), with answers written the way a learner would write them; the oracles are
the numbers computed here by hand or with numpy.
"""
from __future__ import annotations

import re

import numpy as np
import pytest
import sympy

import bpcore
from bpcore import exercises
from bpcore.activations import sigmoid, sigmoid_prime
from bpcore.examples import running, running_batch
from bpcore.exercises import checkers
from bpcore.exercises.checkers import Refusal

FUNCTION_IDS = [i for i in exercises.catalog() if exercises.get(i).kind == "function"]


# --------------------------------------------------------------------------------------
# The reading functions themselves.

def test_align_accepts_a_flat_column_and_refuses_a_row():
    col = np.zeros((3, 1))
    assert checkers.align(np.array([1.0, 2.0, 3.0]), col).shape == (3, 1)
    assert checkers.align(np.zeros((1, 3)), col) is None
    assert checkers.align(np.array(2.0), np.zeros((1, 1))).shape == (1, 1)


def test_close_scales_the_tolerance_with_the_largest_entry():
    want = np.array([100.0, 0.001])
    assert checkers.close(np.array([100.05, 0.05]), want)      # 0.05 <= 1e-3 * 100
    assert not checkers.close(np.array([100.2, 0.001]), want)


@pytest.mark.parametrize("answer,words", [
    (None, "is None"), ("0.5", "the text"), ({}, "a dict"), (True, "truth value"),
    ([[1, 2], [3]], "ragged"), (np.array([np.nan]), "NaN"),
])
def test_as_numbers_refuses_with_a_message_for_the_learner(answer, words):
    with pytest.raises(Refusal, match=words):
        checkers.as_numbers(answer)


def test_as_expression_matches_symbols_by_name_and_refuses_text():
    z = sympy.Symbol("z")
    assert checkers.as_expression(sympy.Symbol("z", real=True) ** 2, {"z": z}) == z ** 2
    with pytest.raises(Refusal, match="never evaluated"):
        checkers.as_expression("z**2", {"z": z})


def test_call_safely_captures_printing_and_returns_the_exception():
    result, error, printed = checkers.call_safely(lambda a: print("hi") or a / 0, [1.0])
    assert result is None and isinstance(error, ZeroDivisionError) and printed == "hi\n"


def test_diagnose_array_names_a_missing_factor_of_m():
    want = np.array([[1.0, 2.0]])
    assert "factor of m = 4" in checkers.diagnose_array(4 * want, want, m=4)


def test_a_zero_answer_is_called_a_placeholder_not_a_constant_factor():
    # an all-zero answer used to read "0 times the expected one: a constant factor is wrong"
    want = np.array([[1.0, -2.0]])
    message = checkers.diagnose_array(np.zeros((1, 2)), want, "δ²")
    assert message.startswith("Your δ² is zero everywhere") and "times" not in message
    assert "zero everywhere" not in checkers.diagnose_array(np.zeros(2), np.zeros(2))
    numeric = exercises.check("ch4-bp1-delta", np.zeros((2, 1)))
    assert not numeric.correct and "zero everywhere" in numeric.message
    symbolic = exercises.check("ch4-sigmoid-prime", sympy.Integer(0))
    assert not symbolic.correct and "Your expression is 0" in symbolic.message
    assert "times the expected" not in symbolic.message


# --------------------------------------------------------------------------------------
# Numeric answers: tolerance, shapes and generic diagnoses.

def test_rounded_answers_are_accepted_and_wrong_ones_are_not():
    ref = exercises.reference("ch4-bp1-delta")
    assert exercises.check("ch4-bp1-delta", np.round(ref, 4)).correct
    assert not exercises.check("ch4-bp1-delta", ref * 1.01).correct


def test_a_flat_list_is_accepted_for_a_column_with_a_note():
    fb = exercises.check("ch4-bp1-delta", list(exercises.reference("ch4-bp1-delta").ravel()))
    assert fb.correct
    assert "(2, 1)" in fb.message


def test_a_transposed_answer_is_diagnosed():
    fb = exercises.check("ch4-bp1-delta", exercises.reference("ch4-bp1-delta").T)
    assert not fb.correct
    assert "Your δ² has shape (1, 2) but should be (2, 1): did you transpose?" in fb.message


def test_a_learner_who_forgets_to_transpose_w_in_bp2_is_told_so():
    # Written the way a learner would: W² δ² does not fit, so they make δ² a row.
    d = running()
    attempt = (d.delta[2].T @ d.W[2]) * sigmoid_prime(d.z[1]).T
    fb = exercises.check("ch5-bp2-delta1", attempt)
    assert fb.mistake == "W not transposed"
    assert "shape (1, 3) but should be (3, 1)" in fb.message


def test_learner_style_mistakes_are_recognised_without_the_catalog():
    d = running()
    a2, y, z2 = d.a[2], d.y, d.z[2]
    s = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    cases = {
        "missing σ′": a2 - y,
        "σ′ of the activation": (a2 - y) * s(a2) * (1 - s(a2)),
        "sign flipped": (y - a2) * a2 * (1 - a2),
    }
    for name, attempt in cases.items():
        fb = exercises.check("ch4-bp1-delta", attempt)
        assert fb.mistake == name
    b = running_batch()
    fb = exercises.check("ch6-bp4-batch", b.delta[2] @ b.a[1].T)
    assert "Off by a factor of m = 4: average over the batch" in fb.message
    fb = exercises.check("ch6-bp3-batch", b.delta[2].sum(axis=1))
    assert fb.mistake == "sum instead of mean"
    ex = bpcore.examples.running_example()
    W1, b1 = ex.net.weights[0], ex.net.biases[0]
    fb = exercises.check("ch1-forward-z1", W1 @ ex.x + b1)  # broadcasts to (3, 3)
    assert fb.mistake == "bias added as a row"


def test_generic_diagnoses_for_unlisted_mistakes():
    ref = exercises.reference("ch6-bp4-batch")
    assert "The sign is flipped" in exercises.check("ch6-bp4-batch", -ref).message
    assert "Off by a factor of 1/m" in exercises.check("ch6-bp4-batch", ref / 4).message
    assert "3 times" in exercises.check("ch6-bp4-batch", 3 * ref).message
    partly = ref.copy()
    partly[1, 2] += 1.0
    msg = exercises.check("ch6-bp4-batch", partly).message
    assert "1 of 6 entries are off; the first is at index (1, 2)" in msg
    assert "has shape (2, 2) but should be (2, 3)" in exercises.check(
        "ch6-bp4-batch", np.zeros((2, 2))).message
    assert "twice" in exercises.check("ch2-cost-running", 2 * exercises.reference(
        "ch2-cost-running")).message.lower()


@pytest.mark.parametrize("answer,words", [
    (True, "truth value"), (1 + 2j, "complex"), (np.array([[np.inf], [0.0]]), "inf"),
    (np.zeros((0, 2)), "empty"), (np.array(["a", "b"]), "text"),
    (np.zeros(200_000), "far too big"), ([[0.1]] * 200_000, "far too big"),
    (sympy.Symbol("z") + 1, "sympy expression"), (lambda: 0, "function"),
    ({1, 2}, "set"),
    (np.array([None, 1.0], dtype=object), "NaN"),
    (__import__("functools").reduce(lambda acc, _: [acc], range(5000), [0.1]),
     "nested far too deeply"),
])
def test_more_junk_for_numeric_answers(answer, words):
    fb = exercises.check("ch4-bp1-delta", answer)
    assert not fb.correct
    assert words in fb.message


def test_numpy_scalars_and_one_by_one_arrays_are_numbers():
    ref = exercises.reference("ch2-cost-running")
    assert exercises.check("ch2-cost-running", np.float32(ref)).correct
    assert exercises.check("ch2-cost-running", np.array([[ref]])).correct
    assert exercises.check("ch2-cost-running", sympy.Float(ref)).correct



# --------------------------------------------------------------------------------------
# Symbolic answers.

_z = sympy.Symbol("z")


_s = 1 / (1 + sympy.exp(-_z))


@pytest.mark.parametrize("form", [
    _s * (1 - _s),
    sympy.exp(-_z) / (1 + sympy.exp(-_z)) ** 2,
    sympy.exp(_z) / (1 + sympy.exp(_z)) ** 2,
    _s * _s.subs(_z, -_z),
    1 / (4 * sympy.cosh(_z / 2) ** 2),
    sympy.Derivative(_s, _z),
    (lambda zr: (1 / (1 + sympy.exp(-zr))) * (1 - 1 / (1 + sympy.exp(-zr))))(
        sympy.Symbol("z", real=True)),
], ids=["s(1-s)", "textbook", "exp(z)", "s(z)s(-z)", "cosh", "Derivative", "real-symbol"])
def test_equivalent_forms_of_sigma_prime_are_accepted(form):
    assert exercises.check("ch4-sigmoid-prime", form).correct


def test_equivalent_forms_for_the_chain_rule_exercise():
    w, x, b = sympy.symbols("w x b")
    u = w * x + b
    s = 1 / (1 + sympy.exp(-u))
    assert exercises.check("ch3-composite-derivative", x * s * (1 - s)).correct
    assert exercises.check("ch3-composite-derivative", sympy.diff(s, w)).correct
    y, zz = sympy.symbols("y z")
    sz = 1 / (1 + sympy.exp(-zz))
    assert exercises.check("ch3-chain-dcdz", (sz - y) * sz * (1 - sz)).correct
    a = sympy.Symbol("a")
    assert exercises.check("ch2-cost-derivative", -(y - a)).correct


def test_a_wrong_expression_gets_its_value_beside_the_expected_one():
    fb = exercises.check("ch4-sigmoid-prime", _s ** 2)
    assert not fb.correct
    m = re.search(r"at z = (\S+) your expression is (\S+) but the expected value is (\S+)\.",
                  fb.message)
    assert m, fb.message
    zv = float(m.group(1))
    assert float(m.group(2)) == pytest.approx(float(sigmoid(zv)) ** 2, rel=1e-5)
    assert float(m.group(3)) == pytest.approx(float(sigmoid_prime(zv)), rel=1e-5)


@pytest.mark.parametrize("answer,words", [
    (sympy.Function("sigma")(_z), "undefined function"),
    (sympy.Symbol("t") * _z, "symbol(s) t"),
    (sympy.Eq(_z, 1), "eq.rhs"),
    (sympy.Lambda(_z, _s), "Lambda"),
    (lambda z: z, "Python function"),
    (sympy.nan, "nan"),
    (True, "truth value"),
])
def test_symbolic_junk_is_refused_with_a_reason(answer, words):
    fb = exercises.check("ch4-sigmoid-prime", answer)
    assert not fb.correct and words in fb.message


def test_a_constant_is_a_valid_but_wrong_symbolic_answer():
    fb = exercises.check("ch4-sigmoid-prime", 0.25)
    assert not fb.correct and "expected value" in fb.message



# --------------------------------------------------------------------------------------
# Function answers.

def _raises(*args):
    raise ZeroDivisionError("boom")


def _returns_none(*args):
    return None


def _returns_text(*args):
    return "delta"


def _wrong_shape(*args):
    return np.zeros((7, 7))


def _huge(*args):
    return np.zeros((2000, 2000))


def _exits(*args):
    raise SystemExit(3)


@pytest.mark.parametrize("exercise_id", FUNCTION_IDS)
@pytest.mark.parametrize("fn,words", [
    (_raises, "Your function raised ZeroDivisionError: boom"),
    (_exits, "Your function raised SystemExit"),
    (_returns_none, "returned None: did you forget `return`?"),
    (_returns_text, "is the text 'delta'"),
    (_wrong_shape, "has shape (7, 7) but should be"),
    (_huge, "4,000,000 entries"),
], ids=["raises", "exits", "none", "text", "shape", "huge"])
def test_broken_functions_are_reported_cleanly(exercise_id, fn, words):
    fb = exercises.check(exercise_id, fn)
    assert not fb.correct
    assert words in fb.message
    assert "Hidden case 1 of" in fb.message
    assert "Traceback" not in fb.message


@pytest.mark.parametrize("exercise_id", FUNCTION_IDS)
def test_a_function_with_the_wrong_signature_is_told_the_calling_convention(exercise_id):
    ex = exercises.get(exercise_id)
    fb = ex.check(lambda only_one: only_one)
    assert not fb.correct
    assert f"calls it as {ex.name}({', '.join(ex.params)})" in fb.message


@pytest.mark.parametrize("exercise_id", FUNCTION_IDS)
def test_passing_a_result_instead_of_a_function(exercise_id):
    fb = exercises.check(exercise_id, np.zeros((2, 1)))
    assert "you passed a result, not the function" in fb.message


def test_a_function_that_changes_its_input_in_place_fails():
    def my_output_delta(a, y, z):
        a -= y  # modifies the caller's array
        return a * sigmoid_prime(z)

    fb = exercises.check("ch4-my-output-delta", my_output_delta)
    assert not fb.correct
    assert "changed its argument a in place" in fb.message


def test_the_first_failing_case_is_reported_with_its_inputs():
    calls = []

    def my_output_delta(a, y, z):
        calls.append(a.shape)
        if a.shape[1] > 1:
            return (a - y) * sigmoid_prime(z) + 1.0
        return (a - y) * sigmoid_prime(z)

    fb = exercises.check("ch4-my-output-delta", my_output_delta)
    assert not fb.correct
    case_number = int(re.search(r"Hidden case (\d+) of", fb.message).group(1))
    assert calls[case_number - 1][1] > 1 and all(s[1] == 1 for s in calls[:case_number - 1])
    assert "a = [[" in fb.message and "You returned" in fb.message


def test_a_correct_learner_function_in_another_style_passes():
    def my_output_delta(a, y, z):
        return np.multiply(np.subtract(a, y), a * (1 - a))  # σ′(z) = a(1 − a)

    assert exercises.check("ch4-my-output-delta", my_output_delta).correct

    def my_forward(W, b, a):
        return 1 / (1 + np.exp(-(np.dot(W, a) + b.reshape(-1, 1))))

    assert exercises.check("ch1-my-forward", my_forward).correct


def test_the_bias_broadcast_bug_is_recognised_when_it_raises():
    def my_forward(W, b, a):
        return sigmoid(W @ a + b)  # raises for a batch whose size differs from n_out

    fb = exercises.check("ch1-my-forward", my_forward)
    assert fb.mistake == "bias added along the wrong axis"


def test_printing_inside_a_learner_function_is_captured_and_bounded(capsys):
    def my_output_delta(a, y, z):
        print("x" * 100_000)

    fb = exercises.check("ch4-my-output-delta", my_output_delta)
    assert capsys.readouterr().out == ""
    assert "Your function printed" in fb.message
    assert len(fb.message) < 2000


def test_sample_points_draw_whole_numbers_from_a_range_and_refuse_a_missing_domain():
    L, z = sympy.symbols("L z")
    points = checkers.sample_points([L, z], np.random.default_rng(1),
                                    domain={"L": range(2, 5), "z": (0.5, 1.5)})
    assert len({tuple(p.values()) for p in points}) == 7                  # distinct points
    assert all(p[L] in (2, 3, 4) and p[L].is_Integer for p in points)
    with pytest.raises(ValueError, match="no domain"):
        checkers.sample_points([L, z], np.random.default_rng(1), domain={"L": range(2, 5)})
    with pytest.raises(ValueError, match="distinct points"):
        checkers.sample_points([L], np.random.default_rng(1), domain=range(2, 5))

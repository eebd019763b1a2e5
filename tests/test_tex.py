"""The TeX and number helpers every stepper and registry record writes with."""
import numpy as np
import pytest

from bpcore import tex


@pytest.mark.parametrize("value, plain, latex", [
    (0.15, "0.1500", "0.1500"), (-0.1, "-0.1000", "-0.1000"), (12.3456, "12.3456", "12.3456"),
    (0.05, "0.0500", "0.0500"), (0.001, "0.0010", "0.0010"), (999.5, "999.5000", "999.5000"),
    (0.0, "0", "0"), (3e-7, "3.000e-07", r"3.000 \times 10^{-7}"),
    (-2.5e-7, "-2.500e-07", r"-2.500 \times 10^{-7}"),
    (2.5e12, "2.500e+12", r"2.500 \times 10^{12}"), (float("inf"), "inf", r"\infty"),
    (-float("inf"), "-inf", r"-\infty"), (1250.0, "1.250e+03", r"1.250 \times 10^{3}"),
])
def test_format_number_gives_four_decimals_in_the_middle_range(value, plain, latex):
    assert tex.format_number(value) == plain
    assert tex.format_number(value, latex=True) == latex


def test_numbers_side_by_side_have_the_same_decimals():
    shown = [tex.format_number(v) for v in (0.05, 0.99, -0.0336, 1.5)]
    assert {len(s.split(".")[1]) for s in shown} == {4}


def test_numbers_as_factors_sums_and_pictures():
    assert tex.factor(-0.25) == "(-0.2500)" and tex.factor(0.25) == "0.2500"
    assert tex.signed_sum([0.1, -0.2, 0.3]) == "0.1000 - 0.2000 + 0.3000"
    assert tex.plain(-1.5) == "\u22121.5000"


def test_symbols_keys_and_matrices():
    assert tex.sym("w", 2, 1, 3) == "w^{2}_{13}" and tex.sym("a", 0) == "a^{0}"
    assert tex.key("delta", 1, 2) == "delta^1_2" and tex.key("a", "L") == "a^L"
    assert tex.column([1.0, -2.0]) == r"\begin{pmatrix} 1.0000 \\ -2.0000 \end{pmatrix}"
    assert tex.matrix(np.array([[1.0, 0.0]])) == r"\begin{pmatrix} 1.0000 & 0 \end{pmatrix}"
    assert tex.aligned(["a = 1 = 1", "b = 2"]) == \
        r"\begin{aligned} a &= 1 = 1 \\ b &= 2 \end{aligned}"


def test_math_for_html_is_escaped():
    assert tex.inline("a < b & c") == "$a &lt; b &amp; c$"
    assert tex.display(r"x > 0") == "$$x &gt; 0$$"
    assert tex.paragraph("hi") == '<p style="margin:0.3em 0">hi</p>'


def test_picture_text_and_its_plain_description():
    assert tex.superscript("\u03b4", 12) == "\u03b4\u00b9\u00b2"
    assert tex.ascii_text("\u2202C/\u2202w\u00b2 \u221d \u0394w") == \
        "dC/dw^2 proportional to Delta w"

"""The activations that sympy keeps whole: the sigmoid, ReLU and softmax as sympy functions.

Each has its derivative rule built in, so formulas that use them stay short; the records of
:mod:`bpcore.activations` name them as their sympy form, and :mod:`bpcore.symbolic` builds
networks from them.  ``to_exp`` in :mod:`bpcore.symbolic` writes them out.
"""
from __future__ import annotations

import sympy

__all__ = ["sigma", "relu", "softmax"]



class sigma(sympy.Function):
    """The logistic sigmoid sigma(z) = 1 / (1 + e^{-z}), kept whole so formulas stay short.

    Its derivative rule is sigma'(z) = sigma(z) (1 - sigma(z)); :func:`sigmoid_prime_identity`
    proves that rule from the exp form.  ``sigma(z).rewrite(sympy.exp)`` gives the exp form.

    >>> z = sympy.Symbol("z")
    >>> sigma(z).diff(z)
    (1 - sigma(z))*sigma(z)
    >>> sigma(0)
    1/2
    """
    nargs = 1

    @classmethod
    def eval(cls, z):
        if z.is_zero:
            return sympy.S.Half
        return None

    def fdiff(self, argindex=1):
        s = sigma(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, z, **kwargs):
        return 1 / (1 + sympy.exp(-z))

    def _latex(self, printer, exp=None):
        name = r"\sigma" if exp is None else rf"\sigma^{{{exp}}}"
        return rf"{name}\left({printer._print(self.args[0])}\right)"


class relu(sympy.Function):
    """relu(z) = max(0, z), with relu'(z) = Heaviside(z) and bpcore's convention relu'(0) = 0.

    >>> z = sympy.Symbol("z")
    >>> relu(z).diff(z)
    Heaviside(z, 0)
    """
    nargs = 1

    def fdiff(self, argindex=1):
        return sympy.Heaviside(self.args[0], 0)

    def _eval_rewrite_as_Max(self, z, **kwargs):
        return sympy.Max(0, z)

    def _latex(self, printer, exp=None):
        name = r"\operatorname{relu}" if exp is None else rf"\operatorname{{relu}}^{{{exp}}}"
        return rf"{name}\left({printer._print(self.args[0])}\right)"


class softmax(sympy.Function):
    """softmax(j, z_1, ..., z_n) = e^{z_j} / sum_k e^{z_k}, output j of the softmax, kept whole.

    Its derivative rule is d softmax_j / dz_i = softmax_j (delta_ij - softmax_i), so the
    derivatives of a softmax layer stay short; :func:`softmax_jacobian` derives that rule
    from the exp form, and ``rewrite(sympy.exp)`` writes the function out.

    >>> z1, z2 = sympy.symbols("z_1 z_2")
    >>> softmax(1, z1, z2).diff(z2)
    -softmax(1, z_1, z_2)*softmax(2, z_1, z_2)
    >>> softmax(1, z1, z2).rewrite(sympy.exp)
    exp(z_1)/(exp(z_1) + exp(z_2))
    """

    def fdiff(self, argindex=1):
        if argindex == 1:  # the output index j is not a variable
            raise sympy.core.function.ArgumentIndexError(self, argindex)
        j, zs = self.args[0], self.args[1:]
        i = argindex - 1
        return self * (sympy.KroneckerDelta(j, i) - softmax(i, *zs))

    def _eval_rewrite_as_exp(self, j, *zs, **kwargs):
        return sympy.exp(zs[int(j) - 1]) / sympy.Add(*[sympy.exp(z) for z in zs])

    def _latex(self, printer, exp=None):
        name = rf"\operatorname{{softmax}}_{{{printer._print(self.args[0])}}}"
        if exp is not None:
            name = rf"{name}^{{{exp}}}"
        zs = ", ".join(printer._print(z) for z in self.args[1:])
        return rf"{name}\left({zs}\right)"

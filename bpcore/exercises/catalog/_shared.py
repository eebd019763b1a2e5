"""Data and sympy forms that several chapters' exercises share."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import sympy

import bpcore
from bpcore.examples import network_state

__all__ = ["with_fields", "sigma_of", "sigma_prime_of", "mnist_state"]


def with_fields(ns, **extra):
    """A copy of namespace ``ns`` with extra attributes."""
    return SimpleNamespace(**{**vars(ns), **extra})


def sigma_of(u):
    """σ(u) = 1 / (1 + e^(−u)), as a sympy expression."""
    return 1 / (1 + sympy.exp(-u))


def sigma_prime_of(u):
    """σ′(u), as sympy differentiates it."""
    return sympy.diff(sigma_of(sympy.Symbol("u")), sympy.Symbol("u")).subs(sympy.Symbol("u"), u)


def mnist_state():
    """:func:`~bpcore.examples.network_state` of a 784-30-10 network on a batch of 64
    (zero) images: only the shapes matter."""
    net = bpcore.Network.random([784, 30, 10], seed=0)
    x = np.zeros((784, 64))
    y = np.zeros((10, 64))
    return network_state(net, x, y)

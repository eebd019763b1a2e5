"""The book's running example: one small network the reader meets in every chapter."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Network

__all__ = ["RunningExample", "running_example", "mazur_example"]


@dataclass(frozen=True)
class RunningExample:
    """A network, one input column x, its target y and the loss the chapters use."""
    net: Network
    x: np.ndarray
    y: np.ndarray
    loss: str = "mse"


def running_example():
    """The 2-3-2 sigmoid network with the quadratic cost, used throughout the book.

    Its inputs 0.05/0.10 and targets 0.01/0.99 are those of Mazur's well-known worked
    example; a third hidden neuron with a negative weight makes every layer non-square, so
    a transposed W or a swapped index shows up as a shape error.  x and y are single
    columns, shapes (2, 1) and (2, 1).

    >>> ex = running_example()
    >>> ex.net.sizes, ex.x.shape, ex.y.shape
    ((2, 3, 2), (2, 1), (2, 1))
    """
    net = Network(
        weights=[np.array([[0.15, 0.20], [0.25, 0.30], [0.35, -0.10]]),
                 np.array([[0.40, 0.45, -0.30], [0.50, 0.55, 0.20]])],
        biases=[np.array([0.35, 0.35, -0.20]), np.array([0.60, 0.60])],
        activations="sigmoid",
    )
    return RunningExample(net, np.array([[0.05], [0.10]]), np.array([[0.01], [0.99]]))


def mazur_example():
    """The 2-2-2 sigmoid network of Matt Mazur's "A Step by Step Backpropagation Example"
    (2015), cited in Punnen's chapter, in the book's matrix form.

    His w1..w4 are W^1 row by row (w1 = w^1_11, w2 = w^1_12, w3 = w^1_21, w4 = w^1_22), w5..w8
    likewise W^2; one bias b1 = 0.35 is shared by both hidden neurons and b2 = 0.60 by both
    outputs.  Inputs 0.05/0.10, targets 0.01/0.99, cost E = sum 1/2 (target - out)^2, which
    is bpcore's mse for one sample.  He uses a learning rate of 0.5.

    >>> from bpcore import cost
    >>> ex = mazur_example()
    >>> round(cost(ex.net, ex.x, ex.y), 9)
    0.298371109
    """
    net = Network([np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([[0.40, 0.45], [0.50, 0.55]])],
                  [np.array([0.35, 0.35]), np.array([0.60, 0.60])], "sigmoid")
    return RunningExample(net, np.array([[0.05], [0.10]]), np.array([[0.01], [0.99]]))


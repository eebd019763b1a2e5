"""Helpers shared by the test modules."""
import numpy as np


def random_targets(rng, loss, out_act, n, m):
    """Targets of shape (n, m) inside the domain of ``loss`` for output ``out_act``."""
    if loss == "mse":
        return rng.normal(size=(n, m))
    if loss == "cross_entropy" and out_act == "softmax":
        return rng.dirichlet(np.ones(n), size=m).T
    return rng.uniform(0, 1, size=(n, m))

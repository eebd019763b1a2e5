"""Helpers shared by the test modules."""
import numpy as np
import pytest


def random_targets(rng, loss, out_act, n, m):
    """Targets of shape (n, m) inside the domain of ``loss`` for output ``out_act``."""
    if loss == "mse":
        return rng.normal(size=(n, m))
    if loss == "cross_entropy" and out_act == "softmax":
        return rng.dirichlet(np.ones(n), size=m).T
    return rng.uniform(0, 1, size=(n, m))


@pytest.fixture
def ax():
    """A fresh matplotlib Axes (Agg backend), closed after the test; import it to use it."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots()
    yield axes
    plt.close(fig)

"""Small data sets built in code or shipped inside a package; nothing is downloaded.

Every function returns arrays with one column per sample, as the rest of bpcore expects.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

from . import _validate as v

__all__ = ["xor", "mirror_symmetry", "digits", "one_hot", "Split"]


def xor():
    """The four XOR patterns: x of shape (2, 4) and y of shape (1, 4).

    >>> x, y = xor()
    >>> x
    array([[0., 0., 1., 1.],
           [0., 1., 0., 1.]])
    >>> y
    array([[0., 1., 1., 0.]])
    """
    x = np.array([[0, 0, 1, 1], [0, 1, 0, 1]], dtype=float)
    y = np.array([[0, 1, 1, 0]], dtype=float)
    return x, y


def mirror_symmetry(n_bits=6):
    """All 2^n binary patterns and whether each is symmetric about its centre.

    Rumelhart, Hinton & Williams (1986) trained a 6-2-1 network on all 64 patterns of
    6 bits; y = 1 when bit i equals bit n-1-i for every i.  Returns x of shape (n, 2^n)
    and y of shape (1, 2^n); 8 of the 64 six-bit patterns are symmetric.

    >>> x, y = mirror_symmetry()
    >>> x.shape, y.shape, int(y.sum())
    ((6, 64), (1, 64), 8)
    """
    n_bits = v.positive_int(n_bits, "n_bits")
    x = np.array(list(product([0.0, 1.0], repeat=n_bits))).T
    y = np.all(x == x[::-1], axis=0).astype(float).reshape(1, -1)
    return x, y


def one_hot(labels, n_classes):
    """Integer labels of shape (m,) as one-hot columns of shape (n_classes, m).

    >>> one_hot(np.array([2, 0]), 3)
    array([[0., 1.],
           [0., 0.],
           [1., 0.]])
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be a 1-D array of integers, got {labels.dtype} "
                         f"of shape {labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1}, got {labels.min()}..{labels.max()}")
    out = np.zeros((n_classes, labels.size))
    out[labels, np.arange(labels.size)] = 1.0
    return out


@dataclass(frozen=True)
class Split:
    """A train/test split: inputs (64, m) in [0, 1], one-hot targets (10, m), labels (m,),
    and the 8x8 images (m, 8, 8) for plotting."""
    x_train: np.ndarray
    y_train: np.ndarray
    labels_train: np.ndarray
    images_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    labels_test: np.ndarray
    images_test: np.ndarray


def digits(test_fraction=0.25, seed=0):
    """scikit-learn's bundled 8x8 handwritten digits (1,797 images), split at random.

    Pixels are scaled from 0..16 to [0, 1].  The split is stratified: each digit keeps
    the same share in train and test.  ``seed`` is an int or a numpy Generator.

    >>> d = digits()
    >>> d.x_train.shape[0], d.y_train.shape[0], d.x_train.shape[1] + d.x_test.shape[1]
    (64, 10, 1797)
    """
    from sklearn.datasets import load_digits  # ships with scikit-learn; no download

    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction!r}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    data = load_digits()
    labels = data.target.astype(int)
    test = np.zeros(labels.size, dtype=bool)
    for digit in range(10):
        idx = rng.permutation(np.flatnonzero(labels == digit))
        test[idx[:round(test_fraction * idx.size)]] = True
    x = data.data.T / 16.0
    images = data.images / 16.0
    tr, te = np.flatnonzero(~test), np.flatnonzero(test)
    return Split(x[:, tr], one_hot(labels[tr], 10), labels[tr], images[tr],
                 x[:, te], one_hot(labels[te], 10), labels[te], images[te])

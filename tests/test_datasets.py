"""The data sets: XOR, mirror symmetry (all 64 patterns) and the 8x8 digits split."""
import numpy as np
import pytest

from bpcore import datasets


def test_xor_and_mirror_symmetry_data():
    x, y = datasets.xor()
    assert np.array_equal(y[0], np.logical_xor(x[0], x[1]).astype(float))
    x, y = datasets.mirror_symmetry()
    assert len({tuple(c) for c in x.T}) == 64
    for col, target in zip(x.T, y[0]):
        assert target == float(list(col) == list(col[::-1]))


def test_digits_split_is_stratified_and_scaled():
    d = datasets.digits(test_fraction=0.2, seed=3)
    assert d.x_train.min() >= 0 and d.x_train.max() <= 1
    assert np.array_equal(d.y_train.argmax(axis=0), d.labels_train)
    assert np.allclose(d.images_test.reshape(-1, 64).T, d.x_test)
    share = np.bincount(d.labels_test, minlength=10) / np.bincount(
        np.concatenate([d.labels_train, d.labels_test]), minlength=10)
    assert np.all(np.abs(share - 0.2) < 0.01)
    with pytest.raises(ValueError, match="test_fraction must lie strictly between 0 and 1"):
        datasets.digits(test_fraction=1.0)


def test_one_hot_columns():
    y = datasets.one_hot(np.array([2, 0, 1]), 3)
    assert y.shape == (3, 3) and np.array_equal(y.argmax(axis=0), [2, 0, 1])
    assert np.array_equal(y.sum(axis=0), np.ones(3))

"""bpcore.figures.bptt: the lag ratios against deltas_from_step and the sigma_max^k bound,
the orthogonal draw, the per-step rate, the truncation experiment against bpcore.rnn, and
the figures."""
import matplotlib
import numpy as np
import pytest

from bpcore import rnn as R, rnn_training as RT
from bpcore.figures import bptt as B

matplotlib.use("Agg")


def test_orthogonal_has_every_singular_value_one():
    Q = B.orthogonal(7, seed=3)
    np.testing.assert_allclose(np.linalg.svd(Q, compute_uv=False), np.ones(7), rtol=1e-12)


@pytest.mark.parametrize("equal", [True, False])
@pytest.mark.parametrize("sigma", [0.5, 1.0, 2.0])
def test_ratios_stay_under_sigma_max_to_the_k(sigma, equal):
    r = B.gradient_by_lag(sigma, n_h=8, T=15, m=6, input_scale=1.0, equal=equal, seed=1)
    assert r.ratios[0] == 1.0
    assert np.all(r.ratios <= sigma ** np.arange(15) * (1 + 1e-12))
    assert r.sigma_max == sigma and 0 < r.mean_slope <= 1
    assert r.rho <= sigma * (1 + 1e-12)           # |eigenvalue| <= largest singular value


def test_ratios_are_the_norms_of_deltas_from_the_last_step():
    r = B.gradient_by_lag(0.8, n_h=5, T=6, m=3, seed=4)
    rnn = R.RNN.random(1, 5, 1, seed=4, sigma_max=0.8).replace(W_hh=0.8 * B.orthogonal(5, 5))
    rng = np.random.default_rng(6)
    x = 0.1 * rng.normal(size=(6, 1, 3))
    y = rng.normal(size=(6, 1, 3))
    d = R.deltas_from_step(rnn, x, y, 6)
    norms = np.sqrt((d ** 2).sum(axis=(1, 2)))
    np.testing.assert_allclose(r.ratios, norms / norms[0], rtol=1e-12)
    assert r.rho == pytest.approx(0.8, rel=1e-9)  # sigma Q has every |eigenvalue| sigma


def test_near_linear_orthogonal_case_follows_sigma_per_step():
    r = B.gradient_by_lag(0.6, n_h=16, T=25, m=20, input_scale=0.01, seed=0)
    assert B.per_step_rate(r.ratios) == pytest.approx(0.6, rel=0.01)


def test_per_step_rate_is_the_geometric_mean():
    ratios = 0.5 ** np.arange(12) * 3.0
    assert B.per_step_rate(ratios, start=4) == pytest.approx(0.5, rel=1e-12)


def test_truncation_experiment_reruns_like_bpcore_rnn_train():
    res = B.truncation_experiment(delay=1, T=5, m=8, n_h=3, truncations=(1, None),
                                  seeds=(0, 1), steps=4, m_test=10)
    x, y, s = RT.recall_task(5, 1, 8, seed=1000)
    xt, yt, _ = RT.recall_task(5, 1, 10, seed=2000)
    trained, costs = RT.train(R.RNN.random(1, 3, 1, output="sigmoid", seed=1), x, y, steps=4,
                             learning_rate=0.1, loss="binary_cross_entropy", truncation=1,
                             loss_from=s, clip=1.0)
    np.testing.assert_allclose(res.costs[1][1], costs / 4, rtol=1e-13)
    assert res.accuracy[1][1] == RT.accuracy(trained, xt, yt, loss_from=s)
    assert res.mean_accuracy(None) == pytest.approx(np.mean(res.accuracy[None]))
    assert B.label(None) == "full BPTT" and B.label(3) == "K = 3"


def test_figures_draw_what_they_are_given():
    results = [B.gradient_by_lag(s, n_h=4, T=6, m=2) for s in (0.5, 1.5)]
    fig = B.plot_gradient_by_lag({"a": results, "b": results[:1]})
    assert [len(ax.get_lines()) for ax in fig.axes] == [4, 2]
    assert fig.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    res = B.truncation_experiment(delay=1, T=4, m=4, n_h=2, truncations=(1, None),
                                  seeds=(0, 1), steps=3, m_test=4)
    fig = B.plot_training(res)
    assert len(fig.axes[0].get_lines()) == 5           # 2 x 2 runs and the ln 2 line
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels[0].startswith("K = 1") and labels[1].startswith("full BPTT")
    assert labels[2] == "ln 2: guessing"


def test_unrolled_graph_has_one_column_per_step():
    fig = B.plot_unrolled(3)
    texts = [t.get_text() for t in fig.axes[0].texts]
    for t in (1, 2, 3):
        assert f"$x_{t}$" in texts and f"$h_{t}$" in texts and f"$e_{t}$" in texts
    assert "$h_0$" in texts and "$h_4$" not in texts
    assert sum("W_{hh}^{\\top}" in t for t in texts) == 2    # delta_3 -> 2, delta_2 -> 1
    assert len(fig.axes[0].patches) == 3 * 4 + 2             # 4 arrows per step, 2 back

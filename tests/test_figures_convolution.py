"""bpcore.figures.convolution: the grids show their numbers and highlights, the matrix
figure colours each entry by the kernel weight it holds (as conv_matrix says), and the
alt texts say the same in words."""
import matplotlib
import numpy as np

from bpcore import conv
from bpcore.figures import convolution as cf

matplotlib.use("Agg")


def test_draw_grid_writes_every_number_and_the_frames():
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    values = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]])
    cf.draw_grid(ax, values, "x", window=(0, 1, 2, 2), mark=[(1, 1)],
                 blank=np.array([[False, False, False], [False, False, True]]))
    assert [t.get_text() for t in ax.texts] == ["1.00", "−2.00", "0.50", "0.00", "3.00"]
    assert len(ax.patches) == 2
    frame = ax.patches[0]
    assert (frame.get_x(), frame.get_y(), frame.get_width(), frame.get_height()) == \
        (0.5, -0.5, 2, 2)
    assert ax.get_title() == "x"
    plt.close(fig)


def test_grids_png_and_describe():
    png = cf.grids_png([dict(values=np.eye(3), title="a"), dict(values=np.ones((2, 2)),
                                                                 title="b")])
    assert png[:4] == b"\x89PNG"
    text = cf.describe_grid("x", np.array([[1.0, -2.0], [0.0, 4.0]]), window=(0, 0, 2, 2),
                            mark=[(1, 1)])
    assert text == ("x, 2 by 2: row 1: 1.00, −2.00; row 2: 0.00, 4.00. Highlighted: rows 1 "
                    "to 2, columns 1 to 2. Marked: row 2 column 2.")


def test_the_matrix_figure_labels_each_entry_with_its_weight():
    K = np.arange(1.0, 5.0).reshape(1, 1, 2, 2)
    cm = conv.conv_matrix(K, (1, 3, 3))
    labels = ["a", "b", "c", "d"]
    fig = cf.plot_conv_matrix(cm, labels)
    ax = fig.axes[0]
    assert len(ax.texts) == 16                           # 4 positions x 4 weights
    for t in ax.texts:
        q, r = (round(c) for c in t.get_position())
        assert labels[cm.kernel_index[r, q]] == t.get_text()
        assert cm.matrix[r, q] == K.ravel()[labels.index(t.get_text())]
    assert fig.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    text = cf.describe_conv_matrix(cm, labels)
    assert text.startswith("A 4 by 9 grid, the matrix M. Of its 36 entries, 20 are zero")
    assert "a 4 times, b 4 times, c 4 times, d 4 times" in text


def test_plot_kernels_one_panel_each():
    fig = cf.plot_kernels(np.random.default_rng(0).normal(size=(5, 1, 3, 3)))
    assert len(fig.axes) == 5 and fig.axes[4].get_title() == "kernel 5"

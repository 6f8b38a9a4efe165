"""Pictures of a digits classifier: sample images with labels, training curves, a confusion matrix.

Part 2 draws them in its "Try it" section, and the grader draws the same ones for the learner's
trained model into reports/ (beside results.json). Each function returns a matplotlib `Figure`
of a fixed size in pixels; `save(figure, path)` writes it as a PNG.

The figures are made with `matplotlib.figure.Figure`, not `pyplot`: no global state, no GUI
backend to pick, and nothing printed. A PNG is rendered by Agg whatever backend is active, and
in a notebook `show(figure)` displays it inline.
"""

import logging
import pathlib

# matplotlib logs "building the font cache" on its first import on a machine, and a warning when
# its config folder is not writable, both to stderr (which fails a notebook's test cell).
logging.getLogger("matplotlib").setLevel(logging.ERROR)

import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

DPI = 100
SAMPLES_SIZE = (8.0, 4.8)  # inches: 800 x 480 pixels at DPI
CURVES_SIZE = (9.0, 3.6)  # 900 x 360
CONFUSION_SIZE = (5.6, 5.0)  # 560 x 500
WRONG_COLOUR, RIGHT_COLOUR = "tab:red", "black"


def pixel_size(inches):
    """(width, height) in pixels of a figure of `inches` saved by `save`."""
    return round(inches[0] * DPI), round(inches[1] * DPI)


def sample_grid(images, labels, predictions=None, rows=4, columns=8):
    """The first rows x columns images, each with its true (and predicted) label underneath.

    images: array, shape (N, height, width) or (N, height, width, 1), any range.
    labels: integer array, shape (N,). predictions: integer array, shape (N,), or None.
    A wrong prediction's label is red. The images are tiled into one mosaic (one `imshow`),
    which draws about 10x faster than one subplot per image.
    """
    images = np.asarray(images, dtype=np.float64)[: rows * columns]
    images = images.reshape(images.shape[:3])
    height, width = images.shape[1:3]
    gap = max(1, height // 4)
    mosaic = np.full((rows * (height + gap), columns * (width + gap)), np.nan)
    figure = Figure(figsize=SAMPLES_SIZE, dpi=DPI)
    axes = figure.add_axes((0.01, 0.02, 0.98, 0.86))
    for index, image in enumerate(images):
        row, column = divmod(index, columns)
        top, left = row * (height + gap), column * (width + gap)
        span = image.max() - image.min()
        mosaic[top:top + height, left:left + width] = (image - image.min()) / (span or 1.0)
        text, colour = f"{int(labels[index])}", RIGHT_COLOUR
        if predictions is not None:
            text = f"true {int(labels[index])}, pred {int(predictions[index])}"
            colour = RIGHT_COLOUR if predictions[index] == labels[index] else WRONG_COLOUR
        axes.text(left + width / 2 - 0.5, top + height + gap / 2 - 0.5, text, ha="center",
                  va="center", fontsize=7, color=colour)
    axes.imshow(mosaic, cmap="gray_r", interpolation="nearest", vmin=0.0, vmax=1.0)
    axes.set_axis_off()
    figure.suptitle("Test images: true label, prediction (red: wrong)" if predictions is not None
                    else "Images and their labels", fontsize=10)
    return figure


def training_curves(history):
    """Loss and accuracy per epoch, training and validation: `history` is History.history."""
    figure = Figure(figsize=CURVES_SIZE, dpi=DPI)
    figure.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.9, wspace=0.25)
    for axes, metric in zip(figure.subplots(1, 2), ["loss", "accuracy"]):
        for key, label in [(metric, "training"), (f"val_{metric}", "validation")]:
            values = list(history.get(key, []))
            if values:
                axes.plot(range(1, len(values) + 1), values, marker="o", label=label)
        axes.set_xlabel("epoch")
        axes.set_title(metric)
        axes.grid(alpha=0.3)
        if axes.lines:
            axes.legend()
    return figure


def confusion_matrix(matrix):
    """A confusion matrix as a heat map with its counts: rows true labels, columns predictions."""
    matrix = np.asarray(matrix)
    figure = Figure(figsize=CONFUSION_SIZE, dpi=DPI)
    figure.subplots_adjust(left=0.1, right=0.95, bottom=0.1, top=0.92)
    axes = figure.subplots()
    axes.imshow(matrix, cmap="Blues")
    ticks = range(matrix.shape[0])
    axes.set_xticks(ticks)
    axes.set_yticks(ticks)
    axes.set_xlabel("predicted label")
    axes.set_ylabel("true label")
    axes.set_title(f"Confusion matrix ({int(matrix.sum())} images)")
    threshold = matrix.max() / 2 if matrix.size else 0
    for (row, column), count in np.ndenumerate(matrix):
        if count:
            axes.text(column, row, str(int(count)), ha="center", va="center", fontsize=8,
                      color="white" if count > threshold else "black")
    return figure


def save(figure, path):
    """Write `figure` as a PNG of its fixed size; return the path."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png", dpi=DPI)
    return path


def show(figure):
    """Display `figure` inline when running in a notebook; do nothing in a script."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    if get_ipython() is not None:
        from IPython.display import display

        display(figure)

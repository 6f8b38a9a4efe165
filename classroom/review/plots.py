"""The class report's pictures, as PNG files beside its index.html (Matplotlib, no display).

    totals.png       how many learners got each total
    pass_rate.png    the share of the class that passed each check, hardest visible at a glance
    measured.png     each measured value across the class (held-out accuracies, the fine-tune
                     difference, ...) with the check's threshold as a line

Instructor-side; imported by classroom.review.class_report only.
"""

import matplotlib

matplotlib.use("Agg")  # files only: no window, no display needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

PASS_COLOUR, FAIL_COLOUR, THRESHOLD_COLOUR = "#2e7d32", "#c62828", "#1f1f1f"


def save(figure, path):
    figure.savefig(path, dpi=100, metadata={"Software": None})  # the same bytes for the same class
    plt.close(figure)
    return path.name


def totals_histogram(totals, possible, path):
    """A bar per total score (bins of one point, or of possible/40 for large totals)."""
    figure, axes = plt.subplots(figsize=(7, 3.2))
    width = max(1.0, float(np.ceil(possible / 40)))
    edges = np.arange(0, possible + width + 1e-9, width) - width / 2
    axes.hist(totals, bins=edges, color="#3f6fb5", edgecolor="white")
    axes.set_xlim(-width, possible + width)
    axes.set_xlabel(f"total points (of {possible:g})")
    axes.set_ylabel("learners")
    axes.set_title(f"Totals of {len(totals)} graded learners")
    axes.yaxis.get_major_locator().set_params(integer=True)
    figure.tight_layout()
    return save(figure, path)


def pass_rates(checks, path):
    """A horizontal bar per check: the share that passed (green) and did not (red)."""
    rated = [c for c in checks if c.graded]
    labels = [f"part {c.part} / {c.check}" for c in rated]
    rates = np.array([c.pass_rate for c in rated])
    figure, axes = plt.subplots(figsize=(8, 1.2 + 0.24 * len(rated)))
    rows = np.arange(len(rated))[::-1]  # the first check on top
    axes.barh(rows, rates, color=PASS_COLOUR, label="passed")
    axes.barh(rows, 1 - rates, left=rates, color=FAIL_COLOUR, label="not passed")
    axes.set_yticks(rows, labels, fontsize=8)
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    axes.set_title("Pass rate per check", loc="left")
    axes.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=8, frameon=False)
    figure.tight_layout()
    return save(figure, path)


def measured_distributions(series, path):
    """One histogram per measured quantity, its threshold drawn; None when nothing was measured."""
    if not series:
        return None
    columns = min(3, len(series))
    rows = int(np.ceil(len(series) / columns))
    figure, grid = plt.subplots(rows, columns, figsize=(4.2 * columns, 3.0 * rows), squeeze=False)
    for axes, one in zip(grid.flat, series):
        values = np.array([value for _, value in one.values])
        low, high = min(values.min(), one.threshold), max(values.max(), one.threshold)
        span = (high - low) or 1.0
        axes.hist(values, bins=np.linspace(low - 0.05 * span, high + 0.05 * span, 21), color="#3f6fb5",
                  edgecolor="white")
        axes.axvline(one.threshold, color=THRESHOLD_COLOUR, linestyle="--", linewidth=1.2,
                     label=f"needs {'at most' if one.at_most else 'at least'} {one.threshold:g}")
        axes.set_title(f"part {one.part}: {one.label}", fontsize=9)
        axes.set_xlabel(f"{one.check} ({len(values)} values)", fontsize=8)
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.legend(fontsize=7, loc="upper left")
    for axes in list(grid.flat)[len(series):]:
        axes.set_visible(False)
    figure.tight_layout()
    return save(figure, path)

"""Draw Part 3's lesson: transfer against training from scratch as the labelled set grows.

    PYTHONPATH=. .venv/bin/python scripts/plot_part3_lesson.py

Reads scripts/part3_lesson.csv (written by scripts/measure_part3.py: mean held-out accuracy on
5-9 over 5 seeds) and writes docs/part3_transfer_vs_scratch.png, shown in Part 3's text.
"""

import csv
import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
STYLES = {"transfer": ("tab:blue", "transfer (frozen pretrained base + head)"),
          "scratch": ("tab:red", "scratch"),
          "scratch_bn_momentum_0.9": ("tab:orange", "scratch, BatchNorm momentum 0.9")}


def main():
    rows = list(csv.DictReader(open(ROOT / "scripts" / "part3_lesson.csv")))
    figure, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    for axis, epochs in zip(axes, ("10", "30")):
        for method, (color, label) in STYLES.items():
            points = [(int(r["train_images"]), float(r["mean"])) for r in rows
                      if r["epochs"] == epochs and r["method"] == method]
            points.sort()
            axis.plot([p[0] for p in points], [p[1] for p in points], "o-", color=color, label=label)
        axis.set_xscale("log")
        axis.set_xlabel("labelled training images of 5-9 (5 classes)")
        axis.set_title(f"{epochs} epochs, batch 16")
        axis.grid(alpha=0.3)
    axes[0].set_ylabel("held-out accuracy on 5-9 (mean of 5 seeds)")
    axes[0].legend(loc="lower right", fontsize=8)
    figure.tight_layout()
    path = ROOT / "docs" / "part3_transfer_vs_scratch.png"
    figure.savefig(path, dpi=100)
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

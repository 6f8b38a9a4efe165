"""The pages the review writes (templates/): one jinja2 environment, its filters for numbers."""

import pathlib

import jinja2

TEMPLATES = pathlib.Path(__file__).resolve().parent / "templates"


def points(value):
    return "" if value is None else f"{value:g}"


def number(value, digits):
    return "" if value is None else f"{value:.{digits}f}"


def environment():
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(points=points, number=number,
                       seconds=lambda v: "" if v is None else f"{v:.1f} s",
                       megabytes=lambda v: "" if v is None else f"{v:.0f} MB")
    return env

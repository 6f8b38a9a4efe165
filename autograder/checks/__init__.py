"""Graded checks, one module per part; each check is registered with @check (registry.py).

Copies of this package travel with the course's releases (handout/helpers.py), and there
`partN.py` lacks its hidden checks. At nbgrader autograde time the full modules are put back
into `with_hidden/` beside this file, and found first. In the repository that folder does not
exist, so nothing changes here.
"""

import pathlib

WITH_HIDDEN = pathlib.Path(__file__).resolve().with_name("with_hidden")
if WITH_HIDDEN.is_dir():
    __path__.insert(0, str(WITH_HIDDEN))

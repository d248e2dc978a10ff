"""Reads the JSON files shipped inside this package.

Through ``importlib.resources`` rather than a path next to ``__file__`` so the data is found
the same way from a source checkout, an editable install and a wheel inside a container.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def read_packaged_json(name: str) -> Any:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)

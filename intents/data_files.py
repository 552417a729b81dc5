"""Reading the project's YAML data (templates, wording, content, training sentences)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it (its wheels are): the content bank alone
took over a second to parse in pure Python, most of the companion's start-up."""


def read_yaml(path: Path) -> Any:
    """A YAML file's data, parsed safely."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506

"""The models shipped with the package: column vocabulary, the national classification
政府收支分类科目 (classification.yaml: codes, names and editions), digit confusions, rules
between tables.

They are package data so that a normal (non-editable) install or a wheel finds them; read them
with :func:`data_file`. Each file is plain YAML/JSON, editable without code (pass your own copy
where a loader takes a path).
"""

from __future__ import annotations

import os
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

# libyaml's parser with PyYAML's safe constructor and resolver: the same data as
# ``yaml.safe_load``, in about a tenth of the time (the pure-Python one where PyYAML was
# built without libyaml).
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def data_file(name: str) -> Traversable:
    """The shipped data file ``name`` (e.g. ``columns.yaml``)."""
    return files(__name__).joinpath(name)


def model_text(name: str, override_env: str, path: Path | None = None) -> str:
    """The text of a model file: ``path`` if given, else ``$override_env``, else the shipped one."""
    chosen = path or (Path(os.environ[override_env]) if os.environ.get(override_env) else None)
    if chosen is not None:
        return chosen.read_text(encoding="utf-8")
    return data_file(name).read_text(encoding="utf-8")


def load_yaml(text: str) -> Any:
    """``text`` parsed as ``yaml.safe_load`` does."""
    return yaml.load(text, Loader=_SAFE_LOADER)

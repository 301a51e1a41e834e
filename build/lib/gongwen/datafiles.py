"""The package's own data files (``data/``), read once.  Never the corpus: that is corpus.py's.

They are part of the program, like ``textdata.py``, but kept as YAML so that a
maintainer edits a list rather than code (README: adding a bureau alias, a topic).
"""

from __future__ import annotations

import functools
from importlib import resources

import yaml

from .vocabulary import Vocabulary, parse_bureaus, parse_topics


def data_text(name: str) -> str:
    return resources.files(__package__).joinpath("data").joinpath(name).read_text(encoding="utf-8")


@functools.cache
def load_vocabulary() -> Vocabulary:
    """bureaus.yml and topics.yml, parsed and checked."""
    bureaus, departments = parse_bureaus(yaml.safe_load(data_text("bureaus.yml")))
    return Vocabulary(bureaus, departments, parse_topics(yaml.safe_load(data_text("topics.yml"))))


@functools.cache
def load_id_history() -> dict[str, str]:
    """old id → new id, from id-history.yml."""
    data = yaml.safe_load(data_text("id-history.yml")) or {}
    return {str(old): str(new) for old, new in data.items()}

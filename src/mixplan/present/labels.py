"""The label catalogues: every word a deliverable shows, per language (templates/labels/*.yaml)."""

from __future__ import annotations

import functools
from typing import Any

import yaml

from ..assets import templates_dir
from ..errors import MixplanError
from ..plan import vocab


class Catalogue(dict):
    """A label catalogue whose keys are also attributes, for the templates' `L.ps.price`.

    Jinja reads `L.ps` as an attribute first and falls back to the key: on
    a plain dict that first try raises and catches an exception, about ten
    times per means of the plan. Here the instance's attributes are the dict
    itself, so the first try succeeds (no key may be named like a dict method).
    """

    def __init__(self, entries: dict[str, Any]) -> None:
        super().__init__(
            {key: Catalogue(value) if isinstance(value, dict) else value for key, value in entries.items()}
        )
        self.__dict__ = self


@functools.cache
def labels(language: str) -> Catalogue:
    if language not in vocab.LANGUAGES:
        from ..language import say
        from ..messages import one_of

        raise MixplanError(say("render.unknown_language", language=language, choices=one_of(vocab.LANGUAGES)))
    # libyaml when present (a safe loader either way): the pure-Python reader
    # costs more than the rest of a small render.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with (templates_dir() / "labels" / f"{language}.yaml").open(encoding="utf-8") as handle:
        return Catalogue(yaml.load(handle, Loader=loader))

"""`mixplan channels` and `mixplan metrics`: what `channel:` and `metric:` may say.

Kept apart from commands.py, whose help texts are maintained as one set;
registered on the same app by the package's __init__. Annotations are
objects, not strings, as in commands.py (start-up).
"""

import os
import sys
from typing import Annotated

import typer

from ..controls import visible
from ..errors import MixplanError
from .commands import app, locale_language, reported

_LANGUAGES = ("en", "fr")
_FORMATS = ("text", "json")


def _print_vocabulary(kind: str, lang: str | None, output_format: str) -> None:
    from .. import messages
    from ..outputs.vocabulary import vocabulary_text

    language = (lang or locale_language(os.environ)).lower()
    if language not in _LANGUAGES:
        raise MixplanError(messages.unknown_language(language, _LANGUAGES))
    output_format = output_format.lower()
    if output_format not in _FORMATS:
        raise MixplanError(messages.unknown_output_format(output_format, _FORMATS))
    sys.stdout.write(visible(vocabulary_text(kind, language, output_format)))


_Lang = Annotated[
    str | None,
    typer.Option("--lang", "-l", metavar="en|fr", help="Language of the labels; default: from the locale (LANG)."),
]
_Format = Annotated[
    str, typer.Option("--format", metavar="text|json", help="text: a table; json: the same list for scripts.")
]


@app.command()
@reported
def channels(lang: _Lang = None, output_format: _Format = "text") -> None:
    """List the channels a means may use: id, label and the P it belongs to by default.

    Examples:
      mixplan channels                  # in your language
      mixplan channels --lang fr        # the French labels
      mixplan channels --format json    # for a script or an editor
    """
    _print_vocabulary("channels", lang, output_format)


@app.command()
@reported
def metrics(lang: _Lang = None, output_format: _Format = "text") -> None:
    """List the metrics of objectives, KPIs and results: id, label, unit and formula.

    Examples:
      mixplan metrics                   # in your language
      mixplan metrics --lang en         # the English labels
      mixplan metrics --format json     # for a script or an editor
    """
    _print_vocabulary("metrics", lang, output_format)

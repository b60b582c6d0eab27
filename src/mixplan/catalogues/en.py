"""English messages: message id -> template. Every key here is in fr.py too (tests/test_catalogues.py)."""

MESSAGES: dict[str, str] = {
    "cli.unknown_language": "unknown language '{language}': use {choices}",
}

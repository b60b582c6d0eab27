"""How large a plan file may be: the library's default and the command's setting.

Apart from the reader so that a module that only passes the limit on (the
watcher, results import, the CLI) need not load YAML to name it.
"""

from __future__ import annotations

import os

# A plan of a hundred pages is well under 1 MB; the limit stops a wrong file
# (a log, a data dump) before it costs seconds and memory to parse. Generated
# plans (the benchmark's 100,000 means weigh 50 MB) lift it: `max_bytes=None`
# from Python, MIXPLAN_MAX_BYTES=0 (no limit) or another size for the command.
DEFAULT_MAX_PLAN_BYTES = 10 * 1024 * 1024
MAX_BYTES_VARIABLE = "MIXPLAN_MAX_BYTES"


def size_limit_setting() -> int | None:
    """The command's limit: $MIXPLAN_MAX_BYTES as it is now (0 for none), else the default.

    Read by the CLI when a command runs, never by the library, whose callers
    pass `max_bytes` themselves.
    """
    setting = os.environ.get(MAX_BYTES_VARIABLE, "").strip()
    if not setting.isdigit():
        return DEFAULT_MAX_PLAN_BYTES  # unset or not a number: the documented default
    return int(setting) or None

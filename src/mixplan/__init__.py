"""mixplan: a marketing plan written in YAML, checked and rendered.

The library API, usable without the CLI::

    import mixplan
    plan = mixplan.load_plan("plan.yaml")          # raises PlanInvalid with located findings
    report = mixplan.validate("plan.yaml")         # every finding, errors and warnings
    html = mixplan.render(plan, format="html")     # or "md"
    mixplan.render_to(plan, "plan.html", "html")   # written as it renders
    outlook = mixplan.forecast(plan)               # the forecast before launch (views/forecast.py)

Names are imported on first use so that `import mixplan` (and the CLI's
start-up) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_plan": "api",
    "validate": "api",
    "render": "api",
    "render_to": "api",
    "render_pdf": "api",
    "require_valid": "api",
    "PlanRefused": "api",
    "export_templates": "outputs.template_export",
    "Report": "api",
    "Plan": "plan.model",
    "Finding": "errors",
    "MixplanError": "errors",
    "PlanInvalid": "errors",
    "UnreadableFile": "errors",
    "check": "checks.rules",
    "RULES": "checks.rules",
    "mix_view": "views.mix",
    "forecast": "views.forecast",
    "MixView": "views.mix",
    "load": "loading.reader",
    "init_plan": "outputs.starter",
}

__all__ = [
    "RULES",
    "Finding",
    "MixView",
    "MixplanError",
    "Plan",
    "PlanInvalid",
    "PlanRefused",
    "Report",
    "UnreadableFile",
    "__version__",
    "check",
    "export_templates",
    "init_plan",
    "load",
    "forecast",
    "load_plan",
    "mix_view",
    "render",
    "render_pdf",
    "render_to",
    "require_valid",
    "validate",
]

if TYPE_CHECKING:  # pragma: no cover
    from .api import PlanRefused, Report, load_plan, render, render_pdf, render_to, require_valid, validate
    from .checks.rules import RULES, check
    from .errors import Finding, MixplanError, PlanInvalid, UnreadableFile
    from .loading.reader import load
    from .outputs.starter import init_plan
    from .outputs.template_export import export_templates
    from .plan.model import Plan
    from .views.forecast import forecast
    from .views.mix import MixView, mix_view


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mixplan' has no attribute '{name}'")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value

"""docs/format.md stays in step with the models, the vocabulary and the rules."""

from __future__ import annotations

import typing

from pydantic import BaseModel

from mixplan.checks.rules import RULES
from mixplan.plan import vocab
from mixplan.plan.model import Plan

from .conftest import ROOT

FORMAT_DOC = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")


def _models(model: type[BaseModel], seen: set) -> set:
    if model in seen:
        return seen
    seen.add(model)
    for field in model.model_fields.values():
        stack = [field.annotation]
        while stack:
            annotation = stack.pop()
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                _models(annotation, seen)
            stack.extend(typing.get_args(annotation))
    return seen


def test_every_key_of_every_model_is_documented() -> None:
    models = _models(Plan, set())
    assert len(models) > 20
    # A key is documented as the file writes it: its alias (`from`) when it has one.
    keys = [(m, field.alias or name) for m in models for name, field in m.model_fields.items()]
    missing = [f"{m.__name__}.{key}" for m, key in keys if f"`{key}`" not in FORMAT_DOC]
    assert missing == []


def test_rules_page_is_generated_from_the_registry() -> None:
    """docs/rules.md is `mixplan rules --format md`: regenerate it when a rule changes."""
    from mixplan.outputs.findings import rules_text

    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert page == rules_text("md"), "docs/rules.md is stale: run `mixplan rules --format md > docs/rules.md`"


def test_french_rules_page_is_generated_from_the_registry() -> None:
    """docs/rules.fr.md is `mixplan rules --format md --lang fr`."""
    from mixplan.outputs.findings import rules_text

    page = (ROOT / "docs" / "rules.fr.md").read_text(encoding="utf-8")
    expected = rules_text("md", "fr")
    assert page == expected, "docs/rules.fr.md is stale: run `mixplan rules --format md --lang fr > docs/rules.fr.md`"
    assert all(f"| {rule.id} | {rule.name} |" in page for rule in RULES.values())


def test_every_channel_and_metric_is_documented() -> None:
    missing = [name for name in vocab.CHANNELS + vocab.METRICS if f"`{name}`" not in FORMAT_DOC]
    assert missing == []


def test_relative_links_in_the_readme_and_docs_lead_to_files() -> None:
    import re

    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    checked = 0
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            checked += 1
            assert (page.parent / target).exists(), f"{page.name} links to {target}, which does not exist"
    assert checked >= 8


def _shell_blocks(page: str) -> list[str]:
    import re

    return re.findall(r"```sh\n(.*?)```", page, re.S)


def test_readme_set_up_uses_a_virtual_environment_and_writes_where_git_ignores() -> None:
    """Debian and Ubuntu refuse `pip install` into the system's Python (PEP 668, externally managed)."""
    import re
    import shutil
    import subprocess

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    try_it, run_tests = _shell_blocks(readme)[:2]
    for block in (try_it, run_tests):
        assert "pip install" in block
        assert block.index("python3 -m venv .venv && . .venv/bin/activate && ") < block.index("pip install"), block
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".venv/" in ignored
    assert "pipx install ." in readme
    written = re.findall(r"mixplan render \S+ (?:-o|-d|--output|--output-dir) (\S+)", try_it)
    assert written, try_it
    if shutil.which("git") is None:
        return
    for path in written:
        # The output, or a file in the output folder, must not show up as a change to commit.
        probe = path + "x.html" if path.endswith("/") else path
        done = subprocess.run(["git", "check-ignore", "--no-index", "-q", probe], cwd=ROOT, check=False)
        assert done.returncode == 0, f"the README's Try it writes {path}, which .gitignore does not cover"


def test_the_architecture_page_names_every_module_in_its_folder() -> None:
    # The tree in docs/architecture.md is how a newcomer finds a concern's home: a module missing there is lost.
    tree = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8").split("## The tree", 1)[1].split("```")[1]
    package = ROOT / "src" / "mixplan"
    folder = ""
    listed: set[str] = set()
    for line in tree.splitlines():
        name = line.split()[0] if line.strip() else ""
        if line.startswith("  ") and not line.startswith("    ") and name.endswith("/"):
            folder = name
        elif line.startswith("    ") and name.endswith(".py"):
            listed.add(folder + name)
        elif line.startswith("  ") and name.endswith(".py"):
            listed.add(name)
    for name in ("en.py", "fr.py", "fr_rules.py"):
        listed.add("catalogues/" + name)  # listed together on the catalogues' line
    modules = {
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "__init__.py" or path.parent == package or path.parent.name == "cli"
    }
    assert modules - listed == set()

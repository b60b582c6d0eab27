"""MP402 and MP405, one check for two lists: an objective no means serves, a target no means reaches."""

from __future__ import annotations

import mixplan

from ..conftest import ASSETS

MINIMAL = (ASSETS / "minimal.yaml").read_text(encoding="utf-8")
# Two more objectives and two more targets; the means list only the first of each ('grow', 'locals').
EXTRA_OBJECTIVES = """  - {id: loyalty, statement: Keep buyers, metric: signups, target: 10, baseline: 1, deadline: 2027-06-30}
  - {id: reach, statement: Be known, metric: signups, target: 10, baseline: 1, deadline: 2027-06-30}
targets:
"""
EXTRA_TARGETS = """    name: Local people
  - {id: tourists, name: Tourists}
  - {id: students, name: Students}
"""
UNUSED = MINIMAL.replace("targets:\n", EXTRA_OBJECTIVES, 1).replace("    name: Local people\n", EXTRA_TARGETS)


def unused_findings(text: str) -> list[tuple[int, int, str, str]]:
    report = mixplan.validate(text=text, name="plan.yaml")
    return [(f.line, f.column, f.rule, f.message) for f in report.findings if f.rule in ("MP402", "MP405")]


def test_each_unused_objective_and_target_is_one_warning_at_its_id() -> None:
    assert unused_findings(UNUSED) == [
        (17, 10, "MP402", "no means serves objective 'loyalty': add it to the objectives of a means, or drop it"),
        (18, 10, "MP402", "no means serves objective 'reach': add it to the objectives of a means, or drop it"),
        (22, 10, "MP405", "no means reaches target 'tourists': add it to the targets of a means, or drop it"),
        (23, 10, "MP405", "no means reaches target 'students': add it to the targets of a means, or drop it"),
    ]


def test_a_list_used_by_any_means_is_quiet() -> None:
    assert unused_findings(MINIMAL) == []
    # One means listing them all is enough; the other means still lists only the first.
    served = UNUSED.replace(
        "    objectives: [grow]\n    targets: [locals]\n    cost: 500",
        "    objectives: [grow, loyalty, reach]\n    targets: [locals, tourists, students]\n    cost: 500",
    )
    assert served != UNUSED
    assert unused_findings(served) == []


def test_an_objective_listed_as_a_target_does_not_count() -> None:
    # The two lists are separate: an objective's id among a means' targets serves nothing (and is MP106).
    crossed = UNUSED.replace("    targets: [locals]\n    cost: 500", "    targets: [locals, loyalty]\n    cost: 500")
    assert [finding[3].split(":")[0] for finding in unused_findings(crossed)][:2] == [
        "no means serves objective 'loyalty'",
        "no means serves objective 'reach'",
    ]

"""A slice of the long fuzz campaign (tests/fuzz_campaign.py), run in CI.

The full campaign (40,000 plans) is run by hand, as docs/robustness.md
says. CI runs the same seeds every time, so its verdict on a commit never
depends on the day; MIXPLAN_FUZZ_SEED starts the slice elsewhere, to explore.
"""

from __future__ import annotations

import os

import pytest

from .fuzz_campaign import run_campaign, summary

pytestmark = pytest.mark.slow

SCALE = float(os.environ.get("MIXPLAN_FUZZ_SCALE", "1"))
PLANS = max(1, int(1500 * SCALE))


def test_a_slice_of_the_campaign_finds_no_failure() -> None:
    first_seed = int(os.environ.get("MIXPLAN_FUZZ_SEED", "0"))
    campaign = run_campaign(PLANS, first_seed=first_seed, workers=2)
    report = summary(campaign) + "".join(
        f"\n\nseed {outcome.seed} (rerun: python -m tests.fuzz_campaign --plans 1 --first-seed {outcome.seed}):"
        f"\n{outcome.failure}"
        for outcome in campaign.failures[:5]
    )
    assert len(campaign.outcomes) == PLANS, report
    assert sum(outcome.valid for outcome in campaign.outcomes) > PLANS // 10, report
    assert not campaign.failures, report

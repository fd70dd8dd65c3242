"""The issue's acceptance check: a small unit with two raters, every number computed by hand.

The unit and the forms are described in ``needs_data``. Default parameters: five judged
criteria and five indicators, all weight 1; saturation values 40 % (cost and hours share),
25 % (volatility), 10 % (budget deviation) and 20 % (goal shortfall).

Indicators (see needs_data): cost share A 50 %, B 41,67 %, I 8,33 %; hours share 60/30/10 %;
volatility A 0, B 40,82 % (volume CV), I 0; budget deviation A +20 %, B −16,67 %; goal
shortfall A 10 %, B 50 %. Normalised, 1 + 4 × min(value / saturation, 1):

    A: cost 5, hours 5, volatility 1, budget 5, goals 3          sum 19 (5 indicators)
    B: cost 5, hours 4, volatility 5, budget 5, goals 5          sum 24 (5 indicators)
    I: cost 1 + 4 × 8,333/40 = 1,8333, hours 2, volatility 1     sum 4,8333 (3 indicators)

Judged (mean of the two raters): A 4, 4, 3, 3, 4 (sum 18); B 3, 2, 3, 4, 4 (sum 16);
I 1, 1,5, 1, 2, 2 (sum 7,5; rater 1 left data availability empty).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from needs_data import UNIT, need_input, write_forms

from toolkit.analyses.need_assessment import assess_input
from toolkit.analyses.need_assessment import forms as needs_forms
from toolkit.analyses.need_assessment.params import settings
from toolkit.core import config
from toolkit.data.params import load_params

I_DATA = 1 + 4 * (3000 / 36000 * 100) / 40 + 2 + 1  # cost share 8,33 % → 1,8333; hours 2; volatility 1


@pytest.fixture
def forms(tmp_path: Path) -> needs_forms.NeedForms:
    write_forms(tmp_path)
    return needs_forms.read_unit_forms(tmp_path, UNIT, {"A", "B", "I", "Z"})


@pytest.fixture
def params_dir(tmp_path: Path) -> Path:
    """The project's default parameters plus a unit file that weights strategic attention 5."""
    root = tmp_path / "params"
    (root / "units").mkdir(parents=True)
    shutil.copy(config.PARAMS_DIR / "defaults.yaml", root / "defaults.yaml")
    (root / "units" / "T1.yaml").write_text(
        "need_assessment:\n  criteria:\n    strategic:\n      weight: 5\n", encoding="utf-8"
    )
    return root


def test_scores_match_hand_computation(forms, params_dir):
    params = settings(load_params(params_dir, None))  # defaults: every weight 1
    res = assess_input(need_input(), forms, params)
    table = res.scores.table.set_index("activity_id")
    assert table.loc["A", "score"] == pytest.approx((18 + 19) / 10)
    assert table.loc["B", "score"] == pytest.approx((16 + 24) / 10)
    assert table.loc["I", "score"] == pytest.approx((7.5 + I_DATA) / 8)
    assert table.loc["A", "judged_score"] == pytest.approx(18 / 5)
    assert table.loc["B", "data_score"] == pytest.approx(24 / 5)
    assert list(res.scores.table["activity_id"]) == ["B", "A", "I"]
    assert list(res.scores.table["rank"]) == [1, 2, 3]
    # Each rater alone: rater 1 gives A 5+4+4+3+4 = 20, rater 2 gives 16.
    assert table.loc["A", "rater_min"] == pytest.approx((16 + 19) / 10)
    assert table.loc["A", "rater_max"] == pytest.approx((20 + 19) / 10)
    assert table.loc["A", "spread"] == pytest.approx(0.4)
    assert table.loc["B", "spread"] == pytest.approx((18 - 14) / 10)
    # Rater 1 scored I on four criteria (sum 5), rater 2 on five (sum 8).
    assert table.loc["I", "rater_min"] == pytest.approx((5 + I_DATA) / 7)
    assert table.loc["I", "rater_max"] == pytest.approx((8 + I_DATA) / 8)
    assert table.loc["A", "n_raters"] == 2
    assert res.levels.to_dict() == {"B": "high", "A": "high", "I": "low"}


def test_a_unit_weight_changes_the_ranking_as_computed_by_hand(forms, params_dir):
    params = settings(load_params(params_dir, UNIT))
    assert params.criteria["strategic"].weight == 5
    res = assess_input(need_input(), forms, params)
    table = res.scores.table.set_index("activity_id")
    # Strategic attention: A 4, B 3. Weighted: A (18 + 4 × 4 + 19) / 14, B (16 + 4 × 3 + 24) / 14.
    assert table.loc["A", "score"] == pytest.approx(53 / 14)
    assert table.loc["B", "score"] == pytest.approx(52 / 14)
    assert list(res.scores.table["activity_id"]) == ["A", "B", "I"]


def test_tools_gap_data_and_actions_by_hand(forms, params_dir):
    params = settings(load_params(params_dir, None))
    res = assess_input(need_input(), forms, params)
    plan = res.plan

    def on(frame, aid):
        row = frame.loc[aid]
        return set(row.index[row.to_numpy(dtype=bool)])

    # Cost share 5 (A, B) → budget tools; budget deviation 5 → explanations; B has hours share 4
    # and complexity 2 → unit cost, productivity, time registration; A strategic 4 → goals;
    # B volatility 5 → board; I gets nothing else → the fallback annual review.
    assert on(plan.recommended, "A") == {"periodised_budget", "variance_explanation", "goals_kpis"}
    assert on(plan.recommended, "B") == {
        "periodised_budget",
        "variance_explanation",
        "unit_cost",
        "productivity",
        "time_registration",
        "board_management",
    }
    assert on(plan.recommended, "I") == {"annual_review"}
    # In use when at least half the forms mark it: A budget (2 of 2) and goals (1 of 2);
    # B goals (1 of 2) and time registration ('x', 1 of 2).
    assert on(plan.in_use, "A") == {"periodised_budget", "goals_kpis"}
    assert on(plan.in_use, "B") == {"goals_kpis", "time_registration"}
    assert on(plan.gap, "A") == {"variance_explanation"}
    assert on(plan.gap, "B") == {
        "periodised_budget",
        "variance_explanation",
        "unit_cost",
        "productivity",
        "board_management",
    }
    assert on(plan.extra, "B") == {"goals_kpis"}
    # A's budget tools need costs booked on A, which the finance data lack.
    assert on(plan.missing_data, "A") == {"finance"}
    assert on(plan.missing_data, "B") == set()
    actions = [(r.kind, r.activity_id, r.items) for r in res.actions.itertuples()]
    assert actions == [
        (
            "introduce",
            "B",
            ("periodised_budget", "variance_explanation", "unit_cost", "productivity", "board_management"),
        ),
        ("introduce", "A", ("variance_explanation",)),
        ("register", "A", ("finance",)),
    ]
    assert res.unmatched == {
        "hours_without_finance": 210.0,
        "hours_total": 300.0,
        "direct_without_hours": 0.0,
        "direct_total": 6000.0,
    }

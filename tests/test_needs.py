"""The need assessment's steps (toolkit.analyses.need_assessment.steps): every indicator, score and rule against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from needs_data import need_input, tables

from toolkit.analyses.need_assessment.params import (
    DEFAULT_RULES,
    DEFAULT_TOOLS,
    NeedCriterion,
    NeedIndicator,
    NeedRule,
)
from toolkit.analyses.need_assessment.steps import (
    NeedInput,
    ToolPlan,
    action_plan,
    activity_indicators,
    cost_concentration,
    judged_scores,
    monthly_cv,
    need_level,
    normalise_indicators,
    recommend_tools,
    score_activities,
    tools_in_use,
    unit_activities,
)

# --------------------------------------------------------------------------- activities


def test_unit_activities_lists_every_source_and_never_drops():
    acts = unit_activities(need_input(), extra=["Z"]).set_index("activity_id")
    assert list(acts.index) == ["A", "B", "Z", "I"]  # core by name, then internal
    assert acts.loc["A"][
        ["in_hours", "in_finance", "in_volume", "in_goals", "in_activity_budget"]
    ].tolist() == [
        True,
        False,
        True,
        True,
        True,
    ]
    assert bool(acts.loc["B", "in_finance"]) is True
    assert acts.loc["I"][["in_hours", "in_finance", "in_volume"]].tolist() == [True, False, False]
    assert not acts.loc["Z"][["in_hours", "in_finance", "in_volume", "in_goals"]].any()


def test_unit_activities_rejects_an_activity_outside_the_catalogue():
    with pytest.raises(ValueError, match="not in the catalogue: \\['Q'\\]"):
        unit_activities(need_input(), extra=["Q"])


def test_finance_rows_only_on_an_activity_count_for_finance_presence():
    inp = need_input()
    fin = inp.finance.copy()
    fin.loc[len(fin)] = ["2026-02", "T1", "other", "I", 0.0, 0.0]  # an all-zero row is no registration
    acts = unit_activities(NeedInput(**{**inp.__dict__, "finance": fin})).set_index("activity_id")
    assert not acts.loc["I", "in_finance"]


# --------------------------------------------------------------------------- indicators


@pytest.fixture
def indicators() -> pd.DataFrame:
    inp = need_input()
    return activity_indicators(inp, unit_activities(inp)).set_index("activity_id")


def test_cost_and_hours_shares(indicators):
    # Salary 10.000 a month by hours 60/30/10 plus B's direct costs 6.000; premises stay out.
    assert indicators.loc["A", "cost"] == pytest.approx(18_000)
    assert indicators.loc["B", "cost"] == pytest.approx(15_000)
    assert indicators.loc["I", "cost"] == pytest.approx(3_000)
    assert indicators.loc["A", "cost_share_pct"] == pytest.approx(50.0)
    assert indicators.loc["B", "cost_share_pct"] == pytest.approx(15_000 / 36_000 * 100)
    assert indicators["cost_share_pct"].sum() == pytest.approx(100.0)
    assert indicators.loc["A", "hours"] == 180
    assert indicators.loc["A", "hours_share_pct"] == pytest.approx(60.0)
    assert indicators["hours_share_pct"].sum() == pytest.approx(100.0)


def test_volume_and_volatility(indicators):
    assert indicators.loc["A", "volume"] == 300
    assert indicators.loc["B", "volume"] == 60
    assert math.isnan(indicators.loc["I", "volume"])  # internal: no volume
    # B's volume 10, 20, 30: mean 20, population SD √(200/3).
    assert indicators.loc["B", "volume_cv_pct"] == pytest.approx(math.sqrt(200 / 3) / 20 * 100)
    # B's cost 4.000, 7.000, 4.000: mean 5.000, SD √2.000.000.
    assert indicators.loc["B", "cost_cv_pct"] == pytest.approx(math.sqrt(2_000_000) / 5_000 * 100)
    assert indicators.loc["B", "volatility_pct"] == pytest.approx(math.sqrt(200 / 3) / 20 * 100)
    assert indicators.loc["A", "volatility_pct"] == pytest.approx(0.0)
    assert math.isnan(indicators.loc["I", "volume_cv_pct"])
    assert indicators.loc["I", "volatility_pct"] == pytest.approx(0.0)  # cost CV only


def test_budget_deviation(indicators):
    assert indicators.loc["A", "budget_ytd"] == 15_000
    assert indicators.loc["A", "budget_deviation_pct"] == pytest.approx(20.0)
    assert indicators.loc["B", "budget_deviation_pct"] == pytest.approx((15_000 - 18_000) / 18_000 * 100)
    assert math.isnan(indicators.loc["I", "budget_deviation_pct"])


def test_budget_deviation_missing_without_activity_budget():
    inp = need_input(with_budget=False)
    ind = activity_indicators(inp, unit_activities(inp))
    assert ind["budget_deviation_pct"].isna().all()


def test_goal_shortfall(indicators):
    # A: achievement 0,8, 1,0, 0,9 → shortfall 20, 0, 10; B: target 10 lower-better, actual 20
    # in March only → achievement 0,5; the unit-level goal g3 is left out.
    assert indicators.loc["A", "goal_shortfall_pct"] == pytest.approx(10.0)
    assert indicators.loc["A", "n_goals"] == 1
    assert indicators.loc["B", "goal_shortfall_pct"] == pytest.approx(50.0)
    assert math.isnan(indicators.loc["I", "goal_shortfall_pct"])
    assert indicators.loc["I", "n_goals"] == 0


def test_indicators_use_only_the_window():
    inp = need_input()
    later = tables()["hours"].assign(period="2026-04")  # after the report month: ignored
    shifted = NeedInput(**{**inp.__dict__, "hours": pd.concat([inp.hours, later])})
    a = activity_indicators(inp, unit_activities(inp))
    b = activity_indicators(shifted, unit_activities(shifted))
    pd.testing.assert_frame_equal(a, b)


def test_monthly_cv_counts_missing_months_as_zero():
    df = pd.DataFrame({"period": ["2026-01", "2026-03"], "activity_id": ["X", "X"], "v": [30.0, 30.0]})
    cv = monthly_cv(df, "v", ["2026-01", "2026-02", "2026-03"])
    # 30, 0, 30: mean 20, SD √(200).
    assert cv["X"] == pytest.approx(math.sqrt(200) / 20 * 100)


def test_inputs_are_not_changed():
    inp = need_input()
    before = {k: v.copy() for k, v in inp.__dict__.items() if isinstance(v, pd.DataFrame)}
    acts = unit_activities(inp)
    acts_before = acts.copy()
    activity_indicators(inp, acts)
    for k, v in before.items():
        pd.testing.assert_frame_equal(getattr(inp, k), v)
    pd.testing.assert_frame_equal(acts, acts_before)


# --------------------------------------------------------------------------- normalisation and scores


def test_normalise_is_linear_up_to_saturation():
    ind = pd.DataFrame(
        {
            "activity_id": ["X", "Y", "Z"],
            "cost_share_pct": [10.0, 40.0, 80.0],
            "budget_deviation_pct": [-5.0, np.nan, 20.0],
        }
    )
    specs = {"cost_share": NeedIndicator(full_at=40), "budget_deviation": NeedIndicator(full_at=10)}
    out = normalise_indicators(ind, specs).set_index(["activity_id", "key"])["score"]
    assert out[("X", "cost_share")] == pytest.approx(2.0)  # 1 + 4 × 10/40
    assert out[("Y", "cost_share")] == pytest.approx(5.0)
    assert out[("Z", "cost_share")] == pytest.approx(5.0)  # capped
    assert out[("X", "budget_deviation")] == pytest.approx(3.0)  # |−5| / 10
    assert math.isnan(out[("Y", "budget_deviation")])


def test_judged_scores_turn_reversed_criteria():
    resp = pd.DataFrame(
        {
            "rater": ["1", "1", "1"],
            "activity_id": ["X", "X", "X"],
            "criterion": ["a", "b", "c"],
            "score": [5, 2, 4],
        }
    )
    criteria = {
        "a": NeedCriterion(name_da="a", name_en="a"),
        "b": NeedCriterion(name_da="b", name_en="b", reverse=True),
    }
    out = judged_scores(resp, criteria).set_index("key")["score"]
    assert out.to_dict() == {"a": 5.0, "b": 4.0}  # c is not a criterion; b → 6 − 2


def small_case() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two activities, criteria c1 and c2 by two raters, indicator d."""
    raters = pd.DataFrame(
        [
            ("1", "X", "c1", 5.0),
            ("1", "X", "c2", 3.0),
            ("1", "Y", "c1", 2.0),
            ("1", "Y", "c2", 4.0),
            ("2", "X", "c1", 3.0),
            ("2", "X", "c2", 3.0),
            ("2", "Y", "c1", 4.0),
            ("2", "Y", "c2", 4.0),
        ],
        columns=["rater", "activity_id", "key", "score"],
    )
    data = pd.DataFrame({"activity_id": ["X", "Y"], "key": ["d", "d"], "score": [2.0, 4.0]})
    return data, raters


def test_score_is_the_weighted_mean_and_changes_with_a_weight():
    data, raters = small_case()
    s = score_activities(["X", "Y"], data, raters, {"c1": 1, "c2": 1, "d": 1})
    t = s.table.set_index("activity_id")
    assert t.loc["X", "score"] == pytest.approx((4 + 3 + 2) / 3)
    assert t.loc["Y", "score"] == pytest.approx((3 + 4 + 4) / 3)
    assert list(s.table["activity_id"]) == ["Y", "X"]
    assert t.loc["X", "spread"] == pytest.approx((5 + 3 + 2) / 3 - (3 + 3 + 2) / 3)
    assert s.criterion_range.loc["X", "c1"] == 2
    heavy = score_activities(["X", "Y"], data, raters, {"c1": 4, "c2": 1, "d": 1})
    h = heavy.table.set_index("activity_id")
    assert h.loc["X", "score"] == pytest.approx((4 * 4 + 3 + 2) / 6)
    assert h.loc["Y", "score"] == pytest.approx((4 * 3 + 4 + 4) / 6)
    assert list(heavy.table["activity_id"]) == ["X", "Y"]


def test_missing_values_leave_the_weights_of_the_others():
    data, raters = small_case()
    data = pd.concat([data, pd.DataFrame({"activity_id": ["X"], "key": ["e"], "score": [np.nan]})])
    s = score_activities(["X", "Y", "W"], data, raters, {"c1": 1, "c2": 1, "d": 2, "e": 5})
    t = s.table.set_index("activity_id")
    assert t.loc["X", "score"] == pytest.approx((4 + 3 + 2 * 2) / 4)
    assert math.isnan(t.loc["W", "score"])  # nothing known: ranked last
    assert s.table["activity_id"].iloc[-1] == "W"
    assert t.loc["W", "n_raters"] == 0


def test_zero_weight_drops_a_criterion_and_no_raters_gives_data_only():
    data, raters = small_case()
    s = score_activities(["X", "Y"], data, raters.iloc[0:0], {"c1": 1, "c2": 0, "d": 1})
    t = s.table.set_index("activity_id")
    assert t.loc["X", "score"] == pytest.approx(2.0)
    assert t["spread"].isna().all()


@settings(max_examples=60, deadline=None)
@given(
    scores=st.lists(st.integers(1, 5), min_size=8, max_size=8),
    data=st.lists(st.floats(1, 5), min_size=2, max_size=2),
    weights=st.lists(st.floats(0.1, 5), min_size=3, max_size=3),
    factor=st.floats(0.1, 10),
)
def test_score_properties(scores, data, weights, factor):
    """Scores stay on 1–5 between the raters' totals; scaling every weight changes nothing."""
    _, raters = small_case()
    raters = raters.assign(score=[float(s) for s in scores])
    d = pd.DataFrame({"activity_id": ["X", "Y"], "key": ["d", "d"], "score": data})
    w = dict(zip(["c1", "c2", "d"], weights, strict=True))
    a = score_activities(["X", "Y"], d, raters, w).table.set_index("activity_id")
    b = score_activities(["X", "Y"], d, raters, {k: v * factor for k, v in w.items()}).table
    assert ((a["score"] >= 1 - 1e-9) & (a["score"] <= 5 + 1e-9)).all()
    assert (a["rater_min"] <= a["score"] + 1e-9).all() and (a["score"] <= a["rater_max"] + 1e-9).all()
    pd.testing.assert_series_equal(a["score"], b.set_index("activity_id")["score"], check_exact=False)


@settings(max_examples=40, deadline=None)
@given(hours=st.lists(st.floats(0, 500), min_size=3, max_size=3), salary=st.floats(0, 1e6))
def test_cost_shares_add_up_to_100(hours, salary):
    inp = need_input()
    h = inp.hours.copy()
    work = h["time_category"] == "productive"
    h.loc[work, "hours"] = np.tile(hours, 3)
    f = inp.finance.copy()
    f.loc[f["account_group"] == "salary", "actual"] = salary
    changed = NeedInput(**{**inp.__dict__, "hours": h, "finance": f})
    ind = activity_indicators(changed, unit_activities(changed))
    assert ind["cost_share_pct"].sum() == pytest.approx(100.0)
    if sum(hours) > 0:
        assert ind["hours_share_pct"].sum() == pytest.approx(100.0)


def test_need_level():
    s = pd.Series([3.5, 3.449, 3.46, 2.5, 2.449, np.nan], index=list("abcdef"))
    # The level follows the score as shown (one decimal): 3,46 shows as 3,5 and is high.
    assert need_level(s, high=3.5, medium=2.5).tolist() == [
        "high",
        "medium",
        "high",
        "medium",
        "low",
        "low",
    ]


# --------------------------------------------------------------------------- tools


def test_tools_in_use_by_majority():
    marks = pd.DataFrame(
        [
            ("1", "X", "t1", True),
            ("2", "X", "t1", False),
            ("3", "X", "t1", False),
            ("1", "X", "t2", True),
            ("2", "X", "t2", True),
            ("3", "X", "t2", False),
        ],
        columns=["rater", "activity_id", "tool", "in_use"],
    )
    use = tools_in_use(marks, ["X", "Y"], ["t1", "t2", "t3"])
    assert use.loc["X"].tolist() == [False, True, False]  # 1/3 no, 2/3 yes
    assert not use.loc["Y"].any()


def test_rules_fallback_and_conditions():
    matrix = pd.DataFrame(
        {"cost_share": [4.0, 1.0, np.nan], "complexity": [2.0, 2.0, 2.0], "score": [4.0, 1.5, 1.0]},
        index=pd.Index(["X", "Y", "Z"], name="activity_id"),
    )
    rules = {
        "big": NeedRule(name_da="b", name_en="b", when=[{"key": "cost_share", "min": 3.5}], tools=["t1"]),
        "simple": NeedRule(
            name_da="s",
            name_en="s",
            when=[{"key": "complexity", "max": 2.0}, {"key": "score", "min": 3.0}],
            tools=["t2", "t1"],
        ),
        "low": NeedRule(name_da="l", name_en="l", otherwise=True, tools=["t3"]),
    }
    tools = {
        "t1": DEFAULT_TOOLS["periodised_budget"],
        "t2": DEFAULT_TOOLS["productivity"],
        "t3": DEFAULT_TOOLS["annual_review"],
    }
    presence = pd.DataFrame(
        {
            "activity_id": ["X", "Y", "Z"],
            "in_hours": [True, True, False],
            "in_finance": [False, True, True],
            "in_volume": [True, True, True],
            "in_goals": [False] * 3,
            "in_activity_budget": [True, False, False],
        }
    )
    in_use = pd.DataFrame(
        {"t1": [True, False, False], "t2": [False] * 3, "t3": [False, False, True]}, index=["X", "Y", "Z"]
    )
    plan = recommend_tools(matrix, rules, tools, in_use, presence)
    assert plan.fired.loc["X"].tolist() == [True, True, False]
    assert plan.fired.loc["Y"].tolist() == [False, False, True]  # only the fallback
    assert plan.fired.loc["Z"].tolist() == [False, False, True]  # missing cost share: condition false
    assert plan.recommended.loc["X"].tolist() == [True, True, False]
    assert plan.gap.loc["X"].tolist() == [False, True, False]
    assert plan.extra.loc["Z"].tolist() == [False, False, False]
    # X needs finance (t1) and volume + hours (t2): finance is missing.
    assert plan.missing_data.loc["X"][lambda s: s].index.tolist() == ["finance"]


def test_default_rules_only_name_default_tools():
    for rule in DEFAULT_RULES.values():
        assert set(rule.tools) <= set(DEFAULT_TOOLS)


def test_cost_concentration():
    ind = pd.DataFrame({"activity_id": list("ABCD"), "cost_share_pct": [10.0, 45.0, 30.0, 15.0]})
    top = cost_concentration(ind, share=70)
    assert top["activity_id"].tolist() == ["B", "C"]
    assert top["cumulative_pct"].iloc[-1] == pytest.approx(75.0)
    spread = cost_concentration(
        pd.DataFrame({"activity_id": list("ABCDE"), "cost_share_pct": [20.0] * 5}), share=70
    )
    assert len(spread) == 3 and spread["cumulative_pct"].iloc[-1] == pytest.approx(60.0)


def test_action_plan_discuss_and_simplify():
    scores = pd.DataFrame({"activity_id": ["X", "Y"], "rank": [1, 2], "spread": [0.2, 0.1]})
    levels = pd.Series({"X": "medium", "Y": "low"})
    idx = pd.Index(["X", "Y"], name="activity_id")
    tools = ["t_heavy", "annual_review"]
    empty = pd.DataFrame(False, index=idx, columns=tools)
    plan = ToolPlan(
        fired=pd.DataFrame(index=idx),
        recommended=empty,
        in_use=empty,
        gap=empty,
        extra=pd.DataFrame({"t_heavy": [False, True], "annual_review": [False, True]}, index=idx),
        missing_data=pd.DataFrame(False, index=idx, columns=["hours", "finance"]),
    )
    presence = pd.DataFrame({"activity_id": ["X", "Y"], "in_hours": [True, True], "in_finance": [True, True]})
    ranges = pd.DataFrame({"c1": [3.0, 1.0], "c2": [1.0, 0.0]}, index=idx)
    out = action_plan(scores, levels, plan, presence, ranges, disagreement=3, light_tools=["annual_review"])
    assert [(r.kind, r.activity_id, r.items) for r in out.itertuples()] == [
        ("discuss", "X", ("c1",)),
        ("simplify", "Y", ("t_heavy",)),  # annual review is light: never 'simplified'
    ]
    assert out["step"].tolist() == [1, 2]

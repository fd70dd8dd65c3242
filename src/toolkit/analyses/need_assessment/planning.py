"""From scores to a plan: the tools the rules recommend against the tools in use, and the actions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.analyses.need_assessment.inputs import PRESENCE
from toolkit.analyses.need_assessment.params import (
    DATA_SOURCES,
    NeedRule,
    NeedTool,
)
from toolkit.core.definitions import Definition, define

# --------------------------------------------------------------------------- tools


TOOLS = Definition(
    "need_tools",
    "Anbefalede værktøjer og gab",
    "Recommended tools and gap",
    "Reglerne i parametrene knytter scorer (skala 1–5) til styringsværktøjer: gælder alle en "
    "regels betingelser, anbefales dens værktøjer; en reserveregel gælder kun, når ingen anden "
    "regel anbefaler noget. Et værktøj er i brug i dag, når mindst halvdelen af de skemaer, der "
    "nævner aktiviteten, markerer det. Gab = anbefalede værktøjer, der ikke er i brug. Data at "
    "registrere = de datakilder, de anbefalede værktøjer kræver, og som aktiviteten mangler.",
    "The rules in the parameters map scores (1–5 scale) to management tools: when every "
    "condition of a rule holds, its tools are recommended; a fallback rule applies only when no "
    "other rule recommends anything. A tool is in use today when at least half of the forms that "
    "list the activity mark it. Gap = recommended tools not in use. Data to register = the data "
    "sources the recommended tools need that the activity lacks.",
)


def tools_in_use(marks: pd.DataFrame, activity_ids: Sequence[str], tools: Sequence[str]) -> pd.DataFrame:
    """Activity × tool: in use when at least half of the forms listing the activity mark it.

    ``marks`` has ``rater``, ``activity_id``, ``tool`` and ``in_use`` (bool) for every
    (rater, activity, tool) cell of the forms.
    """
    ids = pd.Index(list(activity_ids), name="activity_id")
    if marks.empty:
        return pd.DataFrame(False, index=ids, columns=list(tools))
    share = marks.groupby(["activity_id", "tool"])["in_use"].mean().unstack()
    return share.reindex(index=ids, columns=list(tools)).fillna(0.0).ge(0.5)


@dataclass(frozen=True)
class ToolPlan:
    """Rules, tools and data per activity (boolean frames indexed by activity id)."""

    fired: pd.DataFrame  # activity × rule
    recommended: pd.DataFrame  # activity × tool
    in_use: pd.DataFrame  # activity × tool
    gap: pd.DataFrame  # activity × tool: recommended, not in use
    extra: pd.DataFrame  # activity × tool: in use, not recommended
    missing_data: pd.DataFrame  # activity × data source: needed by a recommended tool, absent


@define(TOOLS)
def recommend_tools(
    matrix: pd.DataFrame,
    rules: Mapping[str, NeedRule],
    tools: Mapping[str, NeedTool],
    in_use: pd.DataFrame,
    presence: pd.DataFrame,
) -> ToolPlan:
    """Apply the tool-mapping rules to the scores and compare with the tools in use.

    Parameters
    ----------
    matrix
        Activity × key scores on the 1–5 scale, including ``score`` (from :func:`score_activities`).
    rules, tools
        The rules and tools of the parameters.
    in_use
        Activity × tool booleans (from :func:`tools_in_use`).
    presence
        ``activity_id`` and the presence columns of :func:`unit_activities`.
    """
    ids = matrix.index
    fired = pd.DataFrame(False, index=ids, columns=list(rules))
    for name, rule in rules.items():  # a handful of rules; each is vectorised over activities
        ok = pd.Series(True, index=ids)
        for cond in rule.when:
            value = matrix[cond.key] if cond.key in matrix else pd.Series(np.nan, index=ids)
            if cond.min is not None:
                ok &= value >= cond.min
            if cond.max is not None:
                ok &= value <= cond.max
        fired[name] = ok
    fallback = [n for n, r in rules.items() if r.otherwise]
    regular = [n for n in rules if n not in fallback]
    any_regular = fired[regular].any(axis=1) if regular else pd.Series(False, index=ids)
    for name in fallback:
        fired[name] &= ~any_regular
    rule_tools = pd.DataFrame(
        [[int(t in rule.tools) for t in tools] for rule in rules.values()],
        index=list(rules),
        columns=list(tools),
    )
    recommended = (fired.astype(int) @ rule_tools) > 0
    use = in_use.reindex(index=ids, columns=list(tools)).fillna(False).astype(bool)
    requires = pd.DataFrame(
        [[int(d in tool.requires) for d in DATA_SOURCES] for tool in tools.values()],
        index=list(tools),
        columns=list(DATA_SOURCES),
    )
    needed = (recommended.astype(int) @ requires) > 0
    present = presence.set_index("activity_id")[[PRESENCE[s] for s in DATA_SOURCES]]
    present.columns = list(DATA_SOURCES)
    present = present.reindex(ids).fillna(False).astype(bool)
    return ToolPlan(
        fired=fired,
        recommended=recommended,
        in_use=use,
        gap=recommended & ~use,
        extra=use & ~recommended,
        missing_data=needed & ~present,
    )


ACTION_KINDS = ("introduce", "register", "discuss", "simplify")


def action_plan(
    scores: pd.DataFrame,
    levels: pd.Series,
    plan: ToolPlan,
    presence: pd.DataFrame,
    criterion_range: pd.DataFrame,
    *,
    disagreement: float,
    light_tools: Iterable[str] = (),
    max_actions: int = 8,
) -> pd.DataFrame:
    """A short, ordered action plan.

    Steps, in this order and within each kind in rank order: for high-need activities,
    introduce the missing recommended tools (``introduce``) and register the missing data,
    at least in both finance and time (``register``); for any activity with a criterion whose
    raters' scores are ``disagreement`` points apart or more, discuss that criterion again
    (``discuss``; ``items`` holds the criterion); for low-need activities managed with tools
    that are neither recommended nor light, consider lighter management (``simplify``).

    Returns
    -------
    DataFrame
        ``step`` (1, 2, ...), ``kind``, ``activity_id`` and ``items`` (tool, data-source or
        criterion keys), at most ``max_actions`` rows.
    """
    ranked = scores.set_index("activity_id")
    lvl = levels.reindex(ranked.index)
    pres = presence.set_index("activity_id").reindex(ranked.index)
    rng = criterion_range.reindex(ranked.index)
    light = set(light_tools)
    rows: list[tuple[int, int, str, str, tuple[str, ...]]] = []

    def items(frame: pd.DataFrame, aid: str) -> tuple[str, ...]:
        row = frame.loc[aid]
        return tuple(row.index[row.to_numpy(dtype=bool)])

    for order, aid in enumerate(ranked.index):  # the unit's activities: a few dozen at most
        if lvl[aid] == "high":
            gap = items(plan.gap, aid)
            if gap:
                rows.append((0, order, "introduce", aid, gap))
            missing = set(items(plan.missing_data, aid))
            missing |= {s for s in ("finance", "hours") if not bool(pres.loc[aid, PRESENCE[s]])}
            if missing:
                rows.append((1, order, "register", aid, tuple(s for s in DATA_SOURCES if s in missing)))
        widths = rng.loc[aid].dropna() if rng.shape[1] else pd.Series(dtype="float64")
        if len(widths) and widths.max() >= disagreement:
            rows.append((2, order, "discuss", aid, (str(widths.idxmax()),)))
        if lvl[aid] == "low":
            extra = tuple(x for x in items(plan.extra, aid) if x not in light)
            if extra:
                rows.append((3, order, "simplify", aid, extra))
    rows.sort(key=lambda r: (r[0], r[1]))
    out = pd.DataFrame(
        [(k, a, i) for _, _, k, a, i in rows[:max_actions]], columns=["kind", "activity_id", "items"]
    )
    out.insert(0, "step", np.arange(1, len(out) + 1))
    return out

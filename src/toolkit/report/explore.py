"""Charts a manager can explore in the static HTML report: choose a series and a period range.

Plain plotly ``updatemenus``: the choices travel inside the figure's own JSON, so the report
stays one self-contained offline file and needs no server, no widget kernel and no script of
its own. The figure as built shows the default choice, which is also what prints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go


@dataclass(frozen=True)
class Choice:
    """One entry of a chart's menu: its label and the trace data it shows.

    ``data`` maps a trace property to one value per trace of the figure, in trace order (e.g.
    ``{"x": [x0, x1], "y": [y0, y1]}``); ``layout`` holds layout changes (e.g. the title).
    """

    label: str
    data: Mapping[str, Sequence[Any]]
    layout: Mapping[str, Any] = field(default_factory=dict)


def with_choices(fig: go.Figure, choices: Sequence[Choice], *, active: int = 0, y: float = 1.0) -> go.Figure:
    """Add a drop-down to ``fig`` that swaps the trace data to the chosen entry (a copy).

    The figure's traces are set to ``choices[active]``, so the default view (and the printed
    page) is that entry. One choice needs no menu: the figure is returned with its data. The
    menu sits at the left, its bottom at ``y`` (paper coordinates, 1 = top of the plot area).
    """
    if not choices:
        raise ValueError("with_choices needs at least one choice")
    out = go.Figure(fig)
    default = choices[active]
    for prop, values in default.data.items():
        for trace, value in zip(out.data, values, strict=True):
            trace[prop] = value
    if default.layout:
        out.update_layout(default.layout)
    if len(choices) == 1:
        return out
    buttons = [
        {
            "label": c.label,
            "method": "update",
            "args": [{k: list(v) for k, v in c.data.items()}, dict(c.layout)],
        }
        for c in choices
    ]
    menus = list(out.layout.updatemenus or ())
    menus.append(
        {
            "type": "dropdown",
            "buttons": buttons,
            "active": active,
            "x": 0,
            "xanchor": "left",
            "y": y,
            "yanchor": "bottom",
            "pad": {"t": 4, "b": 4},
            "showactive": True,
        }
    )
    out.update_layout(updatemenus=menus)
    return out


def with_period_range(
    fig: go.Figure, categories: Sequence[str], spans: Sequence[tuple[str, int | None]], *, y: float = 1.0
) -> go.Figure:
    """Add buttons that show the last ``n`` months of every month axis (a copy).

    ``categories`` are the month labels of the (category) x axes, oldest first; ``spans`` are
    ``(label, n)`` pairs, ``n = None`` for the whole range. Spans not shorter than the data are
    dropped (they would show the same as the whole range). The buttons sit at the right, their
    bottom at ``y``; the whole range is the default.
    """
    out = go.Figure(fig)
    n_all = len(categories)
    axes = [name for name in out.layout if name.startswith("xaxis")] or ["xaxis"]
    buttons = []
    for label, n in spans:
        if n is not None and n >= n_all:
            continue
        args: dict[str, object]
        if n is None:
            args = {f"{a}.autorange": True for a in axes}
        else:
            args = {f"{a}.range": [n_all - n - 0.5, n_all - 0.5] for a in axes}
        buttons.append({"label": label, "method": "relayout", "args": [args]})
    if len(buttons) < 2:
        return out
    menus = list(out.layout.updatemenus or ())
    menus.append(
        {
            "type": "buttons",
            "direction": "left",
            "buttons": buttons,
            "active": len(buttons) - 1,
            "x": 1,
            "xanchor": "right",
            "y": y,
            "yanchor": "bottom",
            "pad": {"t": 4, "b": 4},
            "showactive": True,
        }
    )
    out.update_layout(updatemenus=menus)
    return out

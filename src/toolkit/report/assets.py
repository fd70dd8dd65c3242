"""What every report embeds: the style sheet and the plotly.js bundle (read once)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import plotly

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "toolkit_report"


@cache
def plotly_js() -> str:
    """The plotly.js bundle shipped with the plotly package (read once)."""
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return path.read_text(encoding="utf-8")


@cache
def report_css() -> str:
    """The report style sheet."""
    return (TEMPLATES / TEMPLATE / "report.css").read_text(encoding="utf-8")

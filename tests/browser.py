"""Open a report in headless Chromium with every network request blocked, and read what renders."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = os.environ.get("TOOLKIT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Rendered:
    """What a page showed."""

    charts: int
    rendered: int
    external_requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    text: str = ""
    tick_labels: list[str] = field(default_factory=list)
    modebar_titles: list[str] = field(default_factory=list)


def chromium_available() -> bool:
    """True if the Chromium binary is there."""
    return Path(CHROMIUM).exists()


def render(paths: list[Path], wait_ms: int = 800) -> dict[Path, Rendered]:
    """Open each file in one browser; count plotly charts and those that drew an SVG."""
    from playwright.sync_api import sync_playwright

    out: dict[Path, Rendered] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for path in paths:
                page = browser.new_page(viewport={"width": 1200, "height": 900})
                external: list[str] = []
                errors: list[str] = []
                dialogs: list[str] = []

                def route(r, external=external):
                    url = r.request.url
                    if url.startswith(("file:", "data:", "blob:", "about:")):
                        r.continue_()
                    else:
                        external.append(url)
                        r.abort()

                page.route("**/*", route)
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                page.on("dialog", lambda d, dialogs=dialogs: (dialogs.append(d.message), d.dismiss()))
                page.goto(path.resolve().as_uri())
                page.wait_for_timeout(wait_ms)
                charts = page.eval_on_selector_all("div.plotly-graph-div", "els => els.length")
                rendered = page.eval_on_selector_all(
                    "div.plotly-graph-div",
                    "els => els.filter(e => e.querySelector('svg.main-svg') && e.getBoundingClientRect().height > 50).length",
                )
                text = page.inner_text("body")
                ticks = page.eval_on_selector_all(
                    "div.plotly-graph-div :is(g.xaxislayer-above, g.yaxislayer-above, g.colorbar) text",
                    "els => els.map(e => e.textContent)",
                )
                titles = page.eval_on_selector_all(
                    "div.plotly-graph-div .modebar-btn", "els => els.map(e => e.getAttribute('data-title'))"
                )
                out[path] = Rendered(charts, rendered, external, errors, dialogs, text, ticks, titles)
                page.close()
        finally:
            browser.close()
    return out

"""Open a report in headless Chromium with every network request blocked, and read what renders."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

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


def print_pdfs(
    paths: list[Path], out_dir: Path, screen_width: int = 1400
) -> dict[Path, tuple[Path, list[str]]]:
    """Open each report on a wide screen, then print it to an A4 PDF as the Print button does.

    Chromium's printToPDF fires ``beforeprint`` and ``afterprint`` around the printing, as a
    printed page does, so the report's print script runs. Returns each PDF with the script errors
    of its page.
    """
    from playwright.sync_api import sync_playwright

    out: dict[Path, tuple[Path, list[str]]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for path in paths:
                page = browser.new_page(viewport={"width": screen_width, "height": 900})
                errors: list[str] = []
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                page.route(
                    "**/*",
                    lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort(),
                )
                page.goto(path.resolve().as_uri())
                page.wait_for_timeout(300)
                pdf = out_dir / f"{path.parent.name}-{path.stem}.pdf"
                page.pdf(path=str(pdf), format="A4")
                page.close()
                out[path] = (pdf, errors)
        finally:
            browser.close()
    return out


def pdf_page_texts(pdf: Path) -> list[str]:
    """The text of each page of a PDF (pdftotext, poppler-utils)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True)
    return text.stdout.split("\f")[:-1] if text.stdout.endswith("\f") else text.stdout.split("\f")


def pdf_page_pixels(pdf: Path, page: int, dpi: int = 50) -> np.ndarray:
    """One page of a PDF (1-based) as an RGB array, rows x columns x 3 (pdftoppm, poppler-utils)."""
    ppm = subprocess.run(
        ["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(dpi), str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    # P6 header: magic, width, height, maximum value, each followed by one whitespace byte.
    fields = ppm.split(maxsplit=4)
    width, height = int(fields[1]), int(fields[2])
    return np.frombuffer(fields[4][: width * height * 3], dtype=np.uint8).reshape(height, width, 3)


def tinted(
    pixels: np.ndarray,
    color: tuple[int, int, int],
    opacity: tuple[float, float] = (0.15, 0.85),
    tolerance: float = 12.0,
) -> np.ndarray:
    """Where the pixels are ``color`` laid on white at an opacity in the range, as a mask.

    A Sankey's flow is drawn in a translucent colour, darker where flows overlap but always on the
    line from white to the colour; text, grey rules and other colours are off that line, and a
    solid node of the same colour lies beyond the range.
    """
    white = np.array([255.0, 255.0, 255.0])
    direction = white - np.array(color, dtype=float)
    depth = white - pixels.astype(float)
    alpha = depth @ direction / (direction @ direction)
    off_line = np.linalg.norm(depth - alpha[..., None] * direction, axis=-1)
    return (alpha >= opacity[0]) & (alpha <= opacity[1]) & (off_line <= tolerance)


def draw_times(paths: list[Path], runs: int = 3, width: int = 1200) -> dict[Path, float]:
    """Seconds from opening each report until every chart has drawn (the median of ``runs``)."""
    from playwright.sync_api import sync_playwright

    # The first moment the page is parsed and every chart has its SVG (checked at each frame).
    drawn = (
        "() => { const els = [...document.querySelectorAll('div.plotly-graph-div')];"
        " if (document.readyState === 'loading' || !els.every(e => e.querySelector('svg.main-svg')))"
        " { return false; }"
        " window.tkDrawn = window.tkDrawn || performance.now(); return true; }"
    )
    out: dict[Path, float] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for path in paths:
                times = []
                for _ in range(runs):
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    page.goto(path.resolve().as_uri(), wait_until="commit")
                    page.wait_for_function(drawn, polling="raf", timeout=60_000)
                    page.wait_for_load_state("load")
                    times.append(
                        page.evaluate(
                            "() => Math.max(window.tkDrawn,"
                            " performance.getEntriesByType('navigation')[0].loadEventEnd) / 1000"
                        )
                    )
                    page.close()
                out[path] = sorted(times)[len(times) // 2]
        finally:
            browser.close()
    return out

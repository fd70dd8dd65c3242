"""A run's reports as the delivery step sees them: the manifest, the files, the headlines.

``toolkit run`` writes ``<reports>/<period>/manifest.json`` with one entry per report
(notebook, unit, status ``ok``/``failed``, the paths of html/xlsx/json relative to the period
folder, the error). Only an ``ok`` report whose files exist is ever delivered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from toolkit.core.errors import ParameterError
from toolkit.core.periods import parse_period

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ReportFile:
    """One report of a run (an entry of the manifest)."""

    notebook: str
    unit: str
    status: str
    html: Path | None
    xlsx: Path | None
    json: Path | None
    error: str | None

    @property
    def ok(self) -> bool:
        """True if the run was ok and the HTML file is there."""
        return self.status == "ok" and self.html is not None and self.html.is_file()

    @property
    def relative_html(self) -> str:
        """The HTML's path below the period folder, ``<unit>/<notebook>.html``."""
        return f"{self.unit}/{self.notebook}.html"


def period_folder(reports_dir: str | Path, period: str) -> Path:
    """``reports_dir/period`` after checking the period and that a run's manifest is there.

    Raises
    ------
    ParameterError
        If ``period`` is not ``YYYY-MM`` or the folder holds no manifest.
    """
    chosen = str(parse_period(period))
    folder = Path(reports_dir) / chosen
    if not (folder / MANIFEST).is_file():
        raise ParameterError(
            f"no report run for {chosen} in {reports_dir} ({folder / MANIFEST} is missing); "
            f"run `toolkit run --period {chosen} --out {reports_dir}` first"
        )
    return folder


def read_manifest(folder: Path) -> dict[tuple[str, str], ReportFile]:
    """The reports of the run in ``folder`` by (unit, notebook); a later entry wins."""
    try:
        doc = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ParameterError(f"{folder / MANIFEST} is not valid JSON ({exc})") from None
    out: dict[tuple[str, str], ReportFile] = {}
    for run in doc.get("runs", []):

        def path(key: str, run: dict[str, object] = run) -> Path | None:
            value = run.get(key)
            if not isinstance(value, str) or not value:
                return None
            resolved = (folder / value).resolve()
            # A manifest entry never points outside its own period folder.
            return resolved if resolved.is_relative_to(folder.resolve()) else None

        entry = ReportFile(
            notebook=str(run["notebook"]),
            unit=str(run["unit"]),
            status=str(run.get("status", "failed")),
            html=path("html"),
            xlsx=path("xlsx"),
            json=path("json"),
            error=str(run["error"]) if run.get("error") else None,
        )
        out[(entry.unit, entry.notebook)] = entry
    return out


class _HeadlineParser(HTMLParser):
    """The ``<li>`` texts inside ``<section class="headline">`` (the report's key messages)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[str] = []
        self.depth = 0  # > 0 inside the headline section
        self.current: list[str] | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.depth == 0 and tag == "section" and "headline" in classes:
            self.depth = 1
        elif self.depth and tag == "section":
            self.depth += 1
        elif self.depth and tag == "li":
            self.current = []

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "li" and self.current is not None:
            self.items.append(" ".join("".join(self.current).split()))
            self.current = None
        elif self.depth and tag == "section":
            self.depth -= 1
            self.done = self.depth == 0

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.current.append(data)


def headlines(report: ReportFile) -> list[str]:
    """The report's headline sentences: from its JSON (``headline``) if there, else from the HTML.

    The HTML is read in chunks and parsing stops at the end of the headline section.
    """
    if report.json is not None and report.json.is_file():
        try:
            doc = json.loads(report.json.read_text(encoding="utf-8"))
        except ValueError:
            doc = {}
        value = doc.get("headline") if isinstance(doc, dict) else None
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(value)
    if report.html is None or not report.html.is_file():
        return []
    parser = _HeadlineParser()
    marker = 'class="headline"'
    with report.html.open(encoding="utf-8", errors="replace") as fh:
        tail = ""
        for chunk in iter(lambda: fh.read(1 << 20), ""):
            text = tail + chunk
            if parser.depth == 0 and marker not in text:
                tail = text[-len(marker) - 64 :]  # the marker may straddle two chunks
                continue
            if parser.depth == 0:
                text = text[max(text.index(marker) - 64, 0) :]
                text = text[text.index("<") :]
            parser.feed(text)
            tail = ""
            if parser.done:
                break
    return parser.items

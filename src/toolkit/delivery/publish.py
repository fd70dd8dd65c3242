"""``toolkit publish``: the ok reports of a run as a folder a web server can serve as it is.

The tree follows the unit tree, one folder per unit below its parent::

    DIR/index.html                          the months published
    DIR/2026-10/index.html                  the hospital(s)
    DIR/2026-10/FS/index.html               the hospital's reports and its centres
    DIR/2026-10/FS/FS-MC/index.html         the centre's reports and its departments
    DIR/2026-10/FS/FS-MC/FS-LUN/kpi.html    a report (and its workbook)

Every page is self-contained (the style sheet inline, links relative, nothing external). The
month's folder is built beside the target and renamed into place, so a reader sees the old
tree or the new one, never half of one; a failed or missing report is simply not there.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd

from toolkit.core.files import write_text
from toolkit.core.formatting import Language, fmt_month
from toolkit.data.hierarchy import LEVEL_ORDER, ancestors
from toolkit.delivery.catalogue import report_kinds
from toolkit.delivery.reports import ReportFile, period_folder, read_manifest
from toolkit.delivery.texts import TEXTS
from toolkit.report.assets import report_css

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def unit_path(units: pd.DataFrame, unit_id: str) -> str:
    """The unit's folder below a month's folder: its ancestors and itself, ``FS/FS-MC/FS-LUN``."""
    return "/".join([*ancestors(units, unit_id), unit_id])


@dataclass(frozen=True)
class PublishResult:
    """What :func:`publish` wrote."""

    folder: Path
    reports: int
    skipped: list[str]


def _page(title: str, body: str, lang: Language) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{report_css()}</style></head>"
        f'<body><div class="tk"><h1>{escape(title)}</h1>{body}</div></body></html>\n'
    )


def _list(links: list[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="{escape(href)}">{escape(text)}</a></li>' for href, text in links)
    return f"<ul>{items}</ul>"


def publish(
    period: str,
    reports_dir: str | Path,
    units: pd.DataFrame,
    to: str | Path,
    *,
    lang: Language = "da",
) -> PublishResult:
    """Copy the ok reports of ``period`` into ``to/<period>/`` as a tree with an index per level.

    Parameters
    ----------
    period
        The month, ``YYYY-MM``.
    reports_dir
        The folder ``toolkit run`` wrote (``<reports_dir>/<period>/manifest.json``).
    units
        The units catalogue (the tree).
    to
        The intranet folder; ``to/<period>`` is replaced as a whole.
    lang
        The language of the index pages.

    Raises
    ------
    ParameterError
        If the period is malformed or has no run.
    """
    source = period_folder(reports_dir, period)
    period = source.name
    manifest = read_manifest(source)
    kinds = report_kinds()
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    levels = dict(zip(units["unit_id"], units["level"], strict=True))
    parents = dict(zip(units["unit_id"], units["parent_id"], strict=True))
    ok: dict[str, list[ReportFile]] = {}
    skipped = []
    for (unit, notebook), report in sorted(manifest.items()):
        if report.ok and unit in names:
            ok.setdefault(unit, []).append(report)
        else:
            skipped.append(f"{unit}/{notebook}: {report.error or report.status}")
    root = Path(to)
    root.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(dir=root, prefix=f".{period}.building-"))
    try:
        count = 0
        for unit, reports in ok.items():
            folder = build / unit_path(units, unit)
            folder.mkdir(parents=True, exist_ok=True)
            for report in reports:
                for path in (report.html, report.xlsx):
                    if path is not None and path.is_file():
                        shutil.copy2(path, folder / f"{report.notebook}{path.suffix}")
                count += 1
        # Every unit on the way to a report gets a page: its reports and the units below it.
        shown = {u for unit in ok for u in [*ancestors(units, unit), unit]}
        month = fmt_month(period, lang)
        for unit in sorted(shown, key=lambda u: LEVEL_ORDER.get(levels.get(u, ""), 9)):
            children = sorted((c for c in shown if parents.get(c) == unit), key=lambda c: names.get(c, c))
            body = []
            up = "../index.html"
            body.append(f'<p><a href="{up}">↑ {escape(TEXTS("index_up", lang))}</a></p>')
            mine = ok.get(unit, [])
            if mine:
                body.append(f"<h2>{escape(TEXTS('index_reports', lang))}</h2>")
                links = []
                for r in mine:
                    kind = kinds.get(r.notebook)
                    title = kind.title_in(lang) if kind else r.notebook
                    links.append((f"{r.notebook}.html", title))
                    if r.xlsx is not None and r.xlsx.is_file():
                        links.append((f"{r.notebook}.xlsx", f"{title} (Excel)"))
                body.append(_list(links))
            if children:
                body.append(f"<h2>{escape(TEXTS('index_units', lang))}</h2>")
                body.append(_list([(f"{c}/index.html", f"{names.get(c, c)} ({c})") for c in children]))
            title = f"{names.get(unit, unit)} — {TEXTS('index_title', lang, month=month)}"
            write_text(build / unit_path(units, unit) / "index.html", _page(title, "".join(body), lang))
        tops = sorted(u for u in shown if not isinstance(parents.get(u), str))
        top_body = _list([(f"{u}/index.html", f"{names.get(u, u)} ({u})") for u in tops])
        if not tops:
            top_body = f"<p>{escape(TEXTS('index_none', lang))}</p>"
        write_text(build / "index.html", _page(TEXTS("index_title", lang, month=month), top_body, lang))
        target = root / period
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(dir=root, prefix=f".{period}.old-"))
            target.rename(old / period)
        build.rename(target)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    months = sorted((p.name for p in root.iterdir() if p.is_dir() and MONTH.fullmatch(p.name)), reverse=True)
    write_text(
        root / "index.html",
        _page(
            TEXTS("index_title", lang, month="").strip(),
            _list(
                [
                    (f"{m}/index.html", fmt_month(m, lang))
                    for m in months
                    if (root / m / "index.html").is_file()
                ]
            ),
            lang,
        ),
    )
    return PublishResult(target, count, skipped)

"""The reports' plotly.js bundle: the committed file is the one the manifest describes, built
from the pinned versions, at the plotly.js version of the Python plotly package, with every
trace type the reports draw and no address of plotly's services."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import plotly
from plotly.validator_cache import ValidatorCache

from toolkit.report import assets

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "toolkit"
BUILD = assets.PLOTLY_DIR / "build"

#: Every trace type plotly knows (the figure's data validator maps them to their classes).
TRACE_TYPES = set(ValidatorCache.get_validator("", "data").class_strs_map)


def trace_types_in(source: str) -> set[str]:
    """The trace types a piece of Python source draws: ``go.Bar(``, ``fig.add_bar(``, ``"type": "bar"``."""
    found = {m.lower() for m in re.findall(r"\bgo\.([A-Z]\w*)\s*\(", source)}
    found |= set(re.findall(r"(?<!self)\.add_([a-z0-9]+)\s*\(", source))  # self.add_table: a report's
    found |= set(re.findall(r"""["']type["']\s*:\s*["']([a-z0-9]+)["']""", source))
    found |= set(re.findall(r"""\btype\s*=\s*["']([a-z0-9]+)["']""", source))
    return found & TRACE_TYPES


def python_plotly_js_version() -> str:
    """The plotly.js version the Python plotly package ships (its bundle's header)."""
    head = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(encoding="utf-8")[:200]
    match = re.search(r"plotly\.js v(\d+\.\d+\.\d+)", head)
    assert match, head
    return match.group(1)


def test_the_scanner_finds_trace_types_in_source():
    source = (
        "fig = go.Figure(go.Pie(values=[1]))\n"
        "fig.add_histogram(x=[1])\nfig.add_hline(y=1)\nfig.add_trace({'type': 'funnel'})\n"
        "self.add_table(view)\n"
        'fig.update_xaxes(type="category")\nmenu = {"type": "dropdown"}\nx = go.Layout()\n'
    )
    assert trace_types_in(source) == {"pie", "histogram", "funnel"}


def test_the_committed_bundle_is_the_one_the_manifest_describes():
    manifest = assets.plotly_manifest()
    data = (assets.PLOTLY_DIR / manifest["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == manifest["sha256"]
    assert len(data) == manifest["bytes"]
    assert assets.plotly_js().encode("utf-8") == data


def test_the_bundle_is_the_plotly_js_of_the_python_package():
    manifest = assets.plotly_manifest()
    version = python_plotly_js_version()
    assert manifest["plotly_js"] == version
    bundle = assets.plotly_js()
    assert bundle.startswith(f"/**\n* plotly.js v{version} (partial bundle: {', '.join(manifest['traces'])})")
    assert re.search(rf'\w+\.version="{re.escape(version)}"', bundle)  # Plotly.version, as charts see it


def test_the_build_pins_the_versions_the_manifest_records():
    manifest = assets.plotly_manifest()
    package = json.loads((BUILD / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"] == {"plotly.js": manifest["plotly_js"]}  # exact, no range
    assert package["devDependencies"] == {"esbuild": manifest["esbuild"]}
    lock = json.loads((BUILD / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/plotly.js"]["version"] == manifest["plotly_js"]
    assert lock["packages"]["node_modules/esbuild"]["version"] == manifest["esbuild"]
    script = (BUILD / "build.mjs").read_text(encoding="utf-8")
    listed = re.search(r"export const TRACES = \[([^\]]*)\]", script)
    assert listed, "build.mjs lists its trace types in TRACES"
    assert re.findall(r"'(\w+)'", listed.group(1)) == manifest["traces"]  # rebuilt after a change


def test_every_trace_type_the_reports_draw_is_in_the_bundle():
    manifest = assets.plotly_manifest()
    used: dict[str, list[str]] = {}
    for path in SRC.rglob("*.py"):
        for kind in trace_types_in(path.read_text(encoding="utf-8")):
            used.setdefault(kind, []).append(str(path.relative_to(ROOT)))
    assert {"bar", "sankey", "scatter"} <= set(used)  # the scanner sees the reports' charts
    missing = {kind: files for kind, files in used.items() if kind not in manifest["traces"]}
    assert not missing, f"add these trace types to TRACES in build.mjs and run make plotly-bundle: {missing}"


def test_the_bundle_holds_no_address_of_plotly_s_services():
    """No cloud upload address, no map-file CDN, no logo link; only documentation in messages."""
    bundle = assets.plotly_js()
    for service in ("cloud.plotly.com", "chart-studio", "plot.ly", "api.plotly", "cdn.plot"):
        assert service not in bundle, service
    for url in re.findall(r"https?://[\w.-]*plotly\.com[^\s'\"`]*", bundle):
        assert "/javascript/" in url, url  # the manual, named in error messages and descriptions
    assert 'plotlyServerURL:{valType:"string",dflt:""' in bundle


def test_the_report_theme_draws_every_chart_as_plotly_white_does():
    """The charts take plotly_white with the bundle's trace types only: the same chart, drawn."""
    import plotly.graph_objects as go

    from toolkit.report.blocks import figure_bundle
    from toolkit.report.figures import report_template, style

    traces = {
        "bar": go.Bar(x=["a"], y=[1.0]),
        "box": go.Box(y=[1.0, 2.0]),
        "heatmap": go.Heatmap(z=[[1.0]]),
        "sankey": go.Sankey(node={"label": ["a", "b"]}, link={"source": [0], "target": [1], "value": [1.0]}),
        "scatter": go.Scatter(x=[1], y=[1.0]),
        "waterfall": go.Waterfall(x=["a"], y=[1.0]),
    }
    assert sorted(traces) == sorted(assets.plotly_manifest()["traces"])
    assert {"bar", "scatter"} <= set(report_template().data.to_plotly_json()) <= set(traces)
    for kind, trace in traces.items():
        ours = figure_bundle(style(go.Figure(trace), lang="da", title=kind), "x", lang="da")
        theirs = style(go.Figure(trace), lang="da", title=kind).update_layout(template="plotly_white")
        assert ours == figure_bundle(theirs, "x", lang="da"), kind

"""The shift-planning report: what it computes and says, privacy in small units, the notebook's hygiene."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from toolkit.analyses import shift_assessment as shift
from toolkit.analyses.shift_assessment import assessment as shift_assessment
from toolkit.analyses.shift_assessment import charts, suggestions, tables, wording
from toolkit.analyses.shift_assessment.params import settings
from toolkit.analyses.shift_assessment.results import ShiftInputs, ShiftResults, load_roster
from toolkit.core import config
from toolkit.report.blocks import SUPPRESSED_MARK
from toolkit.report.context import ReportContext, open_context

NOTEBOOK = config.NOTEBOOKS_DIR / "shift-assessment.ipynb"


def context(sample_dir: Path, unit: str, language: str | None = None) -> ReportContext:
    return open_context(
        "shift-assessment",
        unit=unit,
        period=None,
        data_dir=sample_dir,
        params_dir=config.PARAMS_DIR,
        language=language,
    )


@pytest.fixture(scope="module")
def aku(sample_dir: Path) -> tuple[ReportContext, ShiftResults]:
    ctx = context(sample_dir, "FS-AKU")
    return ctx, shift.compute(shift.load(ctx), ctx)


@pytest.fixture(scope="module")
def aku_input(aku: tuple[ReportContext, ShiftResults]) -> ShiftInputs:
    ctx, res = aku
    return ShiftInputs(load_roster(ctx), res.assessment)


def test_judgement_and_data_disagree_where_they_should(aku) -> None:  # type: ignore[no-untyped-def]
    ctx, res = aku
    verdicts = res.themes.set_index("theme")["verdict"]
    assert verdicts["link_to_activity"] == "data_worse"  # rated high, static staffing
    assert res.staffing.mismatch > settings(ctx.params).mismatch_alert
    assert res.themes.set_index("theme").loc["link_to_activity", "current"] >= 4
    table = tables.judgement_table(res, "da").frame.set_index("name")
    assert "mismatch-indeks" in table.loc["Kobling til aktivitet", "facts"]
    assert "over grænsen" in table.loc["Kobling til aktivitet", "facts"]
    assert table.loc["Kobling til aktivitet", "verdict"].startswith("I vurderer temaet til 4,")


def test_headline_is_three_to_five_plain_sentences(aku) -> None:  # type: ignore[no-untyped-def]
    ctx, res = aku
    lines = shift.headline(res, ctx)
    assert 3 <= len(lines) <= 5
    assert lines[0].startswith("Kobling til aktivitet: I vurderer jer højt")
    text = " ".join(lines)
    m = res.month
    assert f"{m['overtime_pct']:.1f}".replace(".", ",") in text  # the numbers come from the data
    assert "mismatch" in text
    assert not re.search(r"\bE\d{6}\b", text)


def test_cards(aku) -> None:  # type: ignore[no-untyped-def]
    ctx, res = aku
    cards = shift.cards(res, ctx)
    labels = [c.label for c in cards]
    assert labels == [
        "Største gab",
        "Overarbejde",
        "Vikarandel",
        "Kort varsel",
        "Hviletidsbrud",
        "Mismatch-indeks",
    ]
    assert cards[-1].status == "red"
    assert cards[4].value == str(int(res.rest_month["breaches"]))


def test_next_steps_come_from_the_bank_and_the_figures(aku) -> None:  # type: ignore[no-untyped-def]
    ctx, res = aku
    steps = suggestions.next_steps(res, ctx)
    link = steps[steps["theme"] == "link_to_activity"]["step"].tolist()
    assert any(s.startswith("Flyt ca. ") and "vagttimer om ugen fra " in s for s in link)
    bank_steps = [s.da for s in res.assessment.bank.theme("link_to_activity").next_steps]
    assert bank_steps[0] in link
    # Every theme shown needs it: a big gap or a figure above its alert level.
    shown = res.themes.set_index("theme").loc[steps["theme"].unique()]
    assert ((shown["gap"] >= settings(ctx.params).gap_priority) | (shown["n_flagged"] > 0)).all()


def test_english_report_texts(sample_dir: Path, aku_input: ShiftInputs) -> None:
    ctx = context(sample_dir, "FS-AKU", language="en")
    res = shift.compute(aku_input, ctx)
    lines = shift.headline(res, ctx)
    assert lines[0].startswith("Link to activity: you rate yourselves high")
    assert not any(word in " ".join(lines) for word in ("arbejdsforløb", "vagter", "grænse"))
    for view in (tables.themes_table(res, "en"), tables.judgement_table(res, "en")):
        assert view.columns[0].label == "Theme"
    assert tables.steps_table(suggestions.next_steps(res, ctx), "en").columns[2].label == "Suggestion"


def test_tables_hold_no_person_keys(aku) -> None:  # type: ignore[no-untyped-def]
    ctx, res = aku
    views = [
        tables.themes_table(res, "da"),
        tables.statements_table(res, "da"),
        tables.judgement_table(res, "da"),
        tables.rest_table(res, ctx),
        tables.monthly_table(res.monthly, ctx),
        tables.group_table(res, ctx),
        tables.profile_table(res, "da"),
        tables.steps_table(suggestions.next_steps(res, ctx), "da"),
    ]
    for view in views:
        assert view is not None
        assert "employee_id" not in view.frame.columns
        text = view.frame.astype(str).to_string()
        assert not re.search(r"\b(E\d{6}|V[A-Z]{3}\d{6})\b", text), view.name


def test_charts(aku) -> None:  # type: ignore[no-untyped-def]
    _, res = aku
    names = wording.theme_names(res, "da")
    fig = charts.assessment_chart(res.themes, names=names, lang="da")
    assert [tr.name for tr in fig.data] == ["Ønsket potentiale", "Nuværende status"]
    assert len(fig.data[1].y) == 6
    ratio = charts.ratio_heatmap(res.staffing, "da")
    assert (
        ratio is not None
        and ratio.data[0].zmid == 0
        and (ratio.data[0].zmin, ratio.data[0].zmax) == (-100, 100)
    )
    z = np.array(ratio.data[0].z, dtype=float)
    assert z.shape == (7, 24) and np.nanmax(np.abs(z)) <= 100
    assert charts.staff_heatmap(res.staffing, "da").data[0].zmin == 0
    assert len(charts.trends_chart(res.monthly, lang="da").data) == 3
    assert len(charts.rest_chart(res.rest, lang="da").data) == 2


def test_small_unit_is_suppressed(sample_dir: Path, aku_input: ShiftInputs) -> None:
    data = aku_input.roster
    october = data.shifts[(data.shifts["period"] == "2026-10") & ~data.shifts["agency"].astype(bool)]
    keep = sorted(october["employee_id"].unique())[:4]
    small = dataclasses.replace(data, shifts=data.shifts[data.shifts["employee_id"].isin(keep)])
    ctx = context(sample_dir, "FS-AKU")
    res = shift.compute(dataclasses.replace(aku_input, roster=small), ctx)
    assert res.suppressed and res.persons == 4
    cards = shift.cards(res, ctx)
    assert [c.value for c in cards[1:5]] == [SUPPRESSED_MARK] * 4
    assert res.monthly[["overtime_pct", "agency_pct", "short_notice_pct"]].isna().all().all()
    assert res.rest[["breaches", "under_reduced", "reduced"]].isna().all().all()
    groups = res.groups
    assert groups["suppressed"].all() and groups["overtime_pct"].isna().all()
    assert any("færre end 5 personer" in s for s in shift.headline(res, ctx))
    values = [
        v
        for k, v in res.values.items()
        if k in ("rest_breach_pct", "toil_per_fte", "overtime_pct", "mismatch_index")
    ]
    assert all(np.isnan(v) for v in values)
    # When four persons work shows who works when: no staffing heat maps either.
    assert res.staffing.profile is None


def test_without_forms_and_patient_flow(sample_dir: Path, aku_input: ShiftInputs) -> None:
    ctx = context(sample_dir, "FS-AKU")
    empty = shift_assessment.assessment_from_answers("FS-AKU", aku_input.assessment.bank, [])
    res = shift.compute(ShiftInputs(dataclasses.replace(aku_input.roster, patient_flow=None), empty), ctx)
    assert res.staffing.profile is None and np.isnan(res.staffing.mismatch)
    assert set(res.themes["verdict"]) == {"no_rating"}
    lines = shift.headline(res, ctx)
    assert "Afdelingen har ikke afleveret selvvurderingen endnu" in lines[0]
    assert not any("mismatch" in s for s in lines)
    assert "toolkit template shift-assessment --unit FS-AKU" in wording.forms_note(res, ctx)
    assert charts.demand_heatmap(res.staffing, "da") is None
    assert wording.blocks_note(res, "da") is None
    steps = suggestions.next_steps(res, ctx)
    assert "link_to_activity" not in set(steps["theme"])  # no figure, no rating: nothing to suggest


# --------------------------------------------------------------------------- parameters and notebook


def test_shift_parameters_are_checked(tmp_path: Path) -> None:
    from toolkit.core.errors import ParameterError
    from toolkit.data.params import load_params

    (tmp_path / "units").mkdir()
    (tmp_path / "defaults.yaml").write_text(
        (config.PARAMS_DIR / "defaults.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "units" / "FS-AKU.yaml").write_text(
        "shift_assessment:\n  reduced_rest_hours: 12\n", encoding="utf-8"
    )
    with pytest.raises(ParameterError, match="reduced_rest_hours"):
        load_params(tmp_path, "FS-AKU")
    (tmp_path / "units" / "FS-AKU.yaml").write_text("shift_assessment:\n  notice_days: 4\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"unknown parameter 'shift_assessment\.notice_days'"):
        load_params(tmp_path, "FS-AKU")


def test_notebook_is_thin_and_committed_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["toolkit"] == {
        "title": {"da": "Vurdering af vagtplanlægning", "en": "Shift-planning assessment"},
        "levels": ["department"],
    }
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    names = {t.id for node in ast.parse(params[0].source).body for t in node.targets}  # type: ignore[attr-defined]
    assert names == {"unit", "period", "data_dir", "params_dir", "language", "settings", "interactive"}
    for line in params[0].source.splitlines():
        assert "=" not in line.partition("#")[2], line  # papermill's parser chokes on '=' in comments
    for cell in code:
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.For | ast.While | ast.Lambda), (
                cell.source
            )


# --------------------------------------------------------------------------- widgets


class FakeHandle:
    """Stands in for an IPython display handle: remembers what its slot shows."""

    def __init__(self, shown: dict[int, object], key: int) -> None:
        self.shown, self.key = shown, key

    def update(self, bundle: object, raw: bool = False) -> None:
        self.shown[self.key] = bundle


def test_explorer_switches_group_without_errors(sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.analyses.shift_assessment import widgets as shift_widgets

    shown: dict[int, object] = {}

    def fake_display(obj: object, raw: bool = False, display_id: bool = False) -> FakeHandle | None:
        if not display_id:
            return None
        key = len(shown) + 1
        shown[key] = obj
        return FakeHandle(shown, key)

    monkeypatch.setattr(shift_widgets, "display", fake_display)
    monkeypatch.setenv("TOOLKIT_WIDGETS", "1")
    ctx = context(sample_dir, "FS-END")
    box = shift_widgets.explorer(ctx)
    unit_dd, period_dd, group_dd = box.children
    slots = dict(zip(shift_widgets.SLOTS, sorted(shown), strict=True))

    def slot(name: str) -> str:
        return str(shown[slots[name]])

    groups = [v for _, v in group_dd.options if v]
    assert groups == shift_widgets.group_choices(load_roster(ctx).shifts)
    for name in ("staff", "ratio", "trend"):
        assert "application/vnd.plotly.v1+json" in slot(name)
    assert "Overarbejde" in slot("table") and slot("message") == str(shift_widgets.EMPTY)
    group_dd.value = "Terapeuter"  # four therapists in the sample: too few to show
    assert slot("message") == str(
        {"text/plain": "Terapeuter har færre end 5 personer i måneden: tallene vises ikke."}
    )
    assert slot("trend") == str(shift_widgets.EMPTY)
    group_dd.value = "Læger"
    assert "Overarbejde" in slot("table")
    period_dd.value = "2025-06"  # before the rosters begin: a message, not a crash
    assert "no shifts for unit FS-END in 2025-06" in slot("message")
    unit_dd.value = "FS-AKU"
    assert "no shifts for unit FS-AKU in 2025-06" in slot("message")
    period_dd.value = "2026-10"
    assert "application/vnd.plotly.v1+json" in slot("staff") and slot("message") == str(shift_widgets.EMPTY)


# --------------------------------------------------------------------------- section views


def test_section_views_hold_the_notebooks_branches(sample_dir: Path, aku, aku_input: ShiftInputs) -> None:  # type: ignore[no-untyped-def]
    from toolkit.report.blocks import Chart, Note, Paragraph, Section, TableView, WorkbookOnly

    ctx, res = aku
    views = [
        shift.self_assessment,
        shift.judgement,
        shift.rest,
        shift.staffing,
        shift.trends,
        shift.groups,
        shift.steps,
    ]
    sections = [view(res, ctx) for view in views]
    assert all(isinstance(s, Section) and s.title and s.lead for s in sections)
    kinds = [[type(b).__name__ for b in s.blocks if b is not None] for s in sections]
    assert kinds[0] == ["Note", "Figure", "Figure", "TableView", "WorkbookOnly"]
    assert kinds[3] == ["Figure", "Figure", "Chart", "Note", "WorkbookOnly"]
    assert kinds[6] == ["TableView"]
    # Without forms and patient flow, and in a unit too small to show: what is left out is left out.
    empty = shift_assessment.assessment_from_answers("FS-AKU", aku_input.assessment.bank, [])
    bare = shift.compute(ShiftInputs(dataclasses.replace(aku_input.roster, patient_flow=None), empty), ctx)
    assert [type(b) for b in shift.self_assessment(bare, ctx).blocks] == [Note]
    assert [type(b) for b in shift.staffing(bare, ctx).blocks] == [Paragraph]
    data = aku_input.roster
    october = data.shifts[(data.shifts["period"] == "2026-10") & ~data.shifts["agency"].astype(bool)]
    keep = sorted(october["employee_id"].unique())[:4]
    small = dataclasses.replace(data, shifts=data.shifts[data.shifts["employee_id"].isin(keep)])
    tiny = shift.compute(dataclasses.replace(aku_input, roster=small), ctx)
    rest = shift.rest(tiny, ctx).blocks
    assert (
        isinstance(rest[0], Note)
        and "færre end 5 personer" in rest[0].text
        and isinstance(rest[-1], TableView)
    )
    assert not any(isinstance(b, Chart | WorkbookOnly) for b in shift.staffing(tiny, ctx).blocks)

"""The appendix shows the parameters a report reads, by label and in the report's format (issue 14.7).

Every parameter field has a Danish and an English label and every choice a name, so a new
parameter without them fails here; the values read as a manager reads them (``100.000 kr.``,
``ja``, ``ingen``), and the workbook keeps every parameter with its dotted name and raw value.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Literal

import pytest
from openpyxl import load_workbook
from pydantic import Field

import toolkit.analyses as analyses_pkg
from toolkit.analyses import kpi, shift_assessment, unit_cost
from toolkit.analyses import need_assessment as na
from toolkit.core import config
from toolkit.data.params import (
    SECTION_READS,
    SECTION_TITLES,
    SECTIONS,
    StrictModel,
    label,
    params_model,
)
from toolkit.report import blocks
from toolkit.report.blocks import ARTIFACT_MIME, Report
from toolkit.report.context import ReportContext, open_context
from toolkit.report.export import write_workbook
from toolkit.report.parameters import (
    WORKBOOK_COLUMNS,
    appendix_rows,
    format_parameter,
    label_problems,
    own_section,
    parameter_rows,
    report_parameter_names,
    select_rows,
)

NBSP = "\u00a0"
ANALYSES_DIR = Path(analyses_pkg.__file__).parent


def field(section: str, name: str) -> Any:
    return SECTIONS[section].model_fields[name]


# --------------------------------------------------------------------------- every field labelled


def test_every_parameter_field_has_danish_and_english_labels_and_every_choice_a_name():
    assert label_problems(params_model()) == []


def test_every_registered_section_has_a_title():
    assert set(SECTION_TITLES) == set(SECTIONS)


def test_a_field_without_a_label_or_an_unnamed_choice_is_found():
    class Section(StrictModel):
        fine: int = Field(1, json_schema_extra=label("Fin", "Fine"))
        bare: int = 2
        half: int = Field(3, json_schema_extra={"label_da": "Halv"})
        choice: Literal["a", "b"] = Field(
            "a", json_schema_extra=label("Valg", "Choice", values={"a": ("a", "a")})
        )

    assert label_problems(Section) == [
        "bare: no 'da' label",
        "bare: no 'en' label",
        "half: no 'en' label",
        "choice: no 'da' name of the value 'b'",
        "choice: no 'en' name of the value 'b'",
    ]


def test_a_section_declares_the_parameters_it_reads_outside_itself():
    """Each analysis's code reads the shared parameters and other sections it declares, no more."""
    rows = parameter_rows(params_model()(), "da")
    for section in SECTIONS:
        folder = ANALYSES_DIR / section
        if not folder.is_dir():
            continue  # delivery: no report
        code = "\n".join(p.read_text(encoding="utf-8") for p in folder.glob("*.py"))
        reads = SECTION_READS[section]
        select_rows(rows, list(reads))  # every declared name exists
        for shared in ("history_months", "privacy"):
            used = re.search(rf"params\.{shared}\b", code) is not None
            assert used == (shared in reads), (section, shared)
        for other in set(re.findall(r'section\("(\w+)"', code)) - {section}:
            assert any(r.startswith(f"{other}.") for r in reads), (section, other)


# --------------------------------------------------------------------------- formatting


def test_numbers_with_their_units_in_danish_and_english():
    cases = [
        (
            field("kpi", "materiality_kr"),
            "materiality_kr",
            100_000.0,
            f"100.000{NBSP}kr.",
            f"DKK{NBSP}100,000",
        ),
        (field("kpi", "materiality_pct"), "materiality_pct", 2.0, f"2{NBSP}%", "2%"),
        (field("kpi", "sick_leave_alert_pct"), "sick_leave_alert_pct", 5.5, f"5,5{NBSP}%", "5.5%"),
        (field("shift_assessment", "rest_hours"), "rest_hours", 11.0, "11 timer", "11 hours"),
        (field("shift_assessment", "short_notice_days"), "short_notice_days", 1, "1 dag", "1 day"),
        (field("shift_assessment", "mismatch_alert"), "mismatch_alert", 0.2, "0,2", "0.2"),
        (field("kpi", "trend_months"), "trend_months", 13, "13 måneder", "13 months"),
        (field("unit_cost", "top_groups"), "top_groups", 1234, "1.234", "1,234"),
    ]
    for f, name, value, da, en in cases:
        assert format_parameter(value, f, name, "da") == da
        assert format_parameter(value, f, name, "en") == en


def test_shares_read_as_percentages_and_lists_are_joined_with_commas():
    shares = field("unit_cost", "sensitivity_shares")
    assert format_parameter((0.7, 0.85, 1.0), shares, "sensitivity_shares", "da") == (
        f"70{NBSP}%, 85{NBSP}%, 100{NBSP}%"
    )
    assert format_parameter((0.7, 0.85, 1.0), shares, "sensitivity_shares", "en") == "70%, 85%, 100%"
    order = field("unit_cost", "step_order")
    assert format_parameter(("FS-ADM", "FS-IT"), order, "step_order", "da") == "FS-ADM, FS-IT"


def test_truth_values_none_and_empty_values():
    light = na.params.NeedTool.model_fields["light"]
    assert [format_parameter(v, light, "light", "da") for v in (True, False)] == ["ja", "nej"]
    assert [format_parameter(v, light, "light", "en") for v in (True, False)] == ["yes", "no"]
    at_most = na.params.NeedCondition.model_fields["max"]
    assert format_parameter(None, at_most, "max", "da") == "ingen"
    assert format_parameter(None, at_most, "max", "en") == "none"
    assert format_parameter(3.5, at_most, "max", "da") == "3,5 point"
    order = field("unit_cost", "step_order")
    assert format_parameter((), order, "step_order", "da") == "ingen"
    assert format_parameter("", field("delivery", "intranet_url"), "intranet_url", "en") == "none"


def test_choices_read_by_their_names():
    method = field("kpi", "forecast_method")
    assert format_parameter("run_rate", method, "forecast_method", "da", section="kpi") == (
        "forbrug pr. måned fremskrevet"
    )
    assert format_parameter("run_rate", method, "forecast_method", "en", section="kpi") == "monthly run rate"
    demand = field("shift_assessment", "demand_measure")
    assert format_parameter("census", demand, "demand_measure", "da") == "belægning"
    requires = na.params.NeedTool.model_fields["requires"]
    assert format_parameter(["finance", "goals"], requires, "requires", "da", section="need_assessment") == (
        "omkostninger på aktiviteten, mål knyttet til aktiviteten"
    )
    language = params_model().model_fields["language"]
    assert format_parameter("en", language, "language", "da") == "engelsk"


def test_rows_carry_dotted_names_labels_and_formatted_values():
    rows = {r.name: r for r in parameter_rows(params_model()(), "da")}
    assert (rows["kpi.materiality_kr"].label, rows["kpi.materiality_kr"].text) == (
        "Væsentlighedsgrænse, beløb",
        f"100.000{NBSP}kr.",
    )
    assert (rows["kpi.goal_thresholds.amber"].label, rows["kpi.goal_thresholds.amber"].text) == (
        "Målstatus: gul fra målopfyldelse",
        f"90{NBSP}%",
    )
    share = rows["unit_cost.practical_share.staff"]
    assert (share.label, share.text, share.raw()) == (
        "Praktisk kapacitet, andel af den teoretiske tid: personale",
        f"80{NBSP}%",
        0.8,
    )
    weight = rows["need_assessment.criteria.strategic.weight"]
    assert weight.label == "Kriterium: strategisk og politisk bevågenhed, vægt"
    condition = rows["need_assessment.rules.volume_standardised.when.1.max"]
    assert (condition.label, condition.text) == (
        "Regel: stor volumen og standardiseret opgave, betingelse 2, højst",
        "3 point",
    )
    en = {r.name: r for r in parameter_rows(params_model()(), "en")}
    assert en["privacy.min_group_size"].label == "Disclosure control: smallest group shown"
    assert en["privacy.min_group_size"].text == "5 persons"


def test_a_report_reads_its_section_and_what_it_declares():
    assert report_parameter_names("kpi") == ("language", "history_months", "privacy", "kpi")
    assert report_parameter_names("shift-assessment") == (
        "language",
        "privacy",
        "kpi.sick_leave_alert_pct",
        "shift_assessment",
    )
    assert own_section("need-assessment-centre") == "need_assessment"
    assert report_parameter_names("no-such-report") == ("language",)


def test_another_sections_parameter_is_labelled_with_its_title():
    params = params_model()()
    shown = appendix_rows(params, "da", ["kpi.sick_leave_alert_pct"], own="shift_assessment")
    assert shown == [("Ledelsesinformation: sygefravær, grænse for omtale", f"5,5{NBSP}%")]
    assert appendix_rows(params, "da", ["kpi.sick_leave_alert_pct"], own="kpi") == [
        ("Sygefravær, grænse for omtale", f"5,5{NBSP}%")
    ]


def test_given_values_are_formatted_and_a_text_stands_in_only_for_an_empty_parameter():
    params = params_model()()
    shown = appendix_rows(
        params,
        "da",
        {
            "unit_cost.step_order": "(regel: FS-IT, FS-ADM)",  # empty parameter: the rule's order
            "unit_cost.sensitivity_shares": "0.7, 0.8, 0.9, 1",  # the parameter itself, as a text
            "unit_cost.top_groups": 20,  # another value than the parameter's
            "language": "da",
        },
        own="unit_cost",
    )
    assert shown == [
        ("Rækkefølge i trinvis fordeling", "(regel: FS-IT, FS-ADM)"),
        ("Praktiske andele i følsomhedsanalysen", f"70{NBSP}%, 80{NBSP}%, 90{NBSP}%, 100{NBSP}%"),
        ("DRG-grupper i graferne", "20"),
        ("Rapportens sprog", "dansk"),
    ]
    with pytest.raises(KeyError, match=r"no parameter 'kpi\.nope'"):
        appendix_rows(params, "da", ["kpi.nope"])
    with pytest.raises(KeyError, match=r"no parameter 'kpi\.nope'"):
        appendix_rows(params, "da", {"kpi.nope": 1})


# --------------------------------------------------------------------------- built reports


def _open(notebook: str, unit: str, sample_dir: Path, language: str | None = None) -> ReportContext:
    return open_context(
        notebook, unit=unit, period=None, data_dir=sample_dir, params_dir=config.PARAMS_DIR, language=language
    )


def _capture(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    shown: list[dict[str, Any]] = []
    monkeypatch.setattr(blocks, "display", lambda bundle, **kw: shown.append(bundle))
    return shown


def _parameter_table(markup: str) -> str:
    return markup.split('<table class="tbl params">', 1)[1].split("</table>", 1)[0]


REPR = re.compile(r"\bNone\b|\bTrue\b|\bFalse\b|\[|\{|<code>")


@pytest.mark.parametrize(
    ("notebook", "unit", "lang", "expected"),
    [
        ("kpi", "FS-LUN", "da", ("Væsentlighedsgrænse, beløb", f"100.000{NBSP}kr.")),
        ("kpi", "FS-LUN", "en", ("Materiality limit, amount", f"DKK{NBSP}100,000")),
        (
            "shift-assessment",
            "FS-AKU",
            "da",
            ("Ledelsesinformation: sygefravær, grænse for omtale", f"5,5{NBSP}%"),
        ),
        ("need-assessment", "FS-LUN", "da", ("Kriterium: styrbarhed, vægt", "1")),
        (
            "unit-cost",
            "FS-LUN",
            "da",
            ("Praktisk kapacitet, andel af den teoretiske tid: udstyr", f"85{NBSP}%"),
        ),
    ],
)
def test_a_built_reports_appendix_shows_labels_and_formatted_values_only(
    monkeypatch, sample_dir, notebook, unit, lang, expected
):
    ctx = _open(notebook, unit, sample_dir, lang)
    shown = _capture(monkeypatch)
    report = Report(ctx, "Rapport")
    if notebook == "kpi":
        report.appendix(kpi.definitions())
    elif notebook == "shift-assessment":
        report.appendix(shift_assessment.definitions())
    elif notebook == "need-assessment":
        report.appendix(na.definitions(), parameters=na.appendix_parameters(ctx))
    else:
        order = SimpleNamespace(allocation=SimpleNamespace(order=["FS-IT", "FS-ADM"]))
        res: Any = SimpleNamespace(by_method={"step_down": order})
        report.appendix(unit_cost.definitions(), parameters=unit_cost.appendix_parameters(res, ctx))
    table = _parameter_table(shown[-1]["text/html"])
    cells = re.findall(r"<tr><td class='txt'>([^<]*)</td><td class='txt'>([^<]*)</td></tr>", table)
    assert len(cells) == table.count("<tr>") > 0
    assert (expected[0], expected[1]) in [
        (blocks.html.unescape(a), blocks.html.unescape(b)) for a, b in cells
    ]
    assert not REPR.search(table), table
    dotted = {r.name for r in parameter_rows(ctx.params, lang)} | set(SECTIONS)
    labels = [blocks.html.unescape(a) for a, _ in cells]
    assert not [x for x in labels if "_" in x or x in dotted], labels
    assert not [n for n in dotted if "." in n and n in table]
    # Only what the report reads: no other analysis's own parameters, no delivery.
    assert "Emne, dansk mail" not in table and "Subject, Danish mail" not in table


def test_the_kpi_appendix_lists_exactly_its_section_and_declared_reads(monkeypatch, sample_dir):
    ctx = _open("kpi", "FS-LUN", sample_dir)
    shown = _capture(monkeypatch)
    Report(ctx, "Rapport").appendix(kpi.definitions())
    labels = re.findall(r"<tr><td class='txt'>([^<]*)</td>", _parameter_table(shown[-1]["text/html"]))
    assert [blocks.html.unescape(x) for x in labels] == [
        "Rapportens sprog",
        "Historik, der indlæses",
        "Diskretion: mindste gruppe, der vises",
        "Måneder i tendensgrafer",
        "Prognosemetode",
        "Væsentlighedsgrænse, procent",
        "Væsentlighedsgrænse, beløb",
        "Målstatus: grøn fra målopfyldelse",
        "Målstatus: gul fra målopfyldelse",
        "Sygefravær, grænse for omtale",
    ]


def test_the_workbook_holds_every_parameter_with_name_label_and_raw_value(monkeypatch, sample_dir, tmp_path):
    ctx = _open("kpi", "FS-LUN", sample_dir)
    shown = _capture(monkeypatch)
    Report(ctx, "Rapport").finish()
    artifacts = shown[-1][ARTIFACT_MIME]
    path = tmp_path / "r.xlsx"
    write_workbook(path, artifacts)
    ws = load_workbook(path)["Parametre"]
    values = list(ws.values)
    assert list(values[0]) == WORKBOOK_COLUMNS["da"]
    rows = {r[0]: r for r in values[1:]}
    assert {r.name for r in parameter_rows(ctx.params, "da")} == set(rows)
    assert any(name.startswith("delivery.") for name in rows)  # every section, not only the report's
    assert rows["kpi.materiality_kr"] == (
        "kpi.materiality_kr",
        "Ledelsesinformation",
        "Væsentlighedsgrænse, beløb",
        f"100.000{NBSP}kr.",
        100000,
    )
    assert rows["unit_cost.sensitivity_shares"][3:] == (
        f"70{NBSP}%, 80{NBSP}%, 90{NBSP}%, 100{NBSP}%",
        "[0.7, 0.8, 0.9, 1.0]",
    )
    assert rows["need_assessment.rules.low.when"][4] == "[]"
    assert rows["language"][1:] == ("Fælles", "Rapportens sprog", "dansk", "da")


def test_a_rules_tools_and_conditions_read_by_the_names_of_the_tools_criteria_and_indicators():
    """A rule names tools, criteria and indicators by key; the appendix and the workbook show their
    names (a tool the user added by its own name), and ``score`` as the overall score."""
    from toolkit.report.parameters import workbook_rows

    params = params_model().model_validate(
        {
            "need_assessment": {
                "tools": {
                    **{k: v.model_dump() for k, v in na.params.DEFAULT_TOOLS.items()},
                    "huddle": {
                        "name_da": "Tavlemøde",
                        "name_en": "Huddle",
                        "data_da": "Ingen",
                        "data_en": "None",
                    },
                },
                "rules": {
                    "mine": {
                        "name_da": "Min regel",
                        "name_en": "My rule",
                        "when": [{"key": "score", "min": 4}, {"key": "risk", "min": 3}],
                        "tools": ["huddle", "periodised_budget"],
                    }
                },
            }
        }
    )
    shown = {r[0]: (r[3], r[4]) for r in workbook_rows(params, "da")}
    assert shown["need_assessment.rules.mine.tools"] == (
        "Tavlemøde, Periodiseret budget",
        '["huddle", "periodised_budget"]',
    )
    assert shown["need_assessment.rules.mine.when.0.key"] == ("samlet score", "score")
    assert shown["need_assessment.rules.mine.when.1.key"] == ("Risiko og konsekvens af fejl", "risk")
    english = {r[0]: r[3] for r in workbook_rows(params, "en")}
    assert english["need_assessment.rules.mine.tools"] == "Huddle, Periodised budget"
    assert english["need_assessment.rules.mine.when.0.key"] == "overall score"

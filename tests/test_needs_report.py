"""The need-assessment report: headline, tables, charts and sliders for the hand-computed unit."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest
from needs_data import UNIT, need_input, write_forms

import toolkit.analyses.need_assessment as na
from toolkit.analyses.need_assessment import charts, rollup, tables
from toolkit.analyses.need_assessment import forms as needs_forms
from toolkit.analyses.need_assessment.params import NeedAssessmentParams, settings
from toolkit.analyses.need_assessment.widgets import build
from toolkit.data.params import params_model
from toolkit.report.blocks import Note, Paragraph, TableView, figure_bundle


def ctx(lang: str = "da") -> Any:
    """What the views read of a report context: the language (and the unit, for a note)."""
    return SimpleNamespace(lang=lang, unit=SimpleNamespace(unit_id=UNIT))


@pytest.fixture
def res(tmp_path: Path) -> na.NeedResults:
    write_forms(tmp_path)
    forms = needs_forms.read_unit_forms(tmp_path, UNIT, {"A", "B", "I", "Z"})
    return na.assess_input(need_input(), forms, NeedAssessmentParams())


def test_headline_in_danish(res):
    # Cost shares A 50 %, B 41,7 % (together 91,7 %); scores B 4,0, A 3,7 (both high); gaps B 5 and
    # A 1, variance explanations missing for both; A has no costs booked on it.
    assert na.headline(res, ctx("da")) == [
        "To aktiviteter står for 92\u00a0% af omkostningerne: Alfa og Beta.",
        "Størst styringsbehov: Beta (4,0) og Alfa (3,7); 2 af 3 aktiviteter har højt behov (score mindst 3,5).",
        "Aktiviteterne med højt behov mangler 6 anbefalede værktøjer i dag, oftest afvigelsesforklaringer.",
        "Alfa har højt behov, men findes ikke i økonomidata som egen kontering (dens omkostning er alene løn fordelt efter timer).",
    ]


def test_headline_in_english(res):
    assert na.headline(res, ctx("en")) == [
        "Two activities account for 92% of the cost: Alfa and Beta.",
        "Highest management need: Beta (4.0) and Alfa (3.7); 2 of 3 activities have a high need (score at least 3.5).",
        "The high-need activities lack 6 recommended tools today, most often variance explanations.",
        "Alfa has a high need but is missing from the finance data as a booking of its own (its cost is only salary allocated by hours).",
    ]


def test_headline_without_forms_says_so():
    empty = na.assess_input(need_input(), needs_forms.empty_forms(), NeedAssessmentParams())
    sentences = na.headline(empty, ctx("da"))
    assert sentences[1] == "Der er ingen workshopvurdering endnu; scoren bygger kun på enhedens data."
    assert empty.scores.table["judged_score"].isna().all()
    assert not charts.has_profile(empty)


def test_headline_calls_out_disagreement(tmp_path):
    write_forms(tmp_path)
    forms = needs_forms.read_unit_forms(tmp_path, UNIT, {"A", "B", "I", "Z"})
    scores = forms.scores.copy()
    # Rater 2 gives A's risk 1 instead of 2; rater 1 gave 4: three points apart.
    scores.loc[
        (scores["rater"] == "2") & (scores["activity_id"] == "A") & (scores["criterion"] == "risk"), "score"
    ] = 1
    res = na.assess_input(
        need_input(), needs_forms.NeedForms(**{**forms.__dict__, "scores": scores}), NeedAssessmentParams()
    )
    assert (
        "Bedømmerne er mest uenige om risiko og konsekvens af fejl for Alfa (fra 1 til 4); drøft vurderingen igen."
        in na.headline(res, ctx("da"))
    )
    assert (
        tables.action_texts(res, "da")[-1]
        == "Drøft risiko og konsekvens af fejl for Alfa igen: bedømmerne giver fra 1 til 4."
    )


def test_cards(res):
    cards = {c.label: c for c in na.cards(res, ctx("da"))}
    assert cards["Aktiviteter"].value == "3"
    assert cards["Højt styringsbehov"].value == "2"
    assert cards["Største behov"].value == "4,0" and cards["Største behov"].detail == "Beta"
    assert cards["Manglende værktøjer"].value == "6" and cards["Manglende værktøjer"].status == "red"
    assert cards["Mangler i tid eller økonomi"].value == "1"


def test_action_texts(res):
    assert tables.action_texts(res, "da") == [
        "Indfør periodiseret budget, afvigelsesforklaringer, enhedsomkostninger, produktivitetsopfølgning og "
        "tavlestyring for Beta.",
        "Indfør afvigelsesforklaringer for Alfa.",
        "Registrér omkostninger på aktiviteten for Alfa.",
    ]
    assert tables.action_texts(res, "en")[1] == "Introduce variance explanations for Alfa."


def test_tables_show_ranked_rows(res):
    ranking = tables.ranking_table(res, "da")
    assert ranking.frame["name"].tolist() == ["Beta", "Alfa", "Intern"]
    assert ranking.frame["level_label"].tolist() == ["Højt", "Højt", "Lavt"]
    rec = tables.recommendations_table(res, "da").frame.set_index("name")
    assert rec.loc["Alfa", "gap"] == "Afvigelsesforklaringer"
    assert rec.loc["Alfa", "missing_data"] == "omkostninger på aktiviteten"
    assert rec.loc["Intern", "recommended"] == "Let årlig gennemgang"
    assert rec.loc["Intern", "gap"] == "Let årlig gennemgang"  # recommended, not in use
    assert pd.isna(rec.loc["Beta", "missing_data"])
    reg = tables.registration_table(res, "da").frame.set_index("name")
    assert reg.loc["Beta", "both"] and not reg.loc["Alfa", "both"]
    weights = tables.weights_table(res.params, "da").frame
    assert weights["share"].sum() == pytest.approx(100) and len(weights) == 10
    assert "Høj risiko" in tables.rules_table(res.params, "da").frame["rule"].tolist()
    assert "1.0" not in tables.unmatched_note(res, "da")
    assert tables.unmatched_note(res, "da").startswith("Ikke matchet på aktiviteten: 210 af 300 arbejdstimer")


def test_charts_are_plotly_figures_with_escaped_labels(res):
    for fig in (
        charts.ranking_chart(res, "da"),
        charts.profile_chart(res, "da"),
        charts.heatmap_chart(res, "da"),
    ):
        bundle = figure_bundle(fig, "x")
        json.dumps(bundle["application/vnd.plotly.v1+json"])
        assert "Plotly.newPlot" in bundle["text/html"]
    heat = charts.heatmap_chart(res, "da")
    assert list(heat.data[0].y) == ["Beta", "Alfa", "Intern"]
    assert heat.data[0].text[1][0] == "4,0"  # Alfa's strategic attention: mean of 5 and 3


def test_sliders_rerank_live(res):
    box = build(res, "da")

    def order() -> list[str]:
        html = box.ranking.value
        return sorted(["Alfa", "Beta", "Intern"], key=html.index)

    assert order() == ["Beta", "Alfa", "Intern"]
    box.sliders["strategic"].value = 5.0  # as computed by hand in test_needs_assessment
    assert order() == ["Alfa", "Beta", "Intern"]
    box.sliders["strategic"].value = 1.0
    assert order() == ["Beta", "Alfa", "Intern"]


def test_rerank_keeps_the_inputs(res):
    again = na.rerank(res, res.params.weights())
    pd.testing.assert_frame_equal(again.scores.table, res.scores.table)
    other = na.rerank(res, {**res.params.weights(), "strategic": 5.0})
    assert other.scores.table["activity_id"].tolist() == ["A", "B", "I"]
    assert res.scores.table["activity_id"].tolist() == ["B", "A", "I"]


def test_aggregate_rows_hold_no_forms_or_raters(res):
    rows = rollup.aggregate_rows(res, "2026-03")
    assert list(rows.columns) == list(rollup.AGGREGATE_COLUMNS)
    assert rows["gap"].tolist()[1] == "variance_explanation"
    text = rows.to_string()
    assert "Rater" not in text and "xlsx" not in text


def test_every_sample_department_gets_three_to_five_sentences(sample_dir):
    from toolkit.data.hierarchy import units_at_level
    from toolkit.data.sources import FolderSource

    source = FolderSource(sample_dir)
    params = settings(params_model()())
    for unit in units_at_level(source.units(), "department"):
        res = na.assess(source, unit, "2026-10", params)
        for lang in ("da", "en"):
            sentences = na.headline(res, ctx(lang))
            assert 3 <= len(sentences) <= 5, (unit, lang, sentences)
            assert all(s.endswith(".") and "{" not in s for s in sentences)
        if unit == "FS-KBA":  # one activity carries 89 % of the cost; none reaches a high need
            assert (
                na.headline(res, ctx("en"))[0]
                == "One activity accounts for 89% of the cost: Laboratorieanalyser."
            )
            assert (
                na.headline(res, ctx("en"))[3] == "Laboratorieanalyser exists in both time and finance data."
            )


def test_bubble_labels_that_would_overlap_go_to_different_sides():
    from toolkit.analyses.need_assessment.charts import label_positions

    places = label_positions(
        [1.25, 1.5, 4.0, 4.5],
        [2.0, 2.0, 2.0, 5.0],
        ["Administration og ledelse", "Uddannelse og undervisning", "Sengedage", "Operationer"],
    )
    # The two close neighbours: the first takes the top, the second moves below; the lone
    # bubble keeps the top; a bubble at the top of the scale is labelled below it.
    assert places == ["top center", "bottom center", "top center", "bottom center"]
    # Three bubbles of radius 10 px at one point: top, bottom, then right.
    assert label_positions([2, 2, 2], [3, 3, 3], ["Aaaa", "Bbbb", "Cccc"], [10, 10, 10]) == [
        "top center",
        "bottom center",
        "middle right",
    ]
    # A small bubble just above a big one (radius 16 px, 0,5 below = 33 px): its label goes
    # above; with that place taken by a third bubble, not below (it would cover the big bubble)
    # nor right (the big bubble's label is there) but left.
    x, y = [2.75, 1.75, 2.5], [3.5, 4.0, 4.0]
    names = ["Sengedage", "Ambulante besøg", "Kvalitet og udvikling"]
    assert label_positions(x, y, names, [16, 15, 3]) == ["top center"] * 3
    crowded = label_positions(
        [2.75, 2.5, 2.5], [3.5, 4.3, 4.0], ["Sengedage", "Noget andet", names[2]], [16, 3, 3]
    )
    assert crowded == ["top center", "top center", "middle left"]


def test_department_views_hold_the_notebook_branches(res):
    """The sections the notebook shows: heading, lead and blocks, with the notes for missing data."""
    ranking = na.ranking(res, ctx())
    assert ranking.title == "Styringsbehov pr. aktivitet"
    assert [type(b).__name__ for b in ranking.blocks] == ["Figure", "TableView", "Note"]
    assert ranking.blocks[2] == Note(
        "2 bedømmere. Navne vises ikke; spredningen er forskellen mellem højeste og laveste samlede "
        "score, når hver bedømmer regnes for sig."
    )
    assert [type(b).__name__ for b in na.profile(res, ctx()).blocks] == ["Figure"]
    assert isinstance(na.plan(res, ctx()).blocks[0], TableView)
    assert res.has_budget and na.data(res, ctx()).blocks[1] is None  # no note when there is a budget
    assert len(na.weights(res, ctx("en")).blocks) == 3
    assert na.title("en") == "Need assessment"


def test_views_without_forms_or_actions_say_so():
    empty = na.assess_input(need_input(), needs_forms.empty_forms(), NeedAssessmentParams())
    note = na.ranking(empty, ctx()).blocks[2]
    assert isinstance(note, Note) and note.text.startswith("Enheden har endnu ingen udfyldte workshopskemaer")
    assert f"--unit {UNIT}" in note.text
    assert isinstance(na.profile(empty, ctx()).blocks[0], Note)
    quiet = na.NeedResults(**{**empty.__dict__, "actions": empty.actions.head(0)})
    assert na.plan(quiet, ctx()).blocks == [
        Paragraph("Ingen handlinger: værktøjer og registrering dækker behovet.")
    ]

"""The need-assessment report: headline, tables, charts and sliders for the hand-computed unit."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from needs_data import UNIT, need_input, write_forms

from toolkit.analyses.need_assessment import forms as needs_forms
from toolkit.analyses.need_assessment import report as view
from toolkit.analyses.need_assessment.params import NeedAssessmentParams
from toolkit.analyses.need_assessment.widgets import weight_sliders
from toolkit.data.params import params_model
from toolkit.report.blocks import figure_bundle


@pytest.fixture
def res(tmp_path: Path) -> view.NeedResults:
    write_forms(tmp_path)
    forms = needs_forms.read_unit_forms(tmp_path, UNIT, {"A", "B", "I", "Z"})
    return view.assess_input(need_input(), forms, NeedAssessmentParams())


def test_headline_in_danish(res):
    # Cost shares A 50 %, B 41,7 % (together 91,7 %); scores B 4,0, A 3,7 (both high); gaps B 5 and
    # A 1, variance explanations missing for both; A has no costs booked on it.
    assert view.headline(res, "da") == [
        "To aktiviteter står for 92\u00a0% af omkostningerne: Alfa og Beta.",
        "Størst styringsbehov: Beta (4,0) og Alfa (3,7); 2 af 3 aktiviteter har højt behov (score mindst 3,5).",
        "Aktiviteterne med højt behov mangler 6 anbefalede værktøjer i dag, oftest afvigelsesforklaringer.",
        "Alfa har højt behov, men findes ikke i økonomidata.",
    ]


def test_headline_in_english(res):
    assert view.headline(res, "en") == [
        "Two activities account for 92% of the cost: Alfa and Beta.",
        "Highest management need: Beta (4.0) and Alfa (3.7); 2 of 3 activities have a high need (score at least 3.5).",
        "The high-need activities lack 6 recommended tools today, most often variance explanations.",
        "Alfa has a high need but is missing from the finance data.",
    ]


def test_headline_without_forms_says_so():
    empty = view.assess_input(need_input(), needs_forms.empty_forms(), NeedAssessmentParams())
    sentences = view.headline(empty, "da")
    assert sentences[1] == "Der er ingen workshopvurdering endnu; scoren bygger kun på enhedens data."
    assert empty.scores.table["judged_score"].isna().all()
    assert not view.has_profile(empty)


def test_headline_calls_out_disagreement(tmp_path):
    write_forms(tmp_path)
    forms = needs_forms.read_unit_forms(tmp_path, UNIT, {"A", "B", "I", "Z"})
    scores = forms.scores.copy()
    # Rater 2 gives A's risk 1 instead of 2; rater 1 gave 4: three points apart.
    scores.loc[
        (scores["rater"] == "2") & (scores["activity_id"] == "A") & (scores["criterion"] == "risk"), "score"
    ] = 1
    res = view.assess_input(
        need_input(), needs_forms.NeedForms(**{**forms.__dict__, "scores": scores}), NeedAssessmentParams()
    )
    assert (
        "Bedømmerne er mest uenige om risiko og konsekvens af fejl for Alfa (fra 1 til 4); drøft vurderingen igen."
        in view.headline(res, "da")
    )
    assert (
        view.action_texts(res, "da")[-1]
        == "Drøft risiko og konsekvens af fejl for Alfa igen: bedømmerne giver fra 1 til 4."
    )


def test_cards(res):
    cards = {c.label: c for c in view.cards(res, "da")}
    assert cards["Aktiviteter"].value == "3"
    assert cards["Højt styringsbehov"].value == "2"
    assert cards["Største behov"].value == "4,0" and cards["Største behov"].detail == "Beta"
    assert cards["Manglende værktøjer"].value == "6" and cards["Manglende værktøjer"].status == "red"
    assert cards["Mangler i tid eller økonomi"].value == "1"


def test_action_texts(res):
    assert view.action_texts(res, "da") == [
        "Indfør periodiseret budget, afvigelsesforklaringer, enhedsomkostninger, produktivitetsopfølgning og "
        "tavlestyring for Beta.",
        "Indfør afvigelsesforklaringer for Alfa.",
        "Registrér omkostninger på aktiviteten for Alfa.",
    ]
    assert view.action_texts(res, "en")[1] == "Introduce variance explanations for Alfa."


def test_tables_show_ranked_rows(res):
    ranking = view.ranking_table(res, "da")
    assert ranking.frame["name"].tolist() == ["Beta", "Alfa", "Intern"]
    assert ranking.frame["level_label"].tolist() == ["Højt", "Højt", "Lavt"]
    rec = view.recommendations_table(res, "da").frame.set_index("name")
    assert rec.loc["Alfa", "gap"] == "Afvigelsesforklaringer"
    assert rec.loc["Alfa", "missing_data"] == "omkostninger på aktiviteten"
    assert rec.loc["Intern", "recommended"] == "Let årlig gennemgang"
    assert rec.loc["Intern", "gap"] == "Let årlig gennemgang"  # recommended, not in use
    assert pd.isna(rec.loc["Beta", "missing_data"])
    reg = view.registration_table(res, "da").frame.set_index("name")
    assert reg.loc["Beta", "both"] and not reg.loc["Alfa", "both"]
    weights = view.weights_table(res.params, "da").frame
    assert weights["share"].sum() == pytest.approx(100) and len(weights) == 10
    assert "Høj risiko" in view.rules_table(res.params, "da").frame["rule"].tolist()
    assert "1.0" not in view.unmatched_note(res, "da")
    assert view.unmatched_note(res, "da").startswith("Ikke matchet på aktiviteten: 210 af 300 arbejdstimer")


def test_charts_are_plotly_figures_with_escaped_labels(res):
    for fig in (view.ranking_chart(res, "da"), view.profile_chart(res, "da"), view.heatmap_chart(res, "da")):
        bundle = figure_bundle(fig, "x")
        json.dumps(bundle["application/vnd.plotly.v1+json"])
        assert "Plotly.newPlot" in bundle["text/html"]
    heat = view.heatmap_chart(res, "da")
    assert list(heat.data[0].y) == ["Beta", "Alfa", "Intern"]
    assert heat.data[0].text[1][0] == "4,0"  # Alfa's strategic attention: mean of 5 and 3


def test_sliders_rerank_live(res):
    box = weight_sliders(res, "da", show=False)

    def order() -> list[str]:
        html = box.ranking.value
        return sorted(["Alfa", "Beta", "Intern"], key=html.index)

    assert order() == ["Beta", "Alfa", "Intern"]
    box.sliders["strategic"].value = 5.0  # as computed by hand in test_needs_assessment
    assert order() == ["Alfa", "Beta", "Intern"]
    box.sliders["strategic"].value = 1.0
    assert order() == ["Beta", "Alfa", "Intern"]


def test_rerank_keeps_the_inputs(res):
    again = view.rerank(res, res.params.weights())
    pd.testing.assert_frame_equal(again.scores.table, res.scores.table)
    other = view.rerank(res, {**res.params.weights(), "strategic": 5.0})
    assert other.scores.table["activity_id"].tolist() == ["A", "B", "I"]
    assert res.scores.table["activity_id"].tolist() == ["B", "A", "I"]


def test_aggregate_rows_hold_no_forms_or_raters(res):
    rows = view.aggregate_rows(res, "2026-03")
    assert list(rows.columns) == list(view.AGGREGATE_COLUMNS)
    assert rows["gap"].tolist()[1] == "variance_explanation"
    text = rows.to_string()
    assert "Rater" not in text and "xlsx" not in text


def test_every_sample_department_gets_three_to_five_sentences(sample_dir):
    from toolkit.data.hierarchy import units_at_level
    from toolkit.data.sources import FolderSource

    source = FolderSource(sample_dir)
    na = params_model()().need_assessment
    for unit in units_at_level(source.units(), "department"):
        res = view.assess(source, unit, "2026-10", na)
        for lang in ("da", "en"):
            sentences = view.headline(res, lang)
            assert 3 <= len(sentences) <= 5, (unit, lang, sentences)
            assert all(s.endswith(".") and "{" not in s for s in sentences)
        if unit == "FS-KBA":  # one activity carries 89 % of the cost; none reaches a high need
            assert (
                view.headline(res, "en")[0]
                == "One activity accounts for 89% of the cost: Laboratorieanalyser."
            )
            assert view.headline(res, "en")[3] == "Laboratorieanalyser exists in both time and finance data."


def test_bubble_labels_that_would_overlap_go_to_different_sides():
    from toolkit.analyses.need_assessment.report import label_positions

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

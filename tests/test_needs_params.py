"""The need-assessment parameters: defaults in step with the model, strict validation, overrides."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from toolkit.analyses.need_assessment.params import settings
from toolkit.core import config
from toolkit.core.errors import ParameterError
from toolkit.data.params import defaults_yaml, load_params, params_model

HEADER_LINES = 3  # the hand-written comment at the top of params/defaults.yaml


def test_defaults_file_is_the_model_defaults():
    text = (config.PARAMS_DIR / "defaults.yaml").read_text(encoding="utf-8")
    body = "".join(line + "\n" for line in text.splitlines()[HEADER_LINES:])
    assert body == defaults_yaml()
    assert yaml.safe_load(text) == params_model()().model_dump(mode="json")


def test_defaults_yaml_round_trips_containers():
    loaded = params_model().model_validate(yaml.safe_load(defaults_yaml()))
    assert loaded == params_model()()
    assert list(settings(loaded).criteria) == [
        "strategic",
        "complexity",
        "risk",
        "controllability",
        "data_availability",
    ]
    assert set(settings(loaded).weights().values()) == {1.0}  # default: equal weights


@pytest.fixture
def params_dir(tmp_path: Path) -> Path:
    root = tmp_path / "params"
    (root / "units").mkdir(parents=True)
    shutil.copy(config.PARAMS_DIR / "defaults.yaml", root / "defaults.yaml")
    return root


def write_unit(root: Path, unit: str, text: str) -> None:
    (root / "units" / f"{unit}.yaml").write_text(text, encoding="utf-8")


def test_unit_override_changes_only_what_it_names(params_dir):
    write_unit(params_dir, "FS-ORT", "need_assessment:\n  criteria:\n    risk:\n      weight: 3\n")
    p = settings(load_params(params_dir, "FS-ORT"))
    assert p.criteria["risk"].weight == 3
    assert p.criteria["risk"].name_da == "Risiko og konsekvens af fejl"
    assert p.criteria["strategic"].weight == 1
    assert settings(load_params(params_dir, "FS-KAR")).criteria["risk"].weight == 1


def test_an_institution_can_add_its_own_criterion(params_dir):
    write_unit(
        params_dir,
        "FS-KC",
        "need_assessment:\n  criteria:\n    patients:\n      name_da: Patientoplevelse\n"
        "      name_en: Patient experience\n      weight: 2\n",
    )
    p = settings(load_params(params_dir, "FS-ORT", ancestors=["FS", "FS-KC"]))
    assert list(p.criteria)[-1] == "patients" and p.weights()["patients"] == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "need_assessment:\n  criteria:\n    risk:\n      weigth: 2\n",
            "unknown parameter 'need_assessment.criteria.risk.weigth'",
        ),
        ("need_assessment:\n  indicators:\n    speed:\n      full_at: 3\n", "unknown indicators ['speed']"),
        (
            "need_assessment:\n  rules:\n    low:\n      tools: [coffee]\n",
            "rule 'low': unknown tool 'coffee'",
        ),
        (
            "need_assessment:\n  rules:\n    x:\n      name_da: x\n      name_en: x\n      when: [{key: mood, min: 3}]\n      tools: [annual_review]\n",
            "rule 'x': unknown key 'mood'",
        ),
        ("need_assessment:\n  rules:\n    risk:\n      when: [{key: risk}]\n", "needs min or max"),
        ("need_assessment:\n  high_need: 2\n", "medium_need (2.5) must not be above high_need (2.0)"),
        (
            "need_assessment:\n  criteria:\n    risk:\n      weight: -1\n",
            "'need_assessment.criteria.risk.weight'",
        ),
        (
            "need_assessment:\n  criteria:\n    cost_share:\n      name_da: a\n      name_en: a\n",
            "differ from the indicators",
        ),
    ],
)
def test_bad_parameters_name_file_and_key(params_dir, text, message):
    write_unit(params_dir, "FS-ORT", text)
    with pytest.raises(ParameterError, match=r"FS-ORT\.yaml") as info:
        load_params(params_dir, "FS-ORT")
    assert message in str(info.value)


def test_every_weight_zero_is_refused(params_dir):
    zero = "\n".join(
        [
            "need_assessment:",
            "  criteria:",
            *[f"    {k}:\n      weight: 0" for k in settings(params_model()()).criteria],
            "  indicators:",
            *[f"    {k}:\n      weight: 0" for k in settings(params_model()()).indicators],
        ]
    )
    write_unit(params_dir, "FS-ORT", zero + "\n")
    with pytest.raises(ParameterError, match="at least one criterion or indicator needs a weight above 0"):
        load_params(params_dir, "FS-ORT")

from pathlib import Path

import pytest
import yaml

from toolkit.core import config
from toolkit.core.errors import ParameterError
from toolkit.data.params import check_unit_id, load_params, params_model


def test_committed_defaults_equal_the_model_defaults():
    """params/defaults.yaml states every default of the parameter model, and nothing else."""
    committed = yaml.safe_load((config.PARAMS_DIR / "defaults.yaml").read_text(encoding="utf-8"))
    assert params_model().model_validate(committed) == params_model()()
    assert committed == params_model()().model_dump(mode="json")


def test_unit_overrides_are_inherited_down_the_hierarchy(tmp_path: Path):
    (tmp_path / "units").mkdir()
    (tmp_path / "defaults.yaml").write_text("language: da\n")
    (tmp_path / "units" / "C1.yaml").write_text("kpi:\n  sick_leave_alert_pct: 4.0\n  trend_months: 6\n")
    (tmp_path / "units" / "D1.yaml").write_text("kpi:\n  trend_months: 12\n")
    p = load_params(tmp_path, "D1", ancestors=["H", "C1"])
    assert p.kpi.sick_leave_alert_pct == 4.0  # from the centre
    assert p.kpi.trend_months == 12  # the department's own file wins
    assert p.kpi.forecast_method == "remaining_budget"  # default
    sibling = load_params(tmp_path, "D2", ancestors=["H", "C1"])
    assert sibling.kpi.trend_months == 6


def test_run_time_language_override(tmp_path: Path):
    (tmp_path / "defaults.yaml").write_text("language: da\n")
    assert load_params(tmp_path, "D1", overrides={"language": "en"}).language == "en"
    assert load_params(tmp_path, "D1", overrides={"language": None}).language == "da"


def test_unknown_key_names_file_and_key(tmp_path: Path):
    (tmp_path / "units").mkdir()
    (tmp_path / "defaults.yaml").write_text("language: da\n")
    (tmp_path / "units" / "D1.yaml").write_text("kpi:\n  forcast_method: run_rate\n")
    with pytest.raises(ParameterError, match=r"D1\.yaml: unknown parameter 'kpi\.forcast_method'"):
        load_params(tmp_path, "D1")


def test_wrong_type_names_file_and_key(tmp_path: Path):
    (tmp_path / "defaults.yaml").write_text("kpi:\n  trend_months: many\n")
    with pytest.raises(ParameterError, match=r"defaults\.yaml: 'kpi\.trend_months' .*got 'many'"):
        load_params(tmp_path)


@pytest.mark.parametrize(
    "values",
    [
        {"privacy": {"min_group_size": 3}},  # never below 5
        {"language": "de"},
        {"kpi": {"goal_thresholds": {"green": 0.9, "amber": 1.0}}},  # amber above green
        {"kpi": {"forecast_method": "guess"}},
    ],
)
def test_invalid_values_are_rejected(tmp_path: Path, values):
    (tmp_path / "defaults.yaml").write_text(yaml.safe_dump(values))
    with pytest.raises(ParameterError):
        load_params(tmp_path)


@pytest.mark.parametrize("bad", ["../x", "a/b", "x y", "", "..", "FS-KAR;rm", None, 3])
def test_unsafe_unit_ids_are_rejected(bad):
    with pytest.raises(ParameterError, match="unit id must consist of letters, digits"):
        check_unit_id(bad)


def test_safe_unit_id():
    assert check_unit_id("FS-KAR_2") == "FS-KAR_2"


def test_unit_id_is_checked_before_a_path_is_built(tmp_path: Path):
    (tmp_path / "defaults.yaml").write_text("language: da\n")
    with pytest.raises(ParameterError):
        load_params(tmp_path, "../../etc/passwd")

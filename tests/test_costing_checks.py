"""Bad unit-cost input: one clear message naming the file, the column, the rows and the rule."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from toolkit import analyses
from toolkit.data.sources import FolderSource

analyses.load_all()


def _edit_csv(path: Path, edit) -> pd.DataFrame:
    """Change a Danish CSV file: ``edit`` changes the frame in place or returns a new one."""
    df = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    changed = edit(df)
    df = df if changed is None else changed
    df.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    return df


def _row(df: pd.DataFrame, mask: pd.Series) -> int:
    """The spreadsheet row (header = 1) of the first row matching ``mask``."""
    return int(mask.to_numpy().nonzero()[0][0]) + 2


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path):
    """The sample with one mistake of each kind, each in a different unit; validated once."""
    import shutil

    data = tmp_path_factory.mktemp("broken") / "data"
    shutil.copytree(sample_dir, data)
    rows: dict[str, int] = {}

    def ledger(df: pd.DataFrame) -> None:
        salary = (
            (df["cost_centre_id"] == "FS-GER-K") & (df["cost_type"] == "LOEN") & (df["period"] == "2026-03")
        )
        df.loc[salary, "amount"] = "-1.250,50"  # negative salary: not allowed
        rows["negative"] = _row(df, salary)
        refund = (df["cost_centre_id"] == "FS-KOST") & (df["cost_type"] == "REFUSION")
        assert refund.any()  # negative canteen income is allowed (REFUSION allows it)
        other = (
            (df["cost_centre_id"] == "FS-LUN-K")
            & (df["period"] == "2026-02")
            & (df["cost_type"] == "MEDICIN")
        )
        df.loc[other, "unit_id"] = "FS-KAR"  # a line booked on another unit's cost centre
        rows["unit"] = _row(df, other)

    _edit_csv(data / "ledger.csv", ledger)

    def drivers(df: pd.DataFrame) -> pd.DataFrame:
        gone = (df["from_centre"] == "FS-STER") & (df["year"] == "2024")
        df = df[~gone].reset_index(drop=True)  # the sterile centre has costs in 2024 but no key
        meals = (df["from_centre"] == "FS-KOST") & (df["year"] == "2026")
        df.loc[meals, "quantity"] = "0"  # a key with no quantity
        rows["zero"] = _row(df, meals)
        empty = (df["from_centre"] == "FS-STER") & (df["year"] == "2025")
        df.loc[empty[empty].index[0], "quantity"] = ""  # a driver with no quantity at all
        rows["empty"] = _row(df, empty)
        # 2024: IT and buildings serve only each other, so their costs can never reach a patient.
        for centre, other in (("FS-IT", "FS-BYG"), ("FS-BYG", "FS-IT")):
            mine = (df["from_centre"] == centre) & (df["year"] == "2024")
            df.loc[mine & (df["to_centre"] != other), "quantity"] = "0"
        rows["cycle"] = _row(
            df, (df["from_centre"] == "FS-IT") & (df["to_centre"] == "FS-BYG") & (df["year"] == "2024")
        )
        return df

    _edit_csv(data / "allocation_drivers.csv", drivers)

    def minutes(df: pd.DataFrame) -> None:
        hit = df["resource_id"] == "FS-ORT-K-OP"
        df.loc[hit, "resource_id"] = "FS-ORT-K-ROBOT"  # a resource the resources table does not have
        rows["resource"] = _row(df, hit)

    _edit_csv(data / "standard_minutes.csv", minutes)
    contacts = pd.read_parquet(data / "contacts.parquet")
    end = contacts.index[contacts["unit_id"] == "FS-END"][4]
    contacts.loc[end, "drg_group"] = "99XX99"  # an unknown DRG group
    rows["unknown_group"] = int(end) + 1
    contacts.to_parquet(data / "contacts.parquet", index=False)
    acts = pd.read_parquet(data / "contact_activities.parquet")
    uro = acts.index[acts["unit_id"] == "FS-URO"][2]
    acts.loc[uro, "contact_id"] = "KT9999999999"  # an activity of a contact that does not exist
    rows["orphan"] = int(uro) + 1
    acts.to_parquet(data / "contact_activities.parquet", index=False)
    report = FolderSource(data).validate_all()
    return report, rows


def _find(report, text: str):
    found = [p for p in report.problems if text in str(p)]
    assert found, f"no problem mentions {text!r}:\n" + "\n".join(map(str, report.problems))
    return found[0]


def test_a_negative_ledger_amount_where_none_is_allowed(broken):
    report, rows = broken
    p = _find(report, "must be ≥ 0 for this cost type")
    assert str(p).startswith(
        f"ledger.csv, column 'amount', row {rows['negative']}: must be ≥ 0 for this cost type"
    )
    assert "'-1.250,50'" in str(p) and p.units == frozenset({"FS-GER"})


def test_a_ledger_line_on_another_units_cost_centre(broken):
    report, rows = broken
    p = _find(report, "must be the unit that cost_centre_id belongs to")
    assert f"ledger.csv, column 'unit_id', row {rows['unit']}" in str(p)


def test_a_key_with_no_quantity(broken):
    report, rows = broken
    p = _find(report, "the key has no quantity")
    assert f"allocation_drivers.csv, column 'quantity', rows {rows['zero']}," in str(p)
    assert p.units == frozenset({"FS"})  # the hospital's kitchen: every unit-cost report of FS depends on it


def test_a_driver_with_an_empty_quantity(broken):
    report, rows = broken
    p = _find(report, "must not be empty")
    assert f"allocation_drivers.csv, column 'quantity', row {rows['empty']}: must not be empty" in str(p)


def test_an_allocation_cycle(broken):
    report, rows = broken
    p = _find(report, "allocation cycle in 2024")
    assert "FS-BYG, FS-IT pass costs only among themselves" in str(p)
    assert f"allocation_drivers.csv, column 'to_centre', rows {rows['cycle']}, " in str(p)
    assert p.n_rows == 2 and p.values == ("FS-BYG", "FS-IT")  # the two links of the loop


def test_a_contact_with_an_unknown_drg_group(broken):
    report, rows = broken
    p = _find(report, "unknown drg_groups key")
    assert str(p) == (
        f"contacts.parquet, column 'drg_group', row {rows['unknown_group']}: unknown drg_groups key "
        "(not in the drg_groups table) (found '99XX99')"
    )
    assert p.units == frozenset({"FS-END"})


def test_an_activity_of_an_unknown_contact_does_not_show_the_contact_key(broken):
    report, rows = broken
    p = _find(report, "contact not in the contacts table")
    assert f"contact_activities.parquet, column 'contact_id', row {rows['orphan']}" in str(p)
    assert "KT9999999999" not in str(p)  # a person-level key never reaches a message
    assert p.units == frozenset({"FS-URO"})


def test_an_intermediate_centre_with_costs_but_no_key(broken):
    report, _ = broken
    p = _find(report, "intermediate cost centre with costs but no allocation key for the year")
    assert p.table == "ledger" and p.column == "cost_centre_id" and p.values[0] == "FS-STER"
    assert p.n_rows == 2 * 5  # November and December 2024, five cost types each


def test_standard_minutes_of_an_unknown_resource(broken):
    report, rows = broken
    p = _find(report, "unknown resource")
    assert str(p).startswith(
        f"standard_minutes.csv, column 'resource_id', row {rows['resource']}: unknown resource"
    )
    assert p.units == frozenset({"FS-ORT"})


def test_every_other_rule_holds_on_the_sample(broken):
    report, _ = broken
    texts = [str(p) for p in report.problems]
    assert len(texts) == 9, "\n".join(texts)  # one message per mistake, nothing else

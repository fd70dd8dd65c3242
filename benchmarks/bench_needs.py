"""Benchmark of the need assessment at scale (run once; not part of the tests).

    .venv/bin/python benchmarks/bench_needs.py [--scale K]

Generates K fictional hospitals (K × 11 departments, each with 2–3 filled-in forms), then times:

1. validating every form (what ``toolkit validate`` and the runner's staging add);
2. staging with the centre roll-up aggregate for every department (``need_assessment``);
3. one department's assessment from the staged data (what a report computes);
4. re-ranking with new weights (what a slider does in JupyterLab);
5. the scoring alone for 2.000 activities × 25 raters (the vectorised core).

Goals: a form in under 50 ms; a department's assessment in under 1 s; a slider move in
under 0.1 s; the roll-up linear in the number of departments.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import toolkit.analyses.need_assessment as analysis
from toolkit import analyses
from toolkit.analyses.need_assessment import forms as needs_forms
from toolkit.analyses.need_assessment import rollup
from toolkit.analyses.need_assessment import scoring as needs
from toolkit.analyses.need_assessment.params import settings
from toolkit.data.hierarchy import ancestors, units_at_level
from toolkit.data.params import Params, load_params
from toolkit.data.sources import FolderSource
from toolkit.run import staging
from toolkit.run.samples import write_sample


def timed(func, repeat: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="hospitals (11 departments each)")
    args = parser.parse_args()
    analyses.load_all()
    params_dir = Path(__file__).resolve().parents[1] / "params"
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        t_gen, _ = timed(lambda: write_sample(data, seed=42, scale=args.scale))
        folder = FolderSource(data)
        units = folder.units()
        departments = units_at_level(units, "department")
        centres = units_at_level(units, "centre")
        n_forms = len(list((data / "forms").rglob("*.xlsx")))
        rows = [("sample data generated", f"{len(departments)} departments, {n_forms} forms", t_gen)]

        t_forms, problems = timed(lambda: needs_forms.check_forms(folder))
        assert not problems
        rows.append(
            ("validate every form", f"{n_forms} forms, {t_forms / n_forms * 1000:.1f} ms each", t_forms)
        )

        cache: dict[str, Params] = {}

        def params_for(uid: str) -> Params:
            if uid not in cache:
                cache[uid] = load_params(params_dir, uid, ancestors=ancestors(units, uid))
            return cache[uid]

        period = folder.latest_period()
        stage_dir = Path(tmp) / "staged"
        t_stage, staged = timed(
            lambda: staging.stage(
                folder, stage_dir, period=period, aggregate_units=centres, params_for=params_for
            )
        )
        agg = staged.source.aggregate(rollup.AGGREGATE)
        rows.append(
            (
                "stage incl. roll-up aggregate",
                f"{agg['unit_id'].nunique()} departments in the aggregate",
                t_stage,
            )
        )
        source = staged.source
        t_agg, _ = timed(lambda: rollup.need_aggregate(source, period, centres, params_for))
        rows.append(
            (
                "roll-up aggregate alone",
                f"{t_agg / len(departments) * 1000:.0f} ms per department",
                t_agg,
            )
        )
        unit = departments[len(departments) // 2]
        na = settings(params_for(unit))
        t_one, res = timed(lambda: analysis.assess(source, unit, period, na), repeat=5)
        rows.append(("one department's assessment (staged)", unit, t_one))
        weights = {**na.weights(), "strategic": 3.0}
        t_rerank, _ = timed(lambda: analysis.rerank(res, weights), repeat=20)
        rows.append(("re-rank with new weights (slider)", f"{len(res.activities)} activities", t_rerank))

        rng = np.random.default_rng(1)
        n_act, n_raters = 2000, 25
        ids = [f"A{i}" for i in range(n_act)]
        criteria = list(na.criteria)
        raters = pd.DataFrame(
            {
                "rater": np.repeat([str(r) for r in range(n_raters)], n_act * len(criteria)),
                "activity_id": np.tile(np.repeat(ids, len(criteria)), n_raters),
                "key": np.tile(criteria, n_act * n_raters),
                "score": rng.integers(1, 6, n_act * len(criteria) * n_raters).astype(float),
            }
        )
        data_scores = pd.DataFrame(
            {
                "activity_id": np.repeat(ids, len(na.indicators)),
                "key": np.tile(list(na.indicators), n_act),
                "score": rng.uniform(1, 5, n_act * len(na.indicators)),
            }
        )
        t_score, _ = timed(lambda: needs.score_activities(ids, data_scores, raters, na.weights()), repeat=3)
        rows.append(
            ("score_activities", f"{n_act} activities × {n_raters} raters ({len(raters):,} scores)", t_score)
        )

    width = max(len(r[0]) for r in rows)
    print(f"need assessment benchmark, scale {args.scale}")
    for name, detail, seconds in rows:
        print(f"  {name:<{width}}  {seconds:8.3f} s  {detail}")


if __name__ == "__main__":
    main()

"""What every report needs before it computes anything: unit, period, parameters and data.

:func:`open_context` is the first call of every notebook. It checks the notebook's
parameters (a unit id that is safe in a path and exists, a month that is in the data) and
loads the unit's parameters with their overrides, so that a mistake stops the report with one
clear message before any figure is computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from toolkit.core.formatting import Language
from toolkit.core.periods import TIMEZONE
from toolkit.data.hierarchy import Unit, ancestors, unit_info
from toolkit.data.params import Params, check_unit_id, load_params, parse_settings
from toolkit.data.sources import DataSource, open_source
from toolkit.measures.inputs import default_period


@dataclass(frozen=True)
class ReportContext:
    """One report's unit, period, parameters and data source."""

    notebook: str
    unit: Unit
    period: str
    params: Params
    source: DataSource
    as_of: date
    generated_at: datetime
    params_dir: Path
    #: The run-time parameter settings (``SECTION.KEY=VALUE``) this report was opened with.
    settings: tuple[str, ...] = ()

    @property
    def lang(self) -> Language:
        """The report language."""
        return self.params.language

    def switch(self, *, unit: str, period: str | None) -> ReportContext:
        """The same report for another unit or month, on the same data and parameter folder.

        The widgets use it; the language and the settings stay the ones this report was opened with.
        """
        return open_context(
            self.notebook,
            unit=unit,
            period=period,
            data_dir="",
            params_dir=self.params_dir,
            language=self.lang,
            source=self.source,
            settings=self.settings,
        )


def open_context(
    notebook: str,
    *,
    unit: str,
    period: str | None,
    data_dir: str | Path,
    params_dir: str | Path,
    language: str | None = None,
    source: DataSource | None = None,
    settings: Sequence[str] = (),
) -> ReportContext:
    """Check the notebook parameters and open the data.

    Parameters
    ----------
    notebook
        The notebook's name (``kpi``, ``unit-cost``, ...).
    unit
        The unit id.
    period
        The month (``YYYY-MM``); ``None`` takes the latest month the unit's inputs cover
        completely (:func:`~toolkit.measures.inputs.default_period`).
    data_dir, params_dir
        The data folder (or staged dataset) and the parameter folder.
    language
        ``"da"`` or ``"en"``; ``None`` keeps the parameter files' choice.
    source
        An already opened data source (the widgets reuse one).
    settings
        Parameter settings ``SECTION.KEY=VALUE`` for this report (``toolkit run --set``), applied
        over the parameter files with the same validation (:func:`~toolkit.data.params.parse_settings`).

    Raises
    ------
    ParameterError
        For an unsafe or unknown unit, a month that is not in the data, or bad parameters.
    """
    check_unit_id(unit)
    src = source or open_source(data_dir)
    units = src.units()
    info = unit_info(units, unit)
    chosen = src.report_period(period) if period is not None else default_period(src, [unit])
    params = load_params(
        params_dir,
        unit,
        ancestors=ancestors(units, unit),
        overrides={**parse_settings(settings), "language": language},
    )
    return ReportContext(
        notebook=notebook,
        unit=info,
        period=chosen,
        params=params,
        source=src,
        as_of=src.as_of(),
        generated_at=datetime.now(TIMEZONE),
        params_dir=Path(params_dir),
        settings=tuple(settings),
    )

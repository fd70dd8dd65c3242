"""Management information for Danish hospitals.

Parameterised notebooks over a tested library: the data model (:mod:`toolkit.data`,
:mod:`toolkit.schemas`), the KPIs (:mod:`toolkit.kpi`), the report building blocks
(:mod:`toolkit.report`, :mod:`toolkit.figures`) and the runner (:mod:`toolkit.runner`).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("toolkit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]

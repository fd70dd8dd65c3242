"""Management information for Danish hospitals.

Parameterised notebooks over a tested library in layers (``docs/architecture.md``):
:mod:`toolkit.core` (errors, periods, formats, texts), :mod:`toolkit.data` (the data model
and access to it), :mod:`toolkit.measures` (the shared KPIs), :mod:`toolkit.report` (report
building blocks), :mod:`toolkit.analyses` (one package per analysis) and :mod:`toolkit.run`
(the runner and the command line).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("toolkit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]

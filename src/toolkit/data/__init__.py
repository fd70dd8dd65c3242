"""The data layer: sources (folder, staged), readers, validation, the unit tree, parameters, table schemas and the sample registry."""

import sys
import types


def _pandera_without_dask() -> None:
    """Keep pandera from importing ``dask.dataframe`` when it builds a schema.

    pandera's ``get_index_types`` imports ``pandera.typing.dask`` to recognise Dask-typed
    annotations, and that imports ``dask.dataframe`` whenever Dask is installed (it is, for
    ``toolkit run --scheduler``): about 1 s in every process that validates, the runner and
    each report kernel. The toolkit's schemas are pandas models only, so the module is
    registered here as pandera's own fallback for "Dask not installed" (``DASK_INSTALLED =
    False``) unless something imported it already.
    """
    name = "pandera.typing.dask"
    if name not in sys.modules:
        stub = types.ModuleType(name, "pandera's Dask types, left out by the toolkit (pandas schemas only).")
        setattr(stub, "DASK_INSTALLED", False)  # noqa: B010  (a module made here)
        sys.modules[name] = stub


_pandera_without_dask()

"""The runner: job planning, execution on worker kernels, outputs (manifest, index), staging and the command line.

:mod:`~toolkit.run.runner` orchestrates a run; :mod:`~toolkit.run.jobs` plans it,
:mod:`~toolkit.run.executor` and :mod:`~toolkit.run.worker` make the reports,
:mod:`~toolkit.run.outputs` writes the manifest and index, :mod:`~toolkit.run.cli` is the
``toolkit`` command.
"""

import sys as _sys

#: Exit status of ``toolkit``: ok, a report or the data failed, a usage or configuration error.
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

# Every process of a run (the runner, its workers, Dask workers) reads notebooks with nbformat,
# which imports jsonschema; jsonschema then loads the optional ``rfc3987_syntax`` format
# checker, which compiles a grammar at import: about 1 s per process, more than a third of a
# worker's start. No notebook schema uses the formats it checks (``iri``, ``iri-reference``),
# so a run's processes go without it (an import of it raises ImportError, which jsonschema
# expects of an optional checker). A notebook in JupyterLab is not affected.
_sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

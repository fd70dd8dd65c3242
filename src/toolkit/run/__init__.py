"""The runner: job planning, execution on worker kernels, outputs (manifest, index), staging and the command line.

:mod:`~toolkit.run.runner` orchestrates a run; :mod:`~toolkit.run.jobs` plans it,
:mod:`~toolkit.run.executor` and :mod:`~toolkit.run.worker` make the reports,
:mod:`~toolkit.run.outputs` writes the manifest and index, :mod:`~toolkit.run.cli` is the
``toolkit`` command.
"""

#: Exit status of ``toolkit``: ok, a report or the data failed, a usage or configuration error.
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

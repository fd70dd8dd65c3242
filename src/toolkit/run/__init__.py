"""The runner: job planning, execution on worker kernels, outputs (manifest, index), staging and the command line."""

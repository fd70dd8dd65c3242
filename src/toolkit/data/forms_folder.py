"""Where a source's filled-in forms lie: the inputs that are not tables.

The filled-in forms (the need-assessment workshop forms, the shift-assessment self-assessments)
are Excel files in a *forms folder*: ``<forms>/need-assessment/<unit_id>/<name>.xlsx`` and
``<forms>/shift-assessment/<unit_id>/<name>.xlsx``. A data folder's forms folder is its
``forms/`` subfolder; a database has none unless one is given (``toolkit run --forms DIR``,
``toolkit validate --forms DIR``), and a report then says that the forms are missing, as for a
folder without them. A Parquet store is a folder: its forms folder is its ``forms/`` subfolder
(``toolkit load-db --to DIR`` copies them there), unless one is given.

The readers of the forms name every file relative to the folder that holds ``forms/``
(``forms/need-assessment/FS-ORT/rater-2.xlsx``): :func:`forms_base` gives them that folder for
any forms folder, so a message names a form the same way whatever the source.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from toolkit.core.errors import ParameterError
from toolkit.core.files import fingerprint_files

#: The forms folder of a data folder (and of a Parquet store) is this subfolder.
FORMS_DIR = "forms"
#: What :func:`forms_base` gives for a source without forms (a folder that never exists).
NO_FORMS = Path("/nonexistent/toolkit-source-has-no-forms")
#: The private folders that present a forms folder of another name as ``forms/`` (see :func:`forms_base`).
VIEW_PREFIX = "toolkit-forms-view-"


def given_forms_folder(path: str | Path) -> Path:
    """A forms folder given on the command line, checked and made absolute.

    Raises
    ------
    ParameterError
        If ``path`` is not a folder (one line, exit 2).
    """
    folder = Path(path).expanduser()
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise ParameterError(
            f"--forms {path}: the forms folder {what} "
            f"(it holds need-assessment/<unit_id>/ and shift-assessment/<unit_id>/)"
        )
    return folder.resolve()


def forms_files(folder: Path | None) -> list[Path]:
    """Every file under the forms folder ``folder``, sorted ([] for None or a missing folder)."""
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file())


def forms_fingerprint(folder: Path | None) -> str:
    """SHA-256 over the names (relative to ``folder``) and contents of the filled-in forms.

    Empty for a source without forms. Part of a source's fingerprint and of the cache key of the
    checks across tables: a changed, added or removed form is checked again.
    """
    files = forms_files(folder)
    if folder is None or not files:
        return ""
    return fingerprint_files(files, folder)


def forms_base(folder: Path | None) -> Path:
    """The folder whose ``forms/`` subfolder is the forms folder ``folder`` (what the readers take).

    A forms folder named ``forms`` (a data folder's, or ``--forms /data/x/forms``) has its
    parent. One of another name is presented through a private folder of this user's temporary
    folder that holds only a link ``forms`` to it (made once, reused): the forms are read where
    they lie, never copied. None gives :data:`NO_FORMS`.
    """
    if folder is None:
        return NO_FORMS
    folder = Path(folder)
    if folder.name == FORMS_DIR:
        return folder.parent
    target = folder.resolve()
    digest = hashlib.sha256(os.fsencode(target)).hexdigest()[:16]
    view = Path(tempfile.gettempdir()) / f"{VIEW_PREFIX}{os.getuid()}-{digest}"
    link = view / FORMS_DIR
    if not (link.is_symlink() and link.resolve() == target):
        view.mkdir(mode=0o700, exist_ok=True)
        fresh = view / f".{FORMS_DIR}-{os.getpid()}"
        fresh.unlink(missing_ok=True)
        fresh.symlink_to(target, target_is_directory=True)
        fresh.replace(link)  # atomic: a reader sees the old link or the new one
    return view


__all__ = [
    "FORMS_DIR",
    "NO_FORMS",
    "forms_base",
    "forms_files",
    "forms_fingerprint",
    "given_forms_folder",
]

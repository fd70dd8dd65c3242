"""Documentation that must not drift from the code."""

from __future__ import annotations

import re

from toolkit import analyses
from toolkit.core import config
from toolkit.data.docs import BEGIN, END, data_model_reference


def test_data_model_reference_is_up_to_date():
    analyses.load_all()
    text = (config.PROJECT_ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    generated = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert generated == data_model_reference().strip(), "run: toolkit schema-doc --write docs/data-model.md"


def test_readme_quick_start_has_exactly_two_commands():
    readme = (config.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make reports", "make test"]


def test_ci_calls_the_readme_test_command():
    assert "make test" in (config.PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_architecture_tree_names_real_modules():
    """Every module the architecture guide's tree names exists (the guide follows the code)."""
    text = (config.PROJECT_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    tree = text.split("```\nsrc/toolkit/\n", 1)[1].split("```", 1)[0]
    src = config.PROJECT_ROOT / "src" / "toolkit"
    missing, layer = [], None
    for line in tree.splitlines():
        indent = len(line) - len(line.lstrip())
        words = line.split()
        if not words:
            continue
        if indent == 2:
            layer = words[0].rstrip("/")
            assert (src / layer).is_dir(), layer
        elif indent == 4 and layer not in (None, "analyses", "run"):
            names = words if layer == "measures" else words[:1]
            for name in names:
                name = name.rstrip("/;:")
                if not ((src / layer / f"{name}.py").is_file() or (src / layer / name).is_dir()):
                    missing.append(f"{layer}/{name}")
    assert not missing, f"docs/architecture.md names modules that do not exist: {missing}"

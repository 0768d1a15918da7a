"""The build backend: maturin (it compiles the Rust core in src/ and packs the package `cleaner`
with it as `cleaner._core`), plus one step maturin has no option for. The repo keeps its built-in
rules at the top (rules/, where rule authors and the docs look for them), and an installed package
reads them from inside itself, `cleaner/_rules` (see `cleaner.rules.load.builtin_rules_dir`).
maturin's `include` keeps a file's path, so a wheel build copies rules/ to cleaner/_rules for the
time of the build (gitignored, and removed after it, a copy a killed build left behind included)
and `[tool.maturin] include` packs the copy. Every other hook is maturin's own: the sdist ships
rules/ as it is, and an editable install reads the checkout's rules/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import maturin

RULES = Path("rules")
PACKAGED_RULES = Path("cleaner") / "_rules"

build_sdist = maturin.build_sdist
build_editable = maturin.build_editable
get_requires_for_build_wheel = maturin.get_requires_for_build_wheel
get_requires_for_build_sdist = maturin.get_requires_for_build_sdist
get_requires_for_build_editable = maturin.get_requires_for_build_editable
prepare_metadata_for_build_wheel = maturin.prepare_metadata_for_build_wheel
prepare_metadata_for_build_editable = maturin.prepare_metadata_for_build_editable


@contextmanager
def rules_in_package() -> Iterator[None]:
    shutil.rmtree(PACKAGED_RULES, ignore_errors=True)
    shutil.copytree(RULES, PACKAGED_RULES)
    try:
        yield
    finally:
        shutil.rmtree(PACKAGED_RULES, ignore_errors=True)


def build_wheel(wheel_directory: str, config_settings: Mapping[str, Any] | None = None,
                metadata_directory: str | None = None) -> str:
    with rules_in_package():
        return maturin.build_wheel(wheel_directory, config_settings, metadata_directory)

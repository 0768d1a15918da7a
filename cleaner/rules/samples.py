"""A rule set's sample pages (its ``tests`` key), cleaned offline and checked: the text must
contain and lack what the sample says and the record must have the fields it gives. With each
rule's examples, this is what ``cleaner rules test`` runs (like FiveFilters' ``test_url`` and
``test_contains``, without fetching anything)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.errors import CleanerError
from cleaner.pipeline import clean
from cleaner.rules import yamlfile
from cleaner.rules.rulebook import Rulebook


@dataclass(frozen=True)
class Sample:
    """One entry of a rule set's ``tests``."""

    rule_file: Path
    line: int | None  # of the entry, in the rule file
    page: str  # as written: relative to the rule file's folder
    url: str | None = None
    contains: tuple[str, ...] = ()
    lacks: tuple[str, ...] = ()
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.rule_file.parent / self.page


def read_samples(rule_file: Path) -> list[Sample]:
    """The samples a rule file names (none when it has no ``tests``). The file has been loaded
    (and so validated) already: this reads only its ``tests``."""
    data = yamlfile.load(rule_file.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        return []
    out = []
    for i, entry in enumerate(data.get("tests") or []):
        out.append(Sample(rule_file, yamlfile.line_of(data, ["tests", i]), entry["page"],
                          entry.get("url"), tuple(entry.get("contains", [])),
                          tuple(entry.get("lacks", [])), dict(entry.get("fields", {}))))
    return out


def check_sample(sample: Sample, rulebook: Rulebook) -> list[str]:
    """Clean the sample page with ``rulebook``; what does not hold, in words (empty: it passes)."""
    try:
        data = sample.path.read_bytes()
        doc = clean(data, rulebook, url=sample.url, source=sample.path.name, name=str(sample.path))
    except OSError as exc:
        return [f"cannot read the sample page {sample.path}: {exc.strerror or exc}"]
    except CleanerError as exc:
        return [f"the sample page could not be cleaned: {exc}"]
    failures = [f"the text should contain {text!r} but does not" for text in sample.contains
                if text not in doc.text]
    failures += [f"the text should not contain {text!r} but does" for text in sample.lacks
                 if text in doc.text]
    record = doc.record()
    for name, want in sample.fields.items():
        got = record.get(name)
        if isinstance(got, list) and isinstance(want, str):
            ok = want in got
        else:
            ok = got == want
        if not ok:
            failures.append(f"{name} should be {want!r}, is {got!r}")
    return failures

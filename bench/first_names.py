"""Write the given names the byline search reads (`cleaner/meta/first_names.json`) from Faker.

    python bench/first_names.py

Faker's person providers list given names for its 80-odd locales; the cleaner reads them
lower-cased, as one set. Importing every locale's provider took a third of a second at each
start, so the set is written once here, sorted, and shipped in the package;
tests/test_metadata.py checks that the file still says what the installed Faker says.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import pkgutil
import sys
from pathlib import Path

NAMES_FILE = Path(__file__).resolve().parents[1] / "cleaner" / "meta" / "first_names.json"


def faker_first_names() -> list[str]:
    """Every given name of Faker's person providers, lower-cased, sorted, each once."""
    import faker.providers.person as person

    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = getattr(importlib.import_module(f"{person.__name__}.{module.name}"), "Provider", None)
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            value = vars(provider).get(attribute) if provider is not None else None
            if isinstance(value, (dict, list, tuple, set, frozenset)):
                names.update(str(name).lower() for name in value)
    return sorted(names)


def main() -> int:
    names = faker_first_names()
    source = (f"Faker {importlib.metadata.version('faker')}: the first_names, first_names_male and "
              "first_names_female of every person provider, lower-cased (bench/first_names.py)")
    # One name a line, so that a new Faker's changes read as a diff.
    text = json.dumps({"source": source, "names": names}, ensure_ascii=False, indent=0)
    NAMES_FILE.write_text(text + "\n", encoding="utf-8")
    print(f"{len(names)} names written to {NAMES_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

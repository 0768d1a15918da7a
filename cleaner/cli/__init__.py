"""The command line: a thin click edge over the library. `app` holds the main group and the
commands that clean; each other command group lives in a module of its own, registered here."""

from cleaner.cli.app import main
from cleaner.cli.explain import explain
from cleaner.cli.rules import rules

main.add_command(rules)
main.add_command(explain)

__all__ = ["main"]

"""Errors the library raises, and the exit codes the command line maps them to.

The library raises these; only the CLI turns them into messages and exit codes, so the library
can be used from other programs (a crawler, a Dask worker) without click.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C
EXIT_TERMINATED = 143  # 128 + SIGTERM


class CleanerError(Exception):
    """Base class of every error the library reports to users."""


@dataclass
class RuleProblem:
    """One problem found in a rule file: where it is and how to fix it."""

    path: str
    line: int | None
    rule: str | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        rule = f" [{self.rule}]" if self.rule else ""
        return f"{where}:{rule} {self.message}"


class RuleError(CleanerError):
    """Rule files failed validation; every problem found is listed, not just the first."""

    def __init__(self, problems: list[RuleProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class PageError(CleanerError):
    """A page cannot be cleaned (undecodable, binary, empty, too large…); the reason says why."""


class RuleTimeout(PageError):
    """A rule's regular expression ran past its time budget on one page. It is a PageError:
    that page fails with the rule named, the run goes on."""

    def __init__(self, rule_id: str, seconds: float) -> None:
        self.rule_id = rule_id
        super().__init__(
            f"rule {rule_id} took longer than {seconds:g}s on one line (catastrophic "
            "backtracking?); rewrite its regex so RE2 accepts it (no look-arounds or "
            "back-references) or make it more specific"
        )

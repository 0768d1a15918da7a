"""The options the cleaning commands share (rules, language, page time limit, output format),
how a run is interrupted, and how the rules are loaded for a command."""

from __future__ import annotations

import functools
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

import click

from cleaner import cachefiles
from cleaner.batch.deadline import DEFAULT_PAGE_TIMEOUT
from cleaner.errors import EXIT_INTERRUPTED, EXIT_TERMINATED, EXIT_USAGE, RuleError
from cleaner.read.compression import DEFAULT_MAX_BYTES
from cleaner.rules.load import load_rulebook
from cleaner.rules.patterns import DEFAULT_TIMEOUT
from cleaner.rules.rulebook import Rulebook
from cleaner.write import FORMATS, OutputFormat

F = TypeVar("F", bound=Callable[..., Any])


ENV_RULES = "CLEANER_RULES"  # extra rule folders, separated as PATH is (the library reads no environment)


def env_rule_folders() -> tuple[Path, ...]:
    """The folders $CLEANER_RULES names: loaded before those of --rules, as if given first."""
    return tuple(Path(p) for p in os.environ.get(ENV_RULES, "").split(os.pathsep) if p)


def rule_options(func: F) -> F:
    """The options every command that cleans shares: which rules to use."""

    @click.option("--rules", "rule_folders", multiple=True, type=click.Path(path_type=Path),
                  help="Extra folder (or file) of YAML rule sets; repeatable. Also $CLEANER_RULES.")
    @click.option("--disable", multiple=True, metavar="ID",
                  help="Switch off a rule by id (globs work: 'generic/share-*'); repeatable.")
    @click.option("--no-site-rules", is_flag=True, help="Use the generic rules only.")
    @click.option("--regex-timeout", type=float, default=DEFAULT_TIMEOUT, show_default=True,
                  help="Seconds a rule regex that RE2 cannot run may spend on one line.")
    @click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES,
                  show_default=True, help="Largest page accepted, after decompression; larger "
                  "pages (and decompression bombs) fail without being read whole.")
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        kwargs["rule_folders"] = env_rule_folders() + tuple(kwargs["rule_folders"])
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _language_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from cleaner.lang.detect import language_code  # (the detector's model loads only when used)

    code = language_code(value)
    if code is None:
        raise click.BadParameter(f"{value!r} is not an ISO 639-1 language code; give one such as en, fr or sv")
    return code


def language_option(func: F) -> F:
    """The page language, for commands that clean: given instead of detected."""
    return click.option(
        "--language", metavar="CODE", callback=_language_option,
        help="The pages' language as an ISO 639-1 code (en, fr, sv, …), instead of detecting "
             "it page by page: it picks the stop words the content finder reads and the month "
             "names dates are read with.")(func)


def page_timeout_option(func: F) -> F:
    """How long one page may take, for commands that clean."""
    return click.option(
        "--page-timeout", type=click.FloatRange(min=0), default=DEFAULT_PAGE_TIMEOUT,
        show_default=True, metavar="SECONDS",
        help="Seconds one page may take in all; a slower page is abandoned with the rule it "
             "was running named, and the run goes on. 0: no limit.")(func)


def format_options(func: F) -> F:
    """How the clean text is written, for commands that clean: plain text or Markdown."""
    func = click.option("--links", is_flag=True,
                        help="Keep the article's links as [text](URL), made absolute against "
                             "the page's URL (with --format markdown only).")(func)
    return click.option(
        "--format", "format_name", type=click.Choice(FORMATS), default="txt", show_default=True,
        help="The clean text as plain text (txt) or as Markdown that keeps the article's "
             "headings, lists, tables, quotes and code (markdown; OUTPUT gets .md files).")(func)


def _output_format(format_name: str, links: bool) -> OutputFormat:
    if links and format_name != "markdown":
        raise click.UsageError("--links keeps links in Markdown only; add --format markdown")
    return OutputFormat(format_name, links)


_interrupts: list[int] = []  # Ctrl-Cs seen, even those an exception handler swallowed


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    _interrupts.append(signum)
    raise KeyboardInterrupt


def stop_if_interrupted() -> None:
    """A Ctrl-C whose KeyboardInterrupt was swallowed (it landed in a finalizer or a callback
    that ignores exceptions) still ends the command: exit 130."""
    if _interrupts:
        click.echo("interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)


def interruptible(func: F) -> F:
    """Ctrl-C outside the page loop (loading rules, cleaning one page) exits with 130 and one
    line, not click's 'Aborted!' with status 1 or a traceback; so does one that landed where
    Python could only report it ('Exception ignored in ...')."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        previous = signal.signal(signal.SIGINT, _on_sigint)
        _interrupts.clear()
        try:
            result = func(*args, **kwargs)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except SystemExit as exc:
            if _interrupts and exc.code not in (EXIT_INTERRUPTED, EXIT_TERMINATED):
                stop_if_interrupted()
            raise
        finally:
            signal.signal(signal.SIGINT, previous)
        stop_if_interrupted()
        return result

    return wrapper  # type: ignore[return-value]


def _cache_dir() -> Path:
    """Where compiled rules and the language detection model are kept between starts:
    $XDG_CACHE_HOME/cleaner, else ~/.cache/cleaner."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "cleaner"


def _load(rule_folders: tuple[Path, ...], disable: tuple[str, ...], no_site_rules: bool,
          regex_timeout: float) -> Rulebook:
    """The rulebook of the options. The commands that clean call it first, so it also names the
    cache folder to the library (the language model and the learned models are stored there)."""
    cachefiles.use_folder(_cache_dir())
    try:
        rulebook = load_rulebook(rule_folders, disabled=disable, site_rules=not no_site_rules,
                                 timeout=regex_timeout, cache_dir=_cache_dir())
        stop_if_interrupted()
        return rulebook
    except RuleError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        click.echo(f"{len(exc.problems)} problem(s) in the rule files; nothing was cleaned.",
                   err=True)
        sys.exit(EXIT_USAGE)

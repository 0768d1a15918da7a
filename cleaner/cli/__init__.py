"""The command line: a thin click edge over the library."""

from cleaner.cli.app import main

__all__ = ["main"]

"""``python -m cleaner`` runs the command line."""

from cleaner.cli.app import main

main()

"""``python -m viewer`` runs the command line."""

from viewer.cli import run

run()

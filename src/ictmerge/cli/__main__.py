"""`python -m ictmerge.cli` runs the command line."""

from ictmerge.cli import main

main()

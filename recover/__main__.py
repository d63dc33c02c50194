"""``python -m recover``: the same command line as the ``recover`` script."""

from recover.cli import main

main()

"""`head-judge`: the master's command line. A thin layer over the Python API; every user
mistake ends with the problems listed, one per line (Chinese first), and exit code 2.

`root` holds the group and attaches the commands; each other module defines bare commands for
one task (`tabulate`, `master`, `record`, `appeal`, `audit`, `excel`, `prints`, `paper`,
`blind`, `panel`, `standby`, `demo`) over what `common` shares.
"""

from .root import main

__all__ = ["main"]

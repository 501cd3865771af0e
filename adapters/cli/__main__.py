"""`python -m adapters.cli`: the `reviewledger` command line."""

import sys

from adapters.cli import main

sys.exit(main())

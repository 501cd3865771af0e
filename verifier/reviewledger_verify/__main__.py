"""`python -m reviewledger_verify`: the same as the `reviewledger-verify` command."""

import sys

from reviewledger_verify.cli import main

sys.exit(main())

"""``python -m fieldapp`` is the same as the ``fieldapp`` command."""

import sys

from fieldapp.cli import main

sys.exit(main())

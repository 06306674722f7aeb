"""``python -m chime_calls``: the same as the ``chime-calls`` console script."""

from chime_calls.cli import main

raise SystemExit(main())

"""The tests every service runs (common.testing.standard): migrations build exactly the models'
tables and go down and up again; every route is documented with examples; the event docs
are the contracts'; the import layers hold."""

from common.testing.standard import *  # noqa: F403

"""The tests every service runs: migrations, OpenAPI examples, event docs, import layers."""

from common.testing.standard import *  # noqa: F403

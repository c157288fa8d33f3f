"""``python -m shopfloor_bench`` is the ``shopfloor-bench`` command."""

from shopfloor_bench.cli import app

app(prog_name="shopfloor-bench")

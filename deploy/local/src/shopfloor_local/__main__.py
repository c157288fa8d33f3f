"""`python -m shopfloor_local` is `shopfloor-local` (how `up` starts its own children)."""

from shopfloor_local.cli import app

app(prog_name="shopfloor-local")

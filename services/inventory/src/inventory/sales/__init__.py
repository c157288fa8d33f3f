"""POS's sales as inventory applies them: stock out on a sale line, back on a void."""

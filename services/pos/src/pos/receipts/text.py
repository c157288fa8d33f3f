"""The receipt as 80-column plain text: the store centred on top, amounts flush right, long
names wrapped, and a VOID banner above and below a voided sale. No line is wider than 80."""

from __future__ import annotations

import textwrap

from pos.receipts import printed
from pos.receipts.printed import Row
from pos.receipts.schemas import ReceiptOut

WIDTH = 80
RULE = "-" * WIDTH
DOUBLE_RULE = "=" * WIDTH


def wrapped(text: str, first: str = "", rest: str = "    ") -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()),
        WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=True,
        break_on_hyphens=False,
    ) or [""]


def centred(text: str) -> list[str]:
    return [line.center(WIDTH).rstrip() for line in wrapped(text, rest="")]


def row(content: Row, indent: str = "") -> list[str]:
    """The label, then the amount flush right on the label's last line (or a line of its own)."""
    lines = wrapped(content.left, indent, indent + "    ")
    if not content.right:
        return lines
    right = content.right[: WIDTH - 1]
    room = WIDTH - len(right) - 1
    if len(lines[-1]) > room:
        lines.append("")
    lines[-1] = lines[-1].ljust(room) + " " + right
    return lines


def banner() -> list[str]:
    return ["*" * WIDTH, f"*{printed.VOID.center(WIDTH - 2)}*", "*" * WIDTH]


def render(receipt: ReceiptOut) -> str:
    voided = receipt.status == "voided"
    out: list[str] = []
    for part in printed.header(receipt):
        out += centred(part)
    out.append(DOUBLE_RULE)
    if voided:
        out += banner()
    for content in printed.particulars(receipt):
        out += row(content)
    out.append(RULE)
    for item in printed.items(receipt):
        out += wrapped(item.title)
        out += row(item.row, indent="    ")
    out.append(RULE)
    for content in printed.totals(receipt):
        out += row(content)
    out.append(RULE)
    for content in printed.payments(receipt):
        out += row(content)
    out.append(DOUBLE_RULE)
    if voided:
        out += banner()
        for notice in printed.void_notice(receipt):
            out += wrapped(notice)
    out += centred(printed.FAREWELL)
    return "\n".join(out) + "\n"

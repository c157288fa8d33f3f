r"""The function-chain grammar: text → a tree of ``Column``, ``Literal`` and ``Call`` nodes.

    chain    := pipeline
    pipeline := operand ( "|" step )*       the value on the left becomes the step's first argument
    step     := NAME [ "(" [ args ] ")" ]
    operand  := column | string | number | NAME "(" [ args ] ")"
    args     := pipeline ( "," pipeline )*
    column   := "[" any text, "]]" for a literal "]" "]"
    string   := '"' … '"' or "'" … "'"      escapes \\ \" \' \n \t; any other \x stays \x
    number   := -?digits(.digits)?

    [Item Description] | trim | upper
    concat([Brand], " ", [Model])
    regex_extract([Desc], "(\d+) ?GB", 1) | default("unknown")

The parser is a plain recursive descent over a token list with a bounded depth and size;
whatever text it is given, it returns a tree or raises ``ChainError`` naming the position
(0-based character offset) — nothing in it runs code.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

MAX_LENGTH = 2000  # characters of one chain
MAX_DEPTH = 16  # nested calls and pipelines
MAX_ARGS = 20
MAX_NODES = 200


class ChainError(ValueError):
    """A chain that does not parse or names what does not exist; ``position`` is where."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at position {position})")
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Column:
    name: str
    position: int


@dataclass(frozen=True)
class Literal:
    value: str | Decimal
    position: int


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]
    position: int


Node = Column | Literal | Call


@dataclass(frozen=True)
class Token:
    kind: str  # name, column, string, number, "|", "(", ")", ",", end
    text: str
    position: int
    value: str | Decimal | None = None


ESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "t": "\t"}
PUNCTUATION = frozenset("|(),")


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_LENGTH:
        raise ChainError(f"A chain is at most {MAX_LENGTH} characters long", MAX_LENGTH)
    tokens: list[Token] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char.isspace():
            index += 1
        elif char in PUNCTUATION:
            tokens.append(Token(char, char, index))
            index += 1
        elif char == "[":
            index = _column(text, index, tokens)
        elif char in "\"'":
            index = _string(text, index, tokens)
        elif char.isascii() and (char.isdigit() or (char == "-" and _digit_at(text, index + 1))):
            index = _number(text, index, tokens)
        elif char.isascii() and (char.isalpha() or char == "_"):
            end = index
            while (
                end < len(text)
                and text[end].isascii()
                and (text[end].isalnum() or text[end] == "_")
            ):
                end += 1
            tokens.append(Token("name", text[index:end], index))
            index = end
        else:
            raise ChainError(f"Unexpected character {char!r}", index)
    tokens.append(Token("end", "", len(text)))
    return tokens


def _digit_at(text: str, index: int) -> bool:
    return index < len(text) and text[index].isascii() and text[index].isdigit()


def _column(text: str, start: int, tokens: list[Token]) -> int:
    index, name = start + 1, []
    while index < len(text):
        if text[index] == "]":
            if text[index + 1 : index + 2] == "]":
                name.append("]")
                index += 2
                continue
            column = "".join(name).strip()
            if not column:
                raise ChainError("A column reference [..] names no column", start)
            tokens.append(Token("column", text[start : index + 1], start, column))
            return index + 1
        name.append(text[index])
        index += 1
    raise ChainError("A column reference is not closed with ]", start)


def _string(text: str, start: int, tokens: list[Token]) -> int:
    quote, index, value = text[start], start + 1, []
    while index < len(text):
        char = text[index]
        if char == "\\":
            escaped = text[index + 1 : index + 2]
            if not escaped:
                raise ChainError("A string is not closed", start)
            # any other backslash stays as written, so a pattern reads "(\d+)" as regex does
            value.append(ESCAPES.get(escaped, "\\" + escaped))
            index += 2
        elif char == quote:
            tokens.append(Token("string", text[start : index + 1], start, "".join(value)))
            return index + 1
        else:
            value.append(char)
            index += 1
    raise ChainError("A string is not closed", start)


def _number(text: str, start: int, tokens: list[Token]) -> int:
    index = start + 1 if text[start] == "-" else start
    while _digit_at(text, index):
        index += 1
    if text[index : index + 1] == "." and _digit_at(text, index + 1):
        index += 1
        while _digit_at(text, index):
            index += 1
    literal = text[start:index]
    if len(literal) > 30:
        raise ChainError("A number has at most 30 characters", start)
    tokens.append(Token("number", literal, start, Decimal(literal)))
    return index


class Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.index = 0
        self.nodes = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def take(self, kind: str) -> Token:
        token = self.current
        if token.kind != kind:
            wanted = {"end": "the end of the chain", "name": "a function name"}.get(
                kind, repr(kind)
            )
            raise ChainError(f"Expected {wanted}, found {_describe(token)}", token.position)
        self.index += 1
        return token

    def count(self, position: int) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ChainError(f"A chain has at most {MAX_NODES} parts", position)

    def chain(self) -> Node:
        if self.current.kind == "end":
            raise ChainError("The chain is empty", 0)
        node = self.pipeline(0)
        self.take("end")
        return node

    def pipeline(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise ChainError(f"A chain nests at most {MAX_DEPTH} levels", self.current.position)
        node = self.operand(depth)
        while self.current.kind == "|":
            self.index += 1
            name = self.take("name")
            args: tuple[Node, ...] = ()
            if self.current.kind == "(":
                args = self.arguments(depth + 1)
            if len(args) + 1 > MAX_ARGS:
                raise ChainError(f"A function takes at most {MAX_ARGS} arguments", name.position)
            self.count(name.position)
            node = Call(name.text, (node, *args), name.position)
        return node

    def operand(self, depth: int) -> Node:
        token = self.current
        self.count(token.position)
        if token.kind == "column" and isinstance(token.value, str):
            self.index += 1
            return Column(token.value, token.position)
        if token.kind in ("string", "number") and token.value is not None:
            self.index += 1
            return Literal(token.value, token.position)
        if token.kind == "name":
            self.index += 1
            if self.current.kind != "(":
                raise ChainError(
                    f"{token.text!r} is not a value: write a column as [{token.text}] or call "
                    f"{token.text}(...)",
                    token.position,
                )
            return Call(token.text, self.arguments(depth + 1), token.position)
        raise ChainError(
            f"Expected a column [..], a string, a number or a function, found {_describe(token)}",
            token.position,
        )

    def arguments(self, depth: int) -> tuple[Node, ...]:
        self.take("(")
        args: list[Node] = []
        if self.current.kind != ")":
            args.append(self.pipeline(depth))
            while self.current.kind == ",":
                self.index += 1
                args.append(self.pipeline(depth))
                if len(args) > MAX_ARGS:
                    raise ChainError(
                        f"A function takes at most {MAX_ARGS} arguments", self.current.position
                    )
        self.take(")")
        return tuple(args)


def _describe(token: Token) -> str:
    return "the end of the chain" if token.kind == "end" else repr(token.text)


def parse(text: str) -> Node:
    """The tree of ``text``, or ``ChainError`` (never any other exception)."""
    return Parser(text).chain()


def columns_of(node: Node) -> list[Column]:
    """Every column reference of a tree, in order."""
    if isinstance(node, Column):
        return [node]
    if isinstance(node, Call):
        return [column for arg in node.args for column in columns_of(arg)]
    return []

"""A tiny boolean expression language over situation flags.

A conditional piece of the catalogue says *when* it is asked for, e.g.
``"(renouvellement or changement_statut) and not entree_irreguliere"``. The catalogue is a data
file a manager may edit, so the expression is parsed by a small recursive-descent parser and
never handed to ``eval``.

Grammar (``not`` binds tighter than ``and``, which binds tighter than ``or``)::

    expr     := and_expr ("or" and_expr)*
    and_expr := not_expr ("and" not_expr)*
    not_expr := "not" not_expr | atom
    atom     := NAME | "true" | "false" | "(" expr ")"
    NAME     := [A-Za-z_][A-Za-z0-9_]*   (ASCII only)
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Set
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "And",
    "Condition",
    "ConditionError",
    "Const",
    "Flag",
    "Not",
    "Or",
    "compile_condition",
    "parse_condition",
]

KEYWORDS = frozenset({"and", "or", "not", "true", "false"})
MAX_LENGTH = 1000  # a catalogue condition is a line, not a program
MAX_DEPTH = 50  # keeps the recursive descent far from Python's recursion limit

Flags = Mapping[str, bool] | Set[str]


class ConditionError(ValueError):
    """A condition that cannot be parsed; ``position`` is the 0-based offset of the problem."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (colonne {position + 1})")
        self.message = message
        self.position = position


def _true_flags(flags: Flags) -> frozenset[str]:
    """Accept either a set of ticked flags or a mapping flag -> ticked."""
    if isinstance(flags, Mapping):
        return frozenset(name for name, value in flags.items() if value)
    return frozenset(flags)


class Condition(ABC):
    """A parsed condition. A flag absent from ``flags`` counts as not ticked."""

    def evaluate(self, flags: Flags) -> bool:
        return self._eval(_true_flags(flags))

    @abstractmethod
    def _eval(self, ticked: frozenset[str]) -> bool: ...

    @abstractmethod
    def names(self) -> set[str]:
        """The flag names the condition reads (to check them against the known situations)."""

    @abstractmethod
    def words(self, labels: Mapping[str, str]) -> str:
        """The condition in French, each flag by its label (« … » ou « … »), for paper."""

    def when(self, labels: Mapping[str, str]) -> str:
        """« Si : … », or « Sauf si : … » for a negation (and a conjunction of negations,
        read as « sauf si a ou b »), which is how a person says it."""
        if isinstance(self, Not):
            return f"Sauf si : {self.operand.words(labels)}"
        if isinstance(self, And) and all(isinstance(op, Not) for op in self.operands):
            negated = [op.operand for op in self.operands if isinstance(op, Not)]
            return "Sauf si : " + " ou ".join(op._nested(labels) for op in negated)
        return f"Si : {self.words(labels)}"

    def _nested(self, labels: Mapping[str, str]) -> str:
        return self.words(labels)


@dataclass(frozen=True)
class Const(Condition):
    value: bool

    def _eval(self, ticked: frozenset[str]) -> bool:
        return self.value

    def names(self) -> set[str]:
        return set()

    def words(self, labels: Mapping[str, str]) -> str:
        return "toujours" if self.value else "jamais"


@dataclass(frozen=True)
class Flag(Condition):
    name: str

    def _eval(self, ticked: frozenset[str]) -> bool:
        return self.name in ticked

    def names(self) -> set[str]:
        return {self.name}

    def words(self, labels: Mapping[str, str]) -> str:
        return f"« {labels.get(self.name, self.name)} »"


@dataclass(frozen=True)
class Not(Condition):
    operand: Condition

    def _eval(self, ticked: frozenset[str]) -> bool:
        return not self.operand._eval(ticked)

    def names(self) -> set[str]:
        return self.operand.names()

    def words(self, labels: Mapping[str, str]) -> str:
        return f"non {self.operand._nested(labels)}"


@dataclass(frozen=True)
class And(Condition):
    operands: tuple[Condition, ...]

    def _eval(self, ticked: frozenset[str]) -> bool:
        return all(op._eval(ticked) for op in self.operands)

    def names(self) -> set[str]:
        return set().union(*(op.names() for op in self.operands))

    def words(self, labels: Mapping[str, str]) -> str:
        return " et ".join(op._nested(labels) for op in self.operands)

    def _nested(self, labels: Mapping[str, str]) -> str:
        return f"({self.words(labels)})"


@dataclass(frozen=True)
class Or(Condition):
    operands: tuple[Condition, ...]

    def _eval(self, ticked: frozenset[str]) -> bool:
        return any(op._eval(ticked) for op in self.operands)

    def names(self) -> set[str]:
        return set().union(*(op.names() for op in self.operands))

    def words(self, labels: Mapping[str, str]) -> str:
        return " ou ".join(op._nested(labels) for op in self.operands)

    def _nested(self, labels: Mapping[str, str]) -> str:
        return f"({self.words(labels)})"


@dataclass(frozen=True)
class _Token:
    kind: str  # "name", "kw", "(", ")", "end"
    text: str
    position: int


def _is_name_start(char: str) -> bool:
    return char == "_" or ("a" <= char <= "z") or ("A" <= char <= "Z")


def _is_name_char(char: str) -> bool:
    return _is_name_start(char) or ("0" <= char <= "9")


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in " \t\r\n":
            i += 1
        elif char in "()":
            tokens.append(_Token(char, char, i))
            i += 1
        elif _is_name_start(char):
            start = i
            while i < len(text) and _is_name_char(text[i]):
                i += 1
            word = text[start:i]
            tokens.append(_Token("kw" if word in KEYWORDS else "name", word, start))
        else:
            raise ConditionError(f"caractère inattendu {char!r}", i)
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _describe(token: _Token) -> str:
    return "la fin de l'expression" if token.kind == "end" else repr(token.text)


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def _accept_kw(self, word: str) -> bool:
        if self.current.kind == "kw" and self.current.text == word:
            self.index += 1
            return True
        return False

    def _nest(self, position: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError("expression trop imbriquée", position)

    def parse(self) -> Condition:
        if self.current.kind == "end":
            raise ConditionError("condition vide", 0)
        node = self._or()
        if self.current.kind != "end":
            raise ConditionError(
                f"{_describe(self.current)} inattendu (attendu : 'and', 'or' ou fin)",
                self.current.position,
            )
        return node

    def _or(self) -> Condition:
        operands = [self._and()]
        while self._accept_kw("or"):
            operands.append(self._and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def _and(self) -> Condition:
        operands = [self._not()]
        while self._accept_kw("and"):
            operands.append(self._not())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def _not(self) -> Condition:
        token = self.current
        if self._accept_kw("not"):
            self._nest(token.position)
            operand = self._not()
            self.depth -= 1
            return Not(operand)
        return self._atom()

    def _atom(self) -> Condition:
        token = self.current
        if token.kind == "name":
            self.index += 1
            return Flag(token.text)
        if token.kind == "kw" and token.text in ("true", "false"):
            self.index += 1
            return Const(token.text == "true")
        if token.kind == "(":
            self.index += 1
            self._nest(token.position)
            node = self._or()
            self.depth -= 1
            if self.current.kind != ")":
                raise ConditionError(
                    f"')' manquante pour la parenthèse ouverte colonne {token.position + 1}, "
                    f"trouvé {_describe(self.current)}",
                    self.current.position,
                )
            self.index += 1
            return node
        raise ConditionError(
            f"{_describe(token)} inattendu (attendu : un nom de situation, 'not', "
            "'true', 'false' ou '(')",
            token.position,
        )


def parse_condition(text: str) -> Condition:
    """Parse ``text``; raise ConditionError (with the position) on any problem."""
    if not isinstance(text, str):
        raise ConditionError("une condition doit être une chaîne de caractères", 0)
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"condition trop longue (> {MAX_LENGTH} caractères)", MAX_LENGTH)
    return _Parser(_tokenize(text)).parse()


@lru_cache(maxsize=512)
def compile_condition(text: str) -> Condition:
    """Cached parse: the checklist re-evaluates the same few conditions at every click."""
    return parse_condition(text)

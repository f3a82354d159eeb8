"""The commonest leaves as one closure each: a field one or two keys deep compared with
text written in the policy (``account_type: {in: [team, …]}``, ``lifecycle.status:
{not_in: [closed, archived]}``, ``platform: {equals: x}``, ``not_equals``).

The generic decision of such a leaf is four or five calls: the path's resolver, the
absent-value wrapper, the negation, the predicate and ``same``.  Here the keys are read
inline and the comparison is one set lookup, which is what those predicates compute for
a written text or list of texts: a value holds only if it is a ``str`` (not ``True``,
not a number, not ABSENT, not None) in the set.  Only the built-in operators are fused
(a plugin may not bring its own ``equals``), and only without ``ignore_case``; every
other operator with a written argument on such a field still has its keys read and an
absent value decided inline (:func:`inline_decision`), calling only its predicate.
``tests/test_decisions.py`` runs these and the generic conditions on the same values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from tabard.language.codegen import describe
from tabard.language.context import Context, Decision
from tabard.language.operators.base import Operator
from tabard.language.operators.table import BUILTIN_VALUE_OPERATORS
from tabard.language.paths import ABSENT, FieldPath

_BUILTIN: Final = {operator.name: operator for operator in BUILTIN_VALUE_OPERATORS}
#: Operator -> whether a value in the set makes it hold.
_MEMBERSHIP: Final = {"equals": True, "in": True, "not_equals": False, "not_in": False}


def _texts(name: str, argument: Any) -> frozenset[str] | None:
    """The texts a membership operator compares with, if its argument is only text."""
    if name in ("equals", "not_equals"):
        return frozenset((argument,)) if type(argument) is str else None
    if type(argument) is list and all(type(item) is str for item in argument):
        return frozenset(argument)
    return None


def fused_decision(
    operator: Operator, argument: Any, ignore_case: bool, path: FieldPath | None, quantifier: str
) -> Decision | None:
    """One closure for a leaf of the shapes above, or None for any other leaf.

    *path* is the leaf's field (None for a lookup or a ref); ``for`` is only allowed
    with ``[*]``, so a fused field's quantifier is always ``all``.
    """
    name = operator.name
    if _BUILTIN.get(name) is not operator or ignore_case or name not in _MEMBERSHIP:
        return None
    if quantifier != "all":
        return None
    keys = _plain_keys(path)
    texts = _texts(name, argument)
    if keys is None or texts is None:
        return None
    inside = _MEMBERSHIP[name]
    if len(keys) == 1:
        decision = _one_key(keys[0], texts, inside)
    else:
        decision = _two_keys(keys[0], keys[1], texts, inside)
    return describe(decision, "in", keys, texts, inside)


def _one_key(key: str, texts: frozenset[str], inside: bool) -> Decision:
    if inside:

        def in_set(context: Context, node: Any) -> bool:
            value = node.get(key, ABSENT) if type(node) is dict else ABSENT
            return type(value) is str and value in texts

        return in_set

    def not_in_set(context: Context, node: Any) -> bool:
        value = node.get(key, ABSENT) if type(node) is dict else ABSENT
        return type(value) is not str or value not in texts

    return not_in_set


def _two_keys(first: str, second: str, texts: frozenset[str], inside: bool) -> Decision:
    if inside:

        def in_set(context: Context, node: Any) -> bool:
            if type(node) is dict:
                node = node.get(first)
                if type(node) is dict:
                    value = node.get(second)
                    return type(value) is str and value in texts
            return False

        return in_set

    def not_in_set(context: Context, node: Any) -> bool:
        if type(node) is dict:
            node = node.get(first)
            if type(node) is dict:
                value = node.get(second)
                return type(value) is not str or value not in texts
        return True

    return not_in_set


def _plain_keys(path: FieldPath | None) -> tuple[str, ...] | None:
    """The keys of a field one or two keys deep (``platform``, ``lifecycle.status``)."""
    if path is None or path.absolute or path.has_wildcard or path.has_placeholder:
        return None
    keys = path.steps
    if not 1 <= len(keys) <= 2 or not all(type(key) is str for key in keys):
        return None
    return keys  # type: ignore[return-value]  # str, checked above


def inline_decision(
    operator: Operator, predicate: Callable[[Any], bool], path: FieldPath | None
) -> Decision | None:
    """Any other value operator with a written argument, on a field one or two keys deep:
    the keys read inline and an absent value decided inline, as ``absent_aware`` does
    (it fails a positive operator and satisfies a negated one), so that only the
    operator's own predicate is called."""
    keys = _plain_keys(path)
    if keys is None:
        return None
    if operator.handles_absent:
        absent: bool | None = None
    else:
        absent = operator.negated
    if len(keys) == 1:
        decision = _one_key_tested(keys[0], predicate, absent)
    else:
        decision = _two_keys_tested(keys[0], keys[1], predicate, absent)
    return describe(decision, "tested", keys, None, predicate, absent, False)


def _one_key_tested(key: str, predicate: Callable[[Any], bool], absent: bool | None) -> Decision:
    def tested(context: Context, node: Any) -> bool:
        value = node.get(key, ABSENT) if type(node) is dict else ABSENT
        if value is ABSENT and absent is not None:
            return absent
        return predicate(value)

    return tested


def _two_keys_tested(
    first: str, second: str, predicate: Callable[[Any], bool], absent: bool | None
) -> Decision:
    def tested(context: Context, node: Any) -> bool:
        value = node.get(first, ABSENT) if type(node) is dict else ABSENT
        value = value.get(second, ABSENT) if type(value) is dict else ABSENT
        if value is ABSENT and absent is not None:
            return absent
        return predicate(value)

    return tested

"""The value operators on text: regular expressions, handles and email domains."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from tabard.language.operators.base import ArgumentProblem, Predicate
from tabard.language.regex import PatternProblem, compile_search
from tabard.language.values import normalise_text, show


def compile_regex(pattern: Any, ignore_case: bool) -> Callable[[str], bool]:
    """A policy's (or a force document's) pattern as a search predicate, run by RE2."""
    if not isinstance(pattern, str):
        raise ArgumentProblem(f"expected a regular expression, got {show(pattern)}")
    try:
        return compile_search(pattern, ignore_case)
    except PatternProblem as error:
        raise ArgumentProblem(str(error)) from None


def matches(arg: Any, ic: bool, today: date) -> Predicate:
    search = compile_regex(arg, ic)
    return lambda v: isinstance(v, str) and search(v)


def matches_any(arg: Any, ic: bool, today: date) -> Predicate:
    options = arg if isinstance(arg, list) else [arg]
    searches = [compile_regex(pattern, ic) for pattern in options]
    return lambda v: isinstance(v, str) and any(search(v) for search in searches)


def _bare_handle(value: str) -> str:
    """A handle as platforms compare it: without its leading "@", case and typography folded."""
    return normalise_text(value).lstrip("@")


def handle_in(arg: Any, ic: bool, today: date) -> Predicate:
    options = arg if isinstance(arg, list) else [arg]
    if not all(isinstance(option, str) for option in options):
        raise ArgumentProblem(f"expected handles, got {show(arg)}")
    handles = frozenset(_bare_handle(option) for option in options)
    return lambda v: isinstance(v, str) and _bare_handle(v) in handles


def handle_matches_any(arg: Any, ic: bool, today: date) -> Predicate:
    """Patterns tried on the handle as written and without its "@", ignoring case: a brand
    guide may write ``^@?GlosPolice`` or ``^glospolice`` and mean the same handles."""
    options = arg if isinstance(arg, list) else [arg]
    searches = [compile_regex(pattern, True) for pattern in options]

    def test(v: Any) -> bool:
        if not isinstance(v, str):
            return False
        forms = (v, v[1:]) if v.startswith("@") else (v, "@" + v)
        return any(search(form) for search in searches for form in forms)

    return test


def email_domain_in(arg: Any, ic: bool, today: date) -> Predicate:
    options = arg if isinstance(arg, list) else [arg]
    if not all(isinstance(option, str) for option in options):
        raise ArgumentProblem(f"expected domain names, got {show(arg)}")
    domains = frozenset(option.lower().lstrip("@") for option in options)

    def on_domain(v: Any) -> bool:
        if not isinstance(v, str) or v.count("@") != 1:
            return False
        local, domain = v.split("@")
        return bool(local) and domain.lower() in domains

    return on_domain

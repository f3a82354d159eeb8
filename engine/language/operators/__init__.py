"""The operators of the policy language (design §3.3), one package.

Where each operator lives:

- ``base``: ``Operator``, what the compiler sees of any operator, and ``ArgumentProblem``;
- ``table``: every built-in value operator by name, with its argument schema and words;
- ``values``, ``text``, ``dates``, ``ranks``: the predicates of the value operators
  (compare, count and types; patterns, handles and email domains; days and dates; police
  ranks and roles);
- ``secrets``: ``no_secrets``, the one built-in document operator;
- :mod:`tabard.language.registry`: the lookup, built-in operators by name;
- the collection operators (``unique``, ``at_most``, ``exists_in``) and ``satisfies`` read
  other documents or nest conditions, so the compiler builds them
  (:mod:`tabard.language.leaf_checks`);
- plugin operators: :mod:`tabard.extend.operators` checks an ``OperatorSpec`` and turns it
  into an ``Operator``.

Each value operator turns its argument into a predicate once, when the policy is compiled;
a predicate takes one value and answers True or False.  Absent values are handled by the
compiler: positive operators fail on them and negated (``not_*``) operators hold, except
``present`` and ``empty``, which decide for themselves.

This module imports only ``base``, so that naming the ``Operator`` type costs nothing.
"""

from __future__ import annotations

from tabard.language.operators.base import ArgumentProblem, Operator, Predicate

__all__ = ["ArgumentProblem", "Operator", "Predicate"]

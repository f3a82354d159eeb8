"""Where a leaf's values and arguments come from: a field, a lookup, a ref or a count."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from tabard.language import tree
from tabard.language.context import Context, Decision
from tabard.language.indexes import CountIndex, RefIndex, group_reader
from tabard.language.paths import (
    ABSENT,
    Concrete,
    FieldPath,
    compile_many,
    compile_single,
    concrete_path,
)
from tabard.language.placed import remembered
from tabard.language.scope import Scope
from tabard.language.tree import CompileError


def base_path(path: FieldPath) -> Concrete:
    prefix: list[str | int] = []
    for step in path.steps:
        if not isinstance(step, str | int):
            break  # [*], a filter or a placeholder: the rest depends on the data
        assert isinstance(step, str | int)
        prefix.append(step)
    return tuple(prefix)


Items = Callable[[Context, Any], list[tuple[Concrete, Any]]]


class Subject:
    """Where a leaf's values come from (a plain class: no dataclass compiled at import)."""

    __slots__ = ("base", "get", "items", "many", "path")

    def __init__(
        self,
        items: Items,
        many: bool,
        base: Concrete,
        path: FieldPath | None = None,
        get: Callable[[Any, Any], Any] | None = None,
    ) -> None:
        self.items = items
        self.many = many
        self.base = base
        self.path = path
        #: For a plain single-valued field: ``get(node, root)``, located at ``base``.
        self.get = get


#: Leads a location that is already from the document root (a ``$.`` path inside
#: ``satisfies``), so that the list item's path is not put in front of it.
ROOT: Final = "$"


def from_root(where: Concrete) -> Concrete:
    """A location without its ROOT mark, ready to be located in the document."""
    return where[1:] if where[:1] == (ROOT,) else where


def field_subject(path: FieldPath, scope: Scope) -> Subject:
    if path.absolute and scope.relative:
        plain = field_subject(FieldPath(path.text, path.steps), scope.but(relative=False))
        root_items = plain.items
        return Subject(
            lambda context, node: [
                ((ROOT, *where), value) for where, value in root_items(context, context.data)
            ],
            plain.many,
            (ROOT, *plain.base),
            path,
        )
    if path.has_wildcard:
        expand = compile_many(path)
        return Subject(
            lambda context, node: expand(node, context.data), True, base_path(path), path
        )
    get = compile_single(path)
    if path.has_placeholder:
        return Subject(
            lambda context, node: [(concrete_path(path, context.data), get(node, context.data))],
            False,
            base_path(path),
            path,
        )
    static = base_path(path)
    return Subject(
        lambda context, node: [(static, get(node, context.data))], False, static, path, get
    )


def lookup_source(spec: tree.Lookup, scope: Scope) -> Callable[[Context, Any], Any]:
    if scope.pure:
        raise CompileError(
            spec.at, "a `where` condition may only read the document itself, not a lookup"
        )
    kind, path, default = spec.kind, spec.field.path, spec.default
    scope.lookup_kinds.add(kind)
    if path.has_wildcard:
        # [*] or a filter: the argument is the list of every value found (maybe empty).
        expand = compile_many(path)
        values = remembered(
            path, lambda document, root: [v for _, v in expand(document, root) if v is not ABSENT]
        )

        def lookup_many(context: Context, node: Any) -> Any:
            document = context.force_documents.get(kind)
            if document is None:
                return default
            return values(document, context.data)

        return lookup_many
    if path.reads_document:
        get = remembered(path, compile_single(path))

        def lookup_placed(context: Context, node: Any) -> Any:
            document = context.force_documents.get(kind)
            if document is None:
                return default
            value = get(document, context.data)
            return default if value is ABSENT else value

        return lookup_placed
    get = compile_single(path)
    # The value depends only on the force document: remember it per document, so every
    # account of a force shares one argument (and one compiled predicate).
    memo: dict[int, tuple[Any, Any]] = {}

    def lookup(context: Context, node: Any) -> Any:
        document = context.force_documents.get(kind)
        if document is None:
            return default
        hit = memo.get(id(document))
        if hit is not None and hit[0] is document:
            return hit[1]
        value = get(document, context.data)
        value = default if value is ABSENT else value
        memo[id(document)] = (document, value)
        return value

    return lookup


def ref_source(spec: tree.Ref, scope: Scope) -> Callable[[Context, Any], Any]:
    if scope.pure:
        raise CompileError(
            spec.at, "a `where` condition may only read the document itself, not a ref"
        )
    default = spec.default
    index = RefIndex(spec.kind, spec.field.path)
    scope.indexes.append(index)
    by_value = compile_single(spec.by.path)

    def ref(context: Context, node: Any) -> Any:
        identity = by_value(node, context.data)
        if not isinstance(identity, str):
            return default
        value = context.documents.index(index).get(identity, ABSENT)
        return default if value is ABSENT else value

    return ref


def paths_of(refs: tuple[tree.FieldRef, ...]) -> tuple[FieldPath, ...]:
    return tuple(ref.path for ref in refs)


def where_condition(where: tree.Condition | None, scope: Scope) -> Decision | None:
    """A ``where`` filter compiled: it reads only the document itself.  An index asks
    only whether a document passes, so it is given the decision."""
    # A `where` is a condition like any other: the compiler, which imports this module,
    # compiles it.
    from tabard.language.compiler import compile_both

    if where is None:
        return None
    return compile_both(where, scope.but(pure=True, relative=False))[1]


def count_source(spec: tree.Count, scope: Scope) -> Callable[[Context, Any], Any]:
    if scope.pure:
        raise CompileError(spec.at, "a `where` condition may not count documents")
    same = paths_of(spec.same)
    index = CountIndex(spec.kind, same, where_condition(spec.where, scope), spec.where_source)
    scope.indexes.append(index)
    group_of = group_reader(same)

    def count(context: Context, node: Any) -> Any:
        return context.documents.index(index).get(group_of(context.data), 0)

    return count


def subject_of(subject: tree.Subject | None, scope: Scope) -> Subject | None:
    if isinstance(subject, tree.FieldRef):
        return field_subject(subject.path, scope)
    if isinstance(subject, tree.Lookup):
        lookup = lookup_source(subject, scope)
        return Subject(lambda context, n: [(("force",), lookup(context, n))], False, ("force",))
    if isinstance(subject, tree.Ref):
        ref = ref_source(subject, scope)
        by_path = base_path(subject.by.path)
        return Subject(lambda context, n: [(by_path, ref(context, n))], False, by_path)
    return None


def argument_source(reference: tree.Reference, scope: Scope) -> Callable[[Context, Any], Any]:
    if isinstance(reference, tree.FieldRef):
        get = compile_single(reference.path)
        return lambda context, node: get(node, context.data)
    if isinstance(reference, tree.Lookup):
        return lookup_source(reference, scope)
    if isinstance(reference, tree.Ref):
        return ref_source(reference, scope)
    return count_source(reference, scope)


def is_reference(argument: Any) -> bool:
    return isinstance(argument, tree.FieldRef | tree.Lookup | tree.Ref | tree.Count)

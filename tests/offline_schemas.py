"""Schema files validated as a standard tool sees them: loaded from disk, offline.

A standard validator that loads ``account.schema.json`` from disk (check-jsonschema,
an editor) resolves its relative ``$ref``s (``common.schema.json#/$defs/person``)
against the schema's ``$id`` when it has one, and otherwise against the file's own
location.  These helpers do the same with the ``jsonschema`` and ``referencing``
packages and no tabard code: the only retrieval reads local files relative to the
schema's file URI, so a reference that needs the network (one resolved against a
``$id`` on a web host) is unresolvable instead of passing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.request import url2pathname

import jsonschema
from referencing import Registry
from referencing.exceptions import NoSuchResource
from referencing.retrieval import to_cached_resource

from tabard.documents.yamlio import load_documents


@dataclass
class LocalFiles:
    """A retrieval that reads files relative to one schema file, and nothing else."""

    schema_file: Path
    #: Every file read, as a file URI.
    read: list[str] = field(default_factory=list)

    def registry(self) -> Registry[Any]:
        base = self.schema_file.resolve().as_uri()

        @to_cached_resource()
        def retrieve(uri: str) -> str:
            full = urljoin(base, uri)  # a relative reference: next to the schema file
            parts = urlsplit(full)
            if parts.scheme != "file":
                raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # no network
            self.read.append(full)
            return Path(url2pathname(parts.path)).read_text(encoding="utf-8")

        return Registry(retrieve=retrieve)  # type: ignore[call-arg]  # attrs alias


def offline_validator(schema_file: Path, files: LocalFiles | None = None) -> Any:
    """A Draft 2020-12 validator (formats checked) for the schema at *schema_file*."""
    files = files or LocalFiles(schema_file)
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(
        schema,
        registry=_prefetched(files.registry(), schema),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def _prefetched(registry: Registry[Any], schema: Any) -> Registry[Any]:
    """*registry* holding, ahead of time, the documents *schema* refers to by URI.

    Resolved exactly as a lookup resolves them (against the schema's ``$id``, if any),
    so nothing is found that validation would not find.  Speed only: jsonschema keeps
    no document it retrieves during validation, and looks each up again (a crawl of
    the whole schema) at every reference, about 30 ms an account.
    """
    base = schema.get("$id", "") if isinstance(schema, dict) else ""
    for reference in sorted(_references(schema)):
        with suppress(NoSuchResource):  # left for validation to report as unresolvable
            registry = registry.get_or_retrieve(urljoin(base, reference)).registry
    return registry


def _references(node: Any) -> set[str]:
    """The documents (URI-references without fragment) that ``$ref``s in *node* name."""
    if isinstance(node, list):
        return set().union(*map(_references, node)) if node else set()
    if not isinstance(node, dict):
        return set()
    found: set[str] = set().union(*map(_references, node.values())) if node else set()
    target = node.get("$ref")
    if isinstance(target, str) and not target.startswith("#"):
        found.add(urldefrag(target).url)
    return found


def errors(validator: Any, document: Any) -> list[str]:
    """Every error *validator* finds in *document*: where, then what."""
    return [
        f"/{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def yaml_documents(path: Path) -> Iterator[Any]:
    """The documents of a YAML file as data, read as YAML 1.2 (dates stay strings), as
    yaml-language-server and tabard read them."""
    for document in load_documents(path.read_bytes()):
        yield document.data

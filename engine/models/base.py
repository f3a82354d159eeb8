"""The pieces every document model is built from: closed-world bases and schema markers.

A document model says two things at once: how ``model_validate`` checks a loaded
document, and (through :mod:`tabard.models.generate`) what its JSON Schema in
``schemas/`` says.  The markers here keep the two in step:

* :class:`Closed` objects take only their declared keys; :class:`Extensible` ones also
  take keys starting with ``x-`` (free for forces); :class:`Open` ones take any key.
* :class:`Shared` names a definition of ``common.schema.json``: the schema refers to it
  (``common.schema.json#/$defs/<name>``) instead of repeating it.
* :class:`Unique` is a list whose items must differ (``uniqueItems``).

Optional keys are ``X | None = None`` in Python, but a document may leave them out, not
write ``null``: the schema says so (no ``null`` in the type), and the models refuse an
explicit ``null`` the same way (except where a field says ``nullable``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

#: The placeholder a :class:`Shared` field writes; the generator turns it into a ``$ref``.
SHARED_KEY = "$shared"
#: Keys a force may add to an extensible object.
EXTENSION_PATTERN = "^x-"


def examples(name: str) -> list[Any]:
    """The whole-document examples of a schema, kept in ``examples/<name>.json``.

    They are data, as long as the documents they show; each one is also checked against
    its model and its schema (``tests/test_models.py``, ``tests/test_schemas.py``).
    """
    text = files("tabard.models").joinpath("examples", f"{name}.json").read_text("utf-8")
    found: list[Any] = json.loads(text)
    return found


@dataclass(frozen=True, slots=True)
class Shared:
    """Annotates a type as the ``common.schema.json`` definition *name*.

    Fields of the type refer to the definition; the definition itself (written by the
    generator into ``common.schema.json``) is the type's own schema with these keys.
    """

    name: str
    description: str = ""
    examples: tuple[Any, ...] = ()
    #: Further schema keys of the definition (``format``, ``x-expected``).
    extra: tuple[tuple[str, Any], ...] = ()

    def definition_keys(self) -> dict[str, Any]:
        """What the definition says beyond the type: description, examples, extra keys."""
        keys: dict[str, Any] = dict(self.extra)
        if self.description:
            keys["description"] = self.description
        if self.examples:
            keys["examples"] = list(self.examples)
        return keys

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {SHARED_KEY: self.name}


@dataclass(frozen=True, slots=True)
class Unique:
    """Annotates a list whose items must all differ (JSON Schema ``uniqueItems``)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(_all_differ, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        found = handler(schema)
        found["uniqueItems"] = True
        return found


@dataclass(frozen=True, slots=True)
class Describe:
    """Annotates a list item's or a key's type with a description of its own."""

    description: str

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {**handler(schema), "description": self.description}


@dataclass(frozen=True, slots=True)
class Nullable:
    """Annotates an ``X | None`` field whose key may be written with the value ``null``."""

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        found = handler(schema)
        types = [branch["type"] for branch in found.pop("anyOf")]
        return {**found, "type": types}


@dataclass(frozen=True, slots=True)
class Untyped:
    """Annotates a type whose schema lists its values (or pattern) without a ``type``.

    A wrong value then gives one error (not in the list), not two (and not a string).
    """

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        found = dict(handler(schema))
        found.pop("type", None)
        return found


def _all_differ(items: list[Any]) -> list[Any]:
    seen: list[Any] = []
    for item in items:
        if item in seen:
            raise PydanticCustomError("unique_items", "{item} is in the list twice", {"item": item})
        seen.append(item)
    return items


def _plain(value: Any) -> Any:
    """*value* with read-only views (mappings and sequences) copied into dicts and lists."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str | bytes | tuple):
        return [_plain(item) for item in value]
    return value


Item = TypeVar("Item")
#: A list whose items all differ: ``Distinct[Slug]``.
Distinct = Annotated[list[Item], Unique()]
#: A string of at least one character.
Text = Annotated[str, StringConstraints(min_length=1)]


class _Document(BaseModel):
    """Common behaviour: strict types, YAML keys as aliases, no explicit nulls."""

    model_config = ConfigDict(strict=True, frozen=True, populate_by_name=True)

    #: The order the schema lists required keys in (the order several missing keys are
    #: reported in); empty for the order the fields are declared in.
    required_order: ClassVar[Sequence[str]] = ()
    #: The fewest keys the object may have (JSON Schema ``minProperties``).
    min_keys: ClassVar[int] = 0

    @model_validator(mode="before")
    @classmethod
    def _no_nulls(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and not isinstance(data, dict):
            data = _plain(data)  # a plugin's read-only view of a document
        if isinstance(data, dict):
            if len(data) < cls.min_keys:
                raise PydanticCustomError(
                    "too_few_keys", "needs at least {count} key(s)", {"count": cls.min_keys}
                )
            for field_name, field in cls.model_fields.items():
                key = field.alias or field_name
                nullable = field.annotation is Any or any(
                    isinstance(item, Nullable) for item in field.metadata
                )
                if data.get(key, ...) is None and not nullable:
                    raise PydanticCustomError(
                        "no_null", "{key} is null: leave the key out instead", {"key": key}
                    )
        return data

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        found = handler(schema)
        definition = handler.resolve_ref_schema(found)
        if "title" not in cls.model_config:
            definition.pop("title", None)  # only a document's root has a title
        if cls.required_order:
            if set(cls.required_order) != set(definition.get("required", ())):
                raise TypeError(f"{cls.__name__}.required_order names other keys")
            definition["required"] = list(cls.required_order)
        if cls.min_keys:
            definition["minProperties"] = cls.min_keys
        cls._close(definition)
        return found

    @classmethod
    def _close(cls, definition: dict[str, Any]) -> None:
        """Say in *definition* which keys beyond the declared ones are allowed."""


class Closed(_Document):
    """An object that takes only its declared keys."""

    model_config = ConfigDict(extra="forbid")


class Extensible(_Document):
    """An object that takes its declared keys and keys starting with ``x-``."""

    model_config = ConfigDict(extra="allow")

    @model_validator(mode="after")
    def _only_extension_keys(self) -> Extensible:
        for key in self.model_extra or {}:
            if not key.startswith("x-"):
                raise PydanticCustomError(
                    "extra_forbidden",
                    "unknown key '{key}'; keys starting with 'x-' are free",
                    {"key": key},
                )
        return self

    @classmethod
    def _close(cls, definition: dict[str, Any]) -> None:
        definition["patternProperties"] = {EXTENSION_PATTERN: {}}
        definition["additionalProperties"] = False


class Open(_Document):
    """An object that takes any further key (the engine checks them, not the schema)."""

    model_config = ConfigDict(extra="allow")

    #: Whether the schema says ``additionalProperties: true`` out loud.
    say_open: ClassVar[bool] = False

    @classmethod
    def _close(cls, definition: dict[str, Any]) -> None:
        if not cls.say_open:
            definition.pop("additionalProperties", None)

"""The JSON Schemas of the models, built in memory: what validation reads of them.

Every check that needs a document's schema (pydantic's errors placed on the schema's node, the
localized texts found through `x-localized`) reads it here, from the models alone. Writing the
schemas to `schemas/` and checking them there, with the schemas of the outputs of later stages
(plan.json, the diff), is `actionplan.schemagen`'s business: this module imports nothing above
the model stage, so the validator never reaches the merge stage through it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import cache
from typing import Any

import pycountry
from pydantic import BaseModel
from pydantic.json_schema import CoreModeRef, DefsRef, GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from actionplan.model import KINDS
from actionplan.model.commitment import CORE_VALUES
from actionplan.model.common import LANG_PATTERN

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_BASE = "https://ogp-local.github.io/actionplan/schemas/"


# A class in a core reference: `actionplan.status.HistoryEntry:140234`.
_CLASS_REF = re.compile(r"([A-Za-z_][\w.]*)\.(\w+):")


def _kept_name(match: re.Match[str]) -> str:
    """The class reference under the name its model's schema keeps (`SCHEMA_NAME`), if any."""
    cls = getattr(sys.modules.get(match[1]), match[2], None)
    kept = getattr(cls, "SCHEMA_NAME", None)
    return f"{match[1]}.{kept}:" if isinstance(kept, str) else match[0]


class _PlanSchema(GenerateJsonSchema):
    """Optional keys are simply absent in plan files: no `null`, no `default: null`.

    A model's `$defs` name is its class name, unless the class declares the `SCHEMA_NAME` its
    published schemas know it by (a class renamed in the code, its schemas unchanged).
    """

    def get_defs_ref(self, core_mode_ref: CoreModeRef) -> DefsRef:
        core_ref, mode = core_mode_ref
        return super().get_defs_ref((_CLASS_REF.sub(_kept_name, core_ref), mode))  # type: ignore[arg-type]

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        inner = self.generate_inner(schema["schema"])
        default = schema.get("default")
        if default is None or default == []:
            return inner
        return super().default_schema(schema)


def _describe_formats(node: Any) -> None:
    """Hover text: a field's own description first, then what its value must look like."""
    if isinstance(node, dict):
        hint = node.get("x-format")
        if isinstance(hint, str):
            own = node.get("description")
            node["description"] = f"{own} Format: {hint[0].lower()}{hint[1:]}" if own else hint
        for value in node.values():
            _describe_formats(value)
    elif isinstance(node, list):
        for value in node:
            _describe_formats(value)


def _codes(records: Any) -> dict[str, str]:
    """ISO codes and their names, as pycountry lists them (languages without a two-letter
    code left out): the codes the validator's `unknown-code` accepts."""
    found = {r.alpha_2: r.name for r in records if hasattr(r, "alpha_2")}
    return dict(sorted(found.items()))


def _code_list(node: dict[str, Any], codes: dict[str, str], standard: str) -> None:
    """Completion offers every code with its name; the editor flags any other, saying what
    the validator's `unknown-code` says rather than listing them all."""
    node["enum"] = list(codes)
    node["enumDescriptions"] = list(codes.values())
    node["errorMessage"] = f"Not an {standard} code."


def _member_codes(member: dict[str, Any]) -> None:
    props = member["properties"]
    _code_list(props["country"], _codes(pycountry.countries), "ISO 3166-1 alpha-2 country")
    _code_list(props["languages"]["items"], _codes(pycountry.languages), "ISO 639-1 language")


def _one_core_value(values: dict[str, Any]) -> None:
    """The `core-value` rule: at least one of transparency, accountability, participation."""
    values["anyOf"] = [{"required": [name]} for name in CORE_VALUES]


# Rules the validator checks beyond the models that a schema can say too, so that an editor
# flags them while typing: by the title of the model they are about, wherever it stands.
_MODEL_RULES = {"Member": _member_codes, "OgpValues": _one_core_value}


LANGUAGE_KEY_MESSAGE = "Not a language code: expected an ISO 639-1 code such as en, fr or es."
"""What an editor says of a key of a localized text that is no language code (the validator's
`schema-format`)."""


def _localized(node: dict[str, Any]) -> None:
    """A localized text's two forms as one node with a type, `string` first.

    yaml-language-server completes a key by its type (`title: `, not a bare `title`) and reads
    no type from a `oneOf`. The two forms differ by type, so the keywords of each apply to its
    own type only, and an editor reports a bad key at the key rather than the best of two
    failed branches. Keys are language codes: the key schema pydantic writes keeps only the
    description, which let `french:` or `en-GB:` through every validator and editor.
    """
    if "oneOf" not in node:
        return
    text, translations = sorted(node.pop("oneOf"), key=lambda b: b["type"] != "string")
    node["type"] = ["string", "object"]
    for key in ("minLength", "maxLength", "pattern"):
        node[key] = text[key]
    for key in ("minProperties", "maxProperties", "patternProperties"):
        node[key] = translations[key]
    node["propertyNames"] = {
        **translations["propertyNames"],
        "pattern": LANG_PATTERN,
        "patternErrorMessage": LANGUAGE_KEY_MESSAGE,
    }


def _for_editors(node: Any) -> None:
    """What the models leave implicit, made explicit for editors and other validators."""
    if isinstance(node, dict):
        if node.get("x-localized"):
            _localized(node)
        title = node.get("title")  # in `properties`, `title` may be a field's name
        if isinstance(title, str) and title in _MODEL_RULES and "properties" in node:
            _MODEL_RULES[title](node)
        for value in node.values():
            _for_editors(value)
    elif isinstance(node, list):
        for value in node:
            _for_editors(value)


def model_schema(name: str, model: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema of a model (a plan file, plan.json, the diff), committed as `name`."""
    body = model.model_json_schema(schema_generator=_PlanSchema)
    _describe_formats(body)
    _for_editors(body)
    return {"$schema": DIALECT, "$id": SCHEMA_BASE + name, **body}


@cache
def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema of one document kind, as committed in `schemas/`."""
    return model_schema(KINDS[kind].schema_file, KINDS[kind].model)


def node_schema(kind: str, path: tuple[str | int, ...]) -> dict[str, Any] | None:
    """The schema node that describes the value at `path` of a document of `kind`."""
    root = schema_for(kind)
    defs = root.get("$defs", {})

    def deref(s: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in s:
            s = defs[s["$ref"].rsplit("/", 1)[-1]]
        return s

    node = deref(root)
    for part in path:
        if isinstance(part, int):
            node = deref(node.get("items", {}))
        else:
            props = node.get("properties")
            if props is None:
                return None
            node = deref(props.get(part, {}))
    return node


# What `iter_localized` needs of a kind's schema, worked out once: for each node, whether it is
# localized text, and which of its properties and items can hold localized text below them.
# Subtrees that cannot (dates, people, flags) are not walked at all.
_Walk = tuple[bool, dict[str, "_Walk"], "_Walk | None"]
_DataPath = tuple[str | int, ...]


class _RecursiveSchema(Exception):
    """A schema that refers back to itself: walked the slow way."""


@cache
def _localized_walk(kind: str) -> _Walk | None:
    root = schema_for(kind)
    defs = root.get("$defs", {})
    done: dict[int, _Walk | None] = {}
    busy: set[int] = set()

    def compile_node(schema: Any) -> _Walk | None:
        while isinstance(schema, dict) and "$ref" in schema:
            schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
        if not isinstance(schema, dict):
            return None
        key = id(schema)
        if key in done:
            return done[key]
        if key in busy:
            raise _RecursiveSchema(kind)
        busy.add(key)
        result: _Walk | None
        if schema.get("x-localized"):
            result = (True, {}, None)
        else:
            props = {}
            for name, sub in schema.get("properties", {}).items():
                walk = compile_node(sub)
                if walk is not None:
                    props[name] = walk
            items = compile_node(schema["items"]) if "items" in schema else None
            result = (False, props, items) if props or items else None
        busy.discard(key)
        done[key] = result
        return result

    return compile_node(root)


def _collect(walk: _Walk, value: Any, path: _DataPath, out: list[tuple[_DataPath, Any]]) -> None:
    localized, props, items = walk
    if localized:
        out.append((path, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            sub = props.get(key)
            if sub is not None:
                _collect(sub, item, (*path, key), out)
    elif isinstance(value, list) and items is not None:
        for index, item in enumerate(value):
            _collect(items, item, (*path, index), out)


def iter_localized(kind: str, data: Any) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every localized-text value of a document, with its path, found through the schema."""
    try:
        walk = _localized_walk(kind)
    except _RecursiveSchema:
        yield from _iter_localized_by_schema(kind, data)
        return
    if walk is not None:
        found: list[tuple[_DataPath, Any]] = []
        _collect(walk, data, (), found)
        yield from found


def _iter_localized_by_schema(kind: str, data: Any) -> Iterator[tuple[_DataPath, Any]]:
    """`iter_localized` walking the schema itself, for schemas that refer to themselves."""
    root = schema_for(kind)
    defs = root.get("$defs", {})

    def walk(
        schema: dict[str, Any], value: Any, path: tuple[str | int, ...]
    ) -> Iterator[tuple[tuple[str | int, ...], Any]]:
        while "$ref" in schema:
            schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
        if schema.get("x-localized"):
            yield path, value
        elif isinstance(value, dict):
            props = schema.get("properties", {})
            for key, item in value.items():
                if key in props:
                    yield from walk(props[key], item, (*path, key))
        elif isinstance(value, list) and "items" in schema:
            for index, item in enumerate(value):
                yield from walk(schema["items"], item, (*path, index))

    yield from walk(root, data, ())

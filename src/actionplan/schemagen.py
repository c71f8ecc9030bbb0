"""The JSON Schemas in `schemas/` are generated from the models: written and checked here."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from actionplan.model import KINDS

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_BASE = "https://ogp-local.github.io/actionplan/schemas/"


class _PlanSchema(GenerateJsonSchema):
    """Optional keys are simply absent in plan files: no `null`, no `default: null`."""

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        inner = self.generate_inner(schema["schema"])
        default = schema.get("default")
        if default is None or default == []:
            return inner
        return super().default_schema(schema)


@cache
def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema of one document kind, as committed in `schemas/`."""
    model = KINDS[kind].model
    body = model.model_json_schema(schema_generator=_PlanSchema)
    return {"$schema": DIALECT, "$id": SCHEMA_BASE + KINDS[kind].schema_file, **body}


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


def iter_localized(kind: str, data: Any) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every localized-text value of a document, with its path, found through the schema."""
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


def extra_schemas() -> dict[str, dict[str, Any]]:
    """Schemas of outputs (plan.json and the like), registered by later stages."""
    return {}


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def expected_files() -> dict[str, str]:
    files = {KINDS[k].schema_file: render(schema_for(k)) for k in KINDS}
    files.update({name: render(s) for name, s in extra_schemas().items()})
    return files


def write(directory: Path) -> list[Path]:
    """Write every schema; returns the files that changed."""
    directory.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in expected_files().items():
        target = directory / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            changed.append(target)
    return changed


def drift(directory: Path) -> list[str]:
    """Names of the committed schema files that differ from what the models generate."""
    out = []
    for name, text in expected_files().items():
        target = directory / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            out.append(name)
    return out

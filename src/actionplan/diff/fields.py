"""Field-by-field comparison of two model instances, lists matched by their identifying key.

Equal subtrees are skipped with one `==` (pydantic models compare their fields), so the cost of
a comparison grows with what changed, not with the size of the plan.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel, JsonValue
from pydantic.fields import FieldInfo

from actionplan.diff.model import ChangeKind, FieldChange
from actionplan.diff.words import prose_diffs, same_prose

# Keys that identify an item of a list of mappings, tried in this order.
ITEM_KEYS = ("id", "name", "url", "requirement", "commitment")


@dataclass(frozen=True)
class Languages:
    """The primary language of each side, and the order languages are reported in."""

    old_primary: str
    new_primary: str
    order: tuple[str, ...]


def _marks_localized(annotation: Any) -> bool:
    """True when a type is (or contains, through Optional and list) LocalizedText."""
    if typing.get_origin(annotation) is typing.Annotated:
        for meta in annotation.__metadata__:
            extra = getattr(meta, "json_schema_extra", None)
            if isinstance(meta, FieldInfo) and isinstance(extra, dict) and extra.get("x-localized"):
                return True
    return any(_marks_localized(arg) for arg in typing.get_args(annotation))


@cache
def localized_fields(model: type[BaseModel]) -> frozenset[str]:
    """Names of the fields of a model that hold localized text (or lists of it)."""
    out = set()
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if (isinstance(extra, dict) and extra.get("x-localized")) or _marks_localized(
            info.annotation
        ):
            out.add(name)
    return frozenset(out)


def dump(value: Any) -> JsonValue:
    """A value as it stands in plan.json."""
    if isinstance(value, BaseModel):
        data: JsonValue = value.model_dump(mode="json", exclude_none=True)
        return data
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [dump(item) for item in value]
    if isinstance(value, dict):
        return {str(k): dump(v) for k, v in value.items()}
    result: JsonValue = value
    return result


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


class FieldDiffer:
    """Collects the FieldChanges between two documents."""

    def __init__(self, languages: Languages) -> None:
        self.languages = languages

    def models(
        self,
        old: BaseModel,
        new: BaseModel,
        prefix: str = "",
        skip: frozenset[str] = frozenset(),
    ) -> list[FieldChange]:
        """Every field of `new` (a model of the same class as `old`) that differs."""
        out: list[FieldChange] = []
        self._models(old, new, prefix, skip, out)
        return out

    def _models(
        self, old: BaseModel, new: BaseModel, prefix: str, skip: frozenset[str], out: list[Any]
    ) -> None:
        localized = localized_fields(type(new))
        for name in type(new).model_fields:
            if name in skip:
                continue
            a, b = getattr(old, name), getattr(new, name)
            if a != b:
                self.value(a, b, _join(prefix, name), name in localized, out)

    def value(self, a: Any, b: Any, path: str, localized: bool, out: list[FieldChange]) -> None:
        if localized and not isinstance(a, list) and not isinstance(b, list):
            self._prose(a, b, path, out)
        elif a is None or b is None:
            kind: ChangeKind = "added" if a is None else "removed"
            out.append(FieldChange(path=path, change=kind, old=dump(a), new=dump(b)))
        elif isinstance(a, BaseModel) and type(a) is type(b):
            self._models(a, b, path, frozenset(), out)
        elif isinstance(a, list) and isinstance(b, list):
            self._lists(a, b, path, localized, out)
        else:
            out.append(FieldChange(path=path, change="changed", old=dump(a), new=dump(b)))

    def _prose(self, a: Any, b: Any, path: str, out: list[FieldChange]) -> None:
        langs = self.languages
        if a is None or b is None:
            kind: ChangeKind = "added" if a is None else "removed"
            out.append(FieldChange(path=path, change=kind, old=dump(a), new=dump(b)))
            return
        if langs.old_primary == langs.new_primary and same_prose(a, b, langs.new_primary):
            return
        words = prose_diffs(a, b, langs.old_primary, langs.new_primary, langs.order)
        if words:
            out.append(
                FieldChange(path=path, change="changed", old=dump(a), new=dump(b), words=words)
            )

    def _lists(
        self, a: list[Any], b: list[Any], path: str, localized: bool, out: list[FieldChange]
    ) -> None:
        key = item_key(a, b)
        if key is not None:
            self._keyed(a, b, key, path, out)
        elif not localized and all(not isinstance(v, BaseModel) for v in (*a, *b)):
            self._plain(a, b, path, out)
        else:
            for index in range(max(len(a), len(b))):
                x = a[index] if index < len(a) else None
                y = b[index] if index < len(b) else None
                if x != y:
                    self.value(x, y, f"{path}[{index}]", localized, out)

    def _keyed(
        self, a: list[BaseModel], b: list[BaseModel], key: str, path: str, out: list[FieldChange]
    ) -> None:
        before = {getattr(item, key): item for item in a}
        after = {getattr(item, key): item for item in b}
        for name, item in before.items():
            if name not in after:
                out.append(FieldChange(path=f"{path}[{name}]", change="removed", old=dump(item)))
        for name, item in after.items():
            if name not in before:
                out.append(FieldChange(path=f"{path}[{name}]", change="added", new=dump(item)))
            elif before[name] != item:
                self._models(before[name], item, f"{path}[{name}]", frozenset(), out)

    def _plain(self, a: list[Any], b: list[Any], path: str, out: list[FieldChange]) -> None:
        removed = Counter(a) - Counter(b)
        added = Counter(b) - Counter(a)
        if not removed and not added:  # the same values in another order
            out.append(FieldChange(path=path, change="changed", old=dump(a), new=dump(b)))
            return
        for value in a:
            if removed[value] > 0:
                removed[value] -= 1
                out.append(FieldChange(path=path, change="removed", old=dump(value)))
        for value in b:
            if added[value] > 0:
                added[value] -= 1
                out.append(FieldChange(path=path, change="added", new=dump(value)))


def item_key(a: list[Any], b: list[Any]) -> str | None:
    """The key that identifies the items of two lists of models, if one does."""
    items = [*a, *b]
    if not items or not all(isinstance(item, BaseModel) for item in items):
        return None
    fields = type(items[0]).model_fields
    for key in ITEM_KEYS:
        if key not in fields or any(type(item) is not type(items[0]) for item in items):
            continue
        if all(_unique([getattr(item, key) for item in side]) for side in (a, b)):
            return key
    return None


def _unique(values: list[Any]) -> bool:
    return None not in values and len(set(values)) == len(values)

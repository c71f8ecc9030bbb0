"""The templates a template pulls in, followed through: one walk for both ways of reading a
template's references, Jinja2's parser (actionplan.render.html) and the scan of tags that task
creation uses to stay fast (actionplan.pipeline.deps), which must find the same files in the
same order. Standard library only, for the same reason."""

from __future__ import annotations

from collections.abc import Callable


def walk(name: str, referenced: Callable[[str], list[str]]) -> list[str]:
    """`name` and every template it extends, includes or imports, recursively, each once in the
    order met (breadth first, each template's references sorted); `referenced(template)` gives
    the names a template refers to."""
    seen: dict[str, None] = {}
    pending = [name]
    while pending:
        current = pending.pop(0)
        if current in seen:
            continue
        seen[current] = None
        pending.extend(sorted(referenced(current)))
    return list(seen)

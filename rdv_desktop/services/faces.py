"""Lazy package faces: a domain package names what the UI may use without importing it all.

Each package `__init__` maps its public names to the module that defines them; a name is
imported on first use (PEP 562). Importing `services.counter` for a view type therefore does not
pull in the PDF renderers or the signing keys at start-up, and packages that use each other
(counter ↔ papers) never meet half-initialised.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_face(
    package: str, namespace: dict[str, Any], exports: dict[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """`__getattr__` and `__dir__` for `package`: `exports` maps a name to its module."""

    def getattr_(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value  # later look-ups skip this function
        return value

    def dir_() -> list[str]:
        return sorted({*namespace, *exports})

    return getattr_, dir_

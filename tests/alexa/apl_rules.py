"""Structural rules an APL document and its data source must follow before we send them.

The rules, each from Amazon's APL and AVG references:
- the document is `type: APL` with a known version and a `mainTemplate` with `parameters` and a
  non-empty `items`;
- every component is of a known type (or a layout the document defines), children sit in
  `item`/`items` (`firstItem`/`lastItem` too), and a VectorGraphic's `source` names a graphic of
  the document;
- every `@name` resource used is defined in the document's resources, and every resource block
  has only known kinds (colors, dimensions, ...);
- every AVG graphic is `type: AVG`, a known version, with positive `width`/`height` (and viewport),
  items of known types (group, path, text), a path with `pathData`, a text with `text`;
- `${...}` expressions are balanced, and every `payload.x.y` they read exists in the data source;
- path data handed to a graphic through the data source is SVG path syntax.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

APL_VERSIONS = {f"1.{minor}" for minor in range(10)} | {"2022.1", "2022.2", "2023.1", "2023.2"}
AVG_VERSIONS = {"1.0", "1.1", "1.2"}
COMPONENTS = {
    "Container",
    "EditText",
    "Frame",
    "GridSequence",
    "Image",
    "Pager",
    "ScrollView",
    "Sequence",
    "Text",
    "TouchWrapper",
    "VectorGraphic",
    "Video",
}
AVG_ITEMS = {"group", "path", "text"}
RESOURCE_KINDS = {
    "description",
    "when",
    "colors",
    "dimensions",
    "strings",
    "numbers",
    "booleans",
    "gradients",
    "easings",
}
CHILD_KEYS = ("item", "items", "firstItem", "lastItem")
_RESOURCE = re.compile(r"@([A-Za-z_][A-Za-z0-9_]*)")
_PAYLOAD = re.compile(r"payload((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_PATH_DATA = re.compile(rf"^(?:[MmLlHhVvCcSsQqTtAaZz]|{_NUMBER}|[\s,])*$")


def problems(document: dict[str, Any], datasources: dict[str, Any] | None = None) -> list[str]:
    """Everything that breaks a rule above; empty when the document is sound."""
    found: list[str] = []
    if document.get("type") != "APL":
        found.append("type is not APL")
    if document.get("version") not in APL_VERSIONS:
        found.append(f"unknown APL version {document.get('version')!r}")
    main = document.get("mainTemplate")
    if not isinstance(main, dict) or not _children(main):
        found.append("mainTemplate has no items")
        main = {}
    if not isinstance(main.get("parameters", []), list):
        found.append("mainTemplate.parameters is not a list")
    layouts = set(document.get("layouts", {}))
    graphics = document.get("graphics", {})
    for component in _components(main):
        kind = component.get("type")
        if kind not in COMPONENTS and kind not in layouts:
            found.append(f"unknown component type {kind!r}")
        if kind == "VectorGraphic":
            source = component.get("source", "")
            if source not in graphics and not str(source).startswith("https://"):
                found.append(f"VectorGraphic source {source!r} is not a graphic of the document")
    found += _resource_problems(document)
    for name, graphic in graphics.items():
        found += [f"graphic {name}: {p}" for p in avg_problems(graphic)]
    found += _expression_problems(document)
    if datasources is not None:
        found += _payload_problems(document, main, datasources)
    return found


def avg_problems(graphic: dict[str, Any]) -> list[str]:
    found = []
    if graphic.get("type") != "AVG":
        found.append("type is not AVG")
    if graphic.get("version") not in AVG_VERSIONS:
        found.append(f"unknown AVG version {graphic.get('version')!r}")
    for key in ("width", "height"):
        if not _positive(graphic.get(key)):
            found.append(f"{key} is not a positive number")
    for key in ("viewportWidth", "viewportHeight"):
        if key in graphic and not _positive(graphic[key]):
            found.append(f"{key} is not a positive number")
    for item in _avg_items(graphic):
        kind = item.get("type")
        if kind not in AVG_ITEMS:
            found.append(f"unknown AVG item {kind!r}")
        if kind == "path":
            data = item.get("pathData")
            if not isinstance(data, str) or not data:
                found.append("a path without pathData")
            elif "${" not in data and not _PATH_DATA.match(data):
                found.append(f"path data is not SVG path syntax: {data[:40]!r}")
        if kind == "text" and not isinstance(item.get("text"), str):
            found.append("a text item without text")
    return found


def path_data_ok(data: str) -> bool:
    return bool(_PATH_DATA.match(data))


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def _children(node: dict[str, Any]) -> list[dict[str, Any]]:
    children: list[dict[str, Any]] = []
    for key in CHILD_KEYS:
        value = node.get(key)
        if isinstance(value, dict):
            children.append(value)
        elif isinstance(value, list):
            children += [v for v in value if isinstance(v, dict)]
    return children


def _components(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for child in _children(node):
        yield child
        yield from _components(child)


def _avg_items(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for child in _children(node):
        yield child
        yield from _avg_items(child)


def _resource_problems(document: dict[str, Any]) -> list[str]:
    found = []
    defined: set[str] = set()
    for block in document.get("resources", []):
        unknown = set(block) - RESOURCE_KINDS
        if unknown:
            found.append(f"unknown resource kinds {sorted(unknown)}")
        for kind in RESOURCE_KINDS - {"description", "when"}:
            defined |= set(block.get(kind, {}))
    for text in _strings(document):
        for name in _RESOURCE.findall(text):
            if name not in defined:
                found.append(f"resource @{name} is not defined")
    for name, style in document.get("styles", {}).items():
        if not isinstance(style.get("values"), list | dict):
            found.append(f"style {name} has no values")
    return found


def _expression_problems(document: dict[str, Any]) -> list[str]:
    found = []
    for text in _strings(document):
        depth = 0
        for index, char in enumerate(text):
            if text.startswith("${", index):
                depth += 1
            elif char == "}" and depth:
                depth -= 1
        if depth:
            found.append(f"unbalanced expression {text[:40]!r}")
    return found


def _payload_problems(
    document: dict[str, Any], main: dict[str, Any], datasources: dict[str, Any]
) -> list[str]:
    found = []
    if main.get("parameters") != ["payload"]:
        return ["the data source is bound as payload: mainTemplate.parameters must be ['payload']"]
    for text in _strings(main):
        for path in _PAYLOAD.findall(text):
            value: Any = datasources
            for key in path.strip(".").split("."):
                if not isinstance(value, dict) or key not in value:
                    found.append(f"payload{path} is not in the data source")
                    break
                value = value[key]
    return found


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key != "description":
                yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)

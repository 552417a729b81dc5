"""An AVG graphic drawn as SVG, to look at a chart in a browser (no APL viewhost installs here).

Covers what our graphics use: path and text items (groups flattened), parameters bound from the
VectorGraphic's properties as `${name}`. Not a general APL renderer.
"""

from __future__ import annotations

import html
import re
from typing import Any

_BINDING = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_PATH_ATTRIBUTES = {
    "fill": "fill",
    "stroke": "stroke",
    "strokeWidth": "stroke-width",
    "strokeLineCap": "stroke-linecap",
    "strokeLineJoin": "stroke-linejoin",
    "fillOpacity": "fill-opacity",
    "strokeOpacity": "stroke-opacity",
}
_TEXT_ATTRIBUTES = {
    "x": "x",
    "y": "y",
    "fill": "fill",
    "fontSize": "font-size",
    "fontWeight": "font-weight",
    "textAnchor": "text-anchor",
}


def to_svg(graphic: dict[str, Any], values: dict[str, str]) -> str:
    """The graphic as an <svg> element, parameters taken from `values` or their defaults."""
    bound = {p["name"]: p.get("default", "") for p in graphic.get("parameters", [])}
    bound.update({k: v for k, v in values.items() if k in bound})
    width, height = graphic["width"], graphic["height"]
    view_w = graphic.get("viewportWidth", width)
    view_h = graphic.get("viewportHeight", height)
    body = "".join(_item(item, bound, index) for index, item in enumerate(_items(graphic)))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {view_w} {view_h}">{body}</svg>'
    )


def _items(node: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    children = node.get("items", node.get("item", []))
    for child in children if isinstance(children, list) else [children]:
        if child.get("type") == "group":
            found += _items(child)
        else:
            found.append(child)
    return found


def _bind(value: Any, bound: dict[str, str]) -> str:
    return _BINDING.sub(lambda m: str(bound.get(m.group(1), "")), str(value))


def _item(item: dict[str, Any], bound: dict[str, str], index: int) -> str:
    if item["type"] == "path":
        attributes = {"d": _bind(item["pathData"], bound), "fill": "none"}
        attributes |= {
            svg: _bind(item[avg], bound) for avg, svg in _PATH_ATTRIBUTES.items() if avg in item
        }
        return f'<path id="item{index}" {_attributes(attributes)}/>'
    if item["type"] == "text":
        attributes = {
            svg: _bind(item[avg], bound) for avg, svg in _TEXT_ATTRIBUTES.items() if avg in item
        }
        text = html.escape(_bind(item["text"], bound))
        font = 'font-family="sans-serif"'
        return f'<text id="item{index}" {font} {_attributes(attributes)}>{text}</text>'
    raise ValueError(f"no SVG for AVG item {item['type']!r}")


def _attributes(values: dict[str, str]) -> str:
    return " ".join(f'{name}="{html.escape(value, quote=True)}"' for name, value in values.items())

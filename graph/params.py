r"""Query parameters for FalkorDB, which takes them in the query text.

The parameters travel as a `CYPHER name=value ...` prefix of the query.  The client's own
writer (falkordb.helpers.stringify_param_value) is a Python call per value: a quarter of the
loading process's time in a profile at 100,000 records.  JSON is nearly that text, written in C:
FalkorDB reads JSON's numbers, null, true/false, lists and strings with the escapes \" \\ \n \r
\t \b \f alike; it differs in map keys (Cypher's are identifiers: backticked here, as the client
does) and in \uXXXX escapes, which the engine keeps as six characters.  A value whose JSON holds
one (a control character, a NUL) or an unusual key goes the client's way, as before.
"""
from __future__ import annotations

import json
import re
from typing import Any

from falkordb.helpers import stringify_param_value

_JSON = json.JSONEncoder(ensure_ascii=False, allow_nan=False, check_circular=False,
                         separators=(",", ":")).encode
_PLAIN_KEY = re.compile(r'[^"\\`\x00-\x1f]+')
# A map key still in JSON's quotes: `{"` or `,"` always opens a string (inside one JSON writes
# `\"`), and a string followed by `:` is a key.
_QUOTED_KEY = re.compile(r'[{,]"(?:[^"\\]++|\\.)*+":')


def params_header(params: dict[str, Any] | None) -> str:
    """The `CYPHER name=value ... ` prefix that carries `params` in the query text."""
    if not params:
        return ""
    parts = ["CYPHER "]
    for name, value in params.items():
        text = _cypher_value(value) if isinstance(name, str) and _PLAIN_KEY.fullmatch(name) else None
        if text is None:
            text = stringify_param_value(sendable(value))
        parts.append(f"`{name}`={text} ")
    return "".join(parts)


def _cypher_value(value: Any) -> str | None:
    """`value` as Cypher text by way of JSON, or None where JSON would not read the same."""
    try:
        text = _JSON(value)
    except (TypeError, ValueError):
        return None      # not JSON (a set, NaN ...): the client's writer decides, as before
    if "\\u" in text:
        return None
    keys: set = set()
    _collect_keys(value, keys)
    escaped_quote = '\\"' in text
    for key in keys:
        if not isinstance(key, str) or not _PLAIN_KEY.fullmatch(key):
            return None
        if escaped_quote or not (key[0].isalnum() or key[0] == "_"):
            # `{"key":` and `,"key":` are keys: inside a string JSON writes `\"`, never `{"` or `,"`.
            text = text.replace('{"' + key + '":', "{`" + key + "`:").replace(',"' + key + '":', ",`" + key + "`:")
        else:
            # With no `\"` anywhere, every `"` opens or closes a string; one before a letter
            # opens it, and `"key":` is then the whole string, followed by a colon: a key.
            text = text.replace('"' + key + '":', "`" + key + "`:")
    # A key _collect_keys did not see is still quoted: `":` after a string's closing quote.
    # Inside a string the pair is written `\":`; so is the end of a key that ends in a backslash
    # (`\\":`), which the exact search below tells apart.
    quoted = text.count('":')
    if quoted and (quoted != text.count('\\":') or ('\\\\":' in text and _QUOTED_KEY.search(text))):
        return None
    return text


def _collect_keys(value: Any, keys: set) -> None:
    """The map keys in `value`: of every map in a list of maps, and in the first one's values
    (rows are alike; a key missed here is caught after, in _cypher_value)."""
    if isinstance(value, dict):
        keys.update(value)
        nested = value.values()
    elif isinstance(value, (list, tuple)) and value and isinstance(value[0], dict):
        if all(type(item) is dict for item in value):
            keys.update(*value)
        nested = value[0].values()
    elif isinstance(value, (list, tuple)) and value:
        nested = value[:1]
    else:
        return
    for item in nested:
        if isinstance(item, (dict, list, tuple)):
            _collect_keys(item, keys)


def sendable(value: Any) -> Any:
    """Parameters as FalkorDB can take them: its client writes them into the query text,
    which ends at a NUL, so a NUL inside a string (JSON's \\u0000) becomes U+FFFD."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    if isinstance(value, dict):
        return {key: sendable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [sendable(item) for item in value]
    return value

"""The interface's two languages: every label goes through `t(key)`.

The tables are ui/i18n/en.json and ui/i18n/zh.json (the same keys; a test checks
it).  A key missing from the Chinese table falls back to English rather than
showing the key.  Institution and country names come from the graph, which
holds a Chinese name (`name_zh`) where one is known: `name()` picks it.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import streamlit as st

TABLES = Path(__file__).resolve().parents[1] / "i18n"
LANGUAGES = {"en": "English", "zh": "中文"}
STATE_KEY = "lang"


@cache
def table(lang: str) -> dict[str, str]:
    return json.loads((TABLES / f"{lang}.json").read_text(encoding="utf-8"))


def lang() -> str:
    value = st.session_state.get(STATE_KEY, "en")
    return value if value in LANGUAGES else "en"


def t(key: str, **values) -> str:
    """The label `key` in the current language, with `{placeholders}` filled from `values`."""
    text = table(lang()).get(key) or table("en")[key]
    return text.format(**values) if values else text


def name(english: str | None, chinese: str | None) -> str:
    """An institution's or country's name in the current language, English where no Chinese is known."""
    if lang() == "zh" and isinstance(chinese, str) and chinese:
        return chinese
    return english if isinstance(english, str) else ""


def language_switch() -> None:
    """The English / 中文 toggle in the sidebar."""
    st.sidebar.segmented_control(
        "Language / 语言", options=list(LANGUAGES), format_func=LANGUAGES.get,
        key=STATE_KEY, default="en", selection_mode="single",
    )

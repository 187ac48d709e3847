"""Instruction text that every reader can read: body colour, a little smaller."""

from __future__ import annotations

import streamlit as st

from ..text import escape


def note(text: str) -> None:
    """Show a line of instructions in the body's own colour (4.5:1 or more in both themes).

    Streamlit's captions are a light grey (3.9:1 on white), too faint for instructions.
    The text is escaped: it may name values from the data.
    """
    st.html(f"<p style='font-size:0.9rem;margin:0 0 0.25rem 0'>{escape(text)}</p>")

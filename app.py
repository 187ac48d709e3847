"""The dashboard page: `streamlit run app.py [-- --events FILE|STORE_DIR [--engine spark]]`."""

from pathlib import Path

import streamlit as st

from timeline import page

st.set_page_config(page_title="Timeline", page_icon="🗓️", layout="wide")

# The data: the last good version while the file is broken, or the errors and a stop.
path = page.events_path(Path(__file__).parent)
loaded, broken = page.load_or_stop(path)

# The widgets hold the view: the URL seeds them, the sidebar shows them, the URL follows.
selection = page.select(loaded)
page.render_sidebar(loaded)

# Heading, notices and count; the tabs; the open event's details; the link to this view.
page.heading(selection, path, broken)
page.tabs(selection)
page.details(selection)
page.share(selection)

"""The dashboard page: `streamlit run app.py [-- --events FILE]`."""

import os
import sys
from pathlib import Path

import streamlit as st

from timeline import DataError
from timeline.files import choose_events_path, load_file, modified

st.set_page_config(page_title="Timeline", page_icon="🗓️", layout="wide")

PATH = choose_events_path(sys.argv[1:], dict(os.environ), Path(__file__).parent)


@st.cache_resource(show_spinner=False)
def load(path: str, mtime: float):
    """Parse the file once per path and modification time (shared read-only by every viewer)."""
    return load_file(path)


try:
    data = load(str(PATH), modified(PATH))
except DataError as err:
    st.error("The data file has errors:\n\n" + "\n".join(f"- `{line}`" for line in err.lines()))
    st.stop()
except OSError as err:
    st.error(f"Cannot read the data file {PATH}: {err.strerror or err}")
    st.stop()

st.title(data.title)
st.dataframe(data.events[["id", "date_label", "title", "kind", "place"]], hide_index=True)

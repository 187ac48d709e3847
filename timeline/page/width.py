"""The chart's width as the reader's browser measures it: which markers touch depends on it."""

from __future__ import annotations

import streamlit as st

KEY = "chart_width"

# Measures the main column (the charts' width) and reports it when it changes by more than a
# marker: once when the page opens, again when the window turns or the sidebar folds (not
# while the details' panel is open). Each report reruns the page, so a few pixels' change,
# which regroups nothing, is not sent, nor a width held for less than SETTLE_MS: a window
# dragged wider reruns the page once. A fixed script: no data from the file or the URL goes
# in it, only the last width reported.
SETTLE_MS = 400
_JS = """
export default function (component) {
  const { setStateValue, data } = component;
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  if (!main || typeof ResizeObserver === "undefined") return;
  let sent = Number((data && data.width) || 0);
  let timer = null;
  const report = () => {
    timer = null;
    // The details' panel narrows the column while it is open: the chart is redrawn in the
    // narrower space, and its grouping waits for the panel to close. A report now would
    // rerun the page while the panel's own run is on its way, with the page's fields as
    // they were, and undo the reader's choice there. The first report is always sent.
    if (sent > 0 && document.querySelector('[data-testid="stDialog"]')) return;
    const style = getComputedStyle(main);
    const width = Math.round(
      main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight));
    if (width > 0 && Math.abs(width - sent) >= 15) {
      sent = width;
      setStateValue("width", width);
    }
  };
  const observer = new ResizeObserver(() => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(report, SETTLE_MS);
  });
  observer.observe(main);
  return () => { observer.disconnect(); if (timer !== null) clearTimeout(timer); };
}
"""

_measure = st.components.v2.component(
    "timeline.chart_width", js=_JS.replace("SETTLE_MS", str(SETTLE_MS))
)


def chart_width() -> int | None:
    """Return the charts' width in pixels as last reported, or None before any report."""
    reported = st.session_state.get(KEY) or {}
    width = reported.get("width") if hasattr(reported, "get") else None
    # Anything but a plausible width (a hand-made message) counts as not measured.
    return int(width) if isinstance(width, int | float) and 0 < width < 100_000 else None


def measure() -> None:
    """Mount the measuring script: it draws nothing, and reports the width when it changes."""
    _measure(key=KEY, data={"width": chart_width()}, on_width_change=lambda: None)

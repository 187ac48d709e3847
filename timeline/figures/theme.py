"""The figures' theme, resolved to real colours: the dashboard's light theme, in any file.

A figure made without a template takes plotly's default, which depends on the process:
where Streamlit is imported (the page) it is Streamlit's, whose colours are placeholders
(`#000011`...) that only the dashboard's own front end replaces, and which leaves the axes
without automargin, so a static page made by the page cut the lane names; where it is not
(the command line) it is plotly's blue-grey one. Every figure here carries this template
instead, so the same view makes the same figure, and the same bytes, wherever it is made.

The values are those the dashboard's front end gives a chart in Streamlit's light theme
(read from a rendered chart's `_fullLayout`). In the dashboard, Streamlit's front end merges
its own theme over a figure's template, light or dark, so the dashboard looks as before.
"""

from __future__ import annotations

import plotly.graph_objects as go

FONT = '"Source Sans", sans-serif'  # the dashboard's; a page without it falls back
BACKGROUND = "#FFFFFF"
TEXT = "#808495"  # axis and tick labels: Streamlit's grey
LEGEND_TEXT = "#262730"
GRID = "#e6eaf1"
# Streamlit's categorical and sequential colours (light theme); the figures name their own
# colours, so these only keep a trace without one from falling back to plotly's.
COLORWAY = ["#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d", "#7defa1", "#ff8700",
            "#ffd16a", "#6d3fc0", "#d5dae5"]  # fmt: skip
SEQUENTIAL = ["#e4f5ff", "#c7ebff", "#a6dcff", "#83c9ff", "#60b4ff", "#3d9df3", "#1c83e1",
              "#0068c9", "#0054a3", "#004280"]  # fmt: skip

_SCALE = [[i / (len(SEQUENTIAL) - 1), colour] for i, colour in enumerate(SEQUENTIAL)]
_AXIS = {
    "gridcolor": GRID,
    "zerolinecolor": GRID,
    "tickcolor": GRID,
    "tickfont": {"color": TEXT, "size": 12},
    "title": {"font": {"color": TEXT, "size": 14}},
    # Tick labels (the lane names) push the margin out: never cut at any width.
    "automargin": True,
}

THEME = go.layout.Template(
    layout={
        "font": {"family": FONT, "size": 12, "color": TEXT},
        "paper_bgcolor": BACKGROUND,
        "plot_bgcolor": BACKGROUND,
        "colorway": COLORWAY,
        "colorscale": {"sequential": _SCALE, "sequentialminus": _SCALE},
        "legend": {
            "font": {"size": 12, "color": LEGEND_TEXT},
            "valign": "top",
            "bordercolor": "rgba(0,0,0,0)",
            "borderwidth": 0,
        },
        "xaxis": {**_AXIS, "zeroline": False},
        "yaxis": {**_AXIS, "ticklabelposition": "outside"},
        "margin": {"pad": 8},
    }
)


def themed(fig: go.Figure) -> go.Figure:
    """Give a figure the resolved theme (never the process's default template) and return it."""
    fig.update_layout(template=THEME)
    return fig

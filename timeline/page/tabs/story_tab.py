"""The Story tab: the shown events one at a time, in order, each step a link.

The step is the open event (`view=story&event=<id>`, with the filters and `story=<id>`):
the previous and next buttons open another event, and the URL follows as it does for
any open event. The order, the title step and authored stories are timeline/story.py's;
an event shows its card (views.details_html), as the details panel shows it. The chart
beside the step (after it on a phone) marks the event and shows its neighbourhood.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from ...card import lang_attributes
from ...errors import cut
from ...figures import MAX_MARKERS, MAX_MARKS, add_timeline_periods, timeline_figure
from ...figures.style import CONFIG
from ...i18n import N_
from ...query import notice_in
from ...session import clicked_event, clicked_group
from ...story import (
    Step,
    StoryError,
    find_story,
    following,
    hidden,
    neighbourhood,
    previous,
    step_for,
    steps,
    stories,
    story_title,
)
from ...text import escape, markdown_text
from ...views import details_html
from .. import language
from ..note import note
from ..selection import Selection
from ..width import chart_width
from .base import Tab

STEP_KEY, PREV_KEY, NEXT_KEY, CHART_KEY = "story-step", "story-prev", "story-next", "story-chart"
# The story chosen, as the menu holds it: `story` (the URL's) is no widget's key, since a
# widget not drawn on a run (this tab is drawn only while open) would lose its value.
CHOICE_KEY = "story-choice"
EVERY = ""  # the menu's choice of no authored story: every shown event
EVERY_TITLE = N_("Every shown event, in order")
HEADLINE_LIMIT = 200  # characters of a headline the live region reads out
# The steps of the last story told, kept while only the step changes: stepping through a
# story of many events does not order them again on each step.
STEPS_KEY = "story-steps"
# Streamlit lays columns side by side from this width of the window; the chart's column
# is half the page's then, the whole of it under the step on a phone.
SIDE_BY_SIDE_PX = 640
CHART_SHARE = 0.5

# Keys, a swipe, the announcement and the focus: a fixed script (no data from the file or
# the URL goes in it), installed once per page. The arrows and a swipe press the buttons
# themselves, so every way of stepping is the buttons' one way. The step's position and
# headline are read from the page (data-story-announce, written escaped) into a polite live
# region outside Streamlit's elements, which a rerun would replace (and a screen reader may
# not read a region that is new). Focus stays where the reader pressed: a button a rerun
# replaced or disabled is given it back (or its sibling), the step itself keeps it.
_SCRIPT = """<script>
(() => {
  if (window.__timelineStory) return;
  window.__timelineStory = true;
  const STEP = ".st-key-STEP_KEY", BUTTONS = ".st-key-PREV_KEY, .st-key-NEXT_KEY";
  const live = document.createElement("div");
  live.id = "timeline-story-live";
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");
  live.style.cssText = "position:absolute;width:1px;height:1px;margin:-1px;padding:0;" +
    "border:0;overflow:hidden;clip-path:inset(50%);white-space:nowrap";
  document.body.appendChild(live);
  const region = () => document.querySelector(STEP);
  const button = (which) => document.querySelector(
    `.st-key-${which === "prev" ? "PREV_KEY" : "NEXT_KEY"} button`);
  // On a right-to-left page the story reads from right to left: Left is the next step.
  const rtl = (r) => !!r && getComputedStyle(r).direction === "rtl";
  const which = (el) => el.closest(".st-key-PREV_KEY") ? "prev" : "next";
  // What had the focus when the reader stepped, until the step's run is done (or the
  // reader goes elsewhere): "prev", "next", "step", or null.
  let want = null, until = 0, last = null, touch = null, pending = false;
  const wanting = (what) => { want = what; until = Date.now() + 10000; };
  const press = (way) => {
    const b = button(way);
    if (!b || b.disabled) return false;
    b.click();
    return true;
  };
  document.addEventListener("click", (e) => {
    const b = e.target.closest && e.target.closest(BUTTONS);
    if (b) wanting(which(b));
  }, true);
  document.addEventListener("pointerdown", (e) => {
    if (!(e.target.closest && e.target.closest(BUTTONS))) want = null;
  }, true);
  document.addEventListener("focusin", (e) => {
    const r = region();
    if (!r || !r.contains(e.target)) want = null;
  }, true);
  document.addEventListener("keydown", (e) => {
    if ((e.key !== "ArrowLeft" && e.key !== "ArrowRight") || e.altKey || e.ctrlKey ||
        e.metaKey || e.shiftKey) return;
    const r = region(), t = e.target;
    if (!r || !t.closest || !r.contains(t)) return;
    if (t.closest("input, textarea, select, [contenteditable], [role=slider]")) return;
    const on = t.closest(BUTTONS);
    if (press((e.key === "ArrowRight") !== rtl(r) ? "next" : "prev")) {
      wanting(on ? which(on) : "step");
      e.preventDefault();
    }
  });
  document.addEventListener("touchstart", (e) => {
    const r = region();
    touch = r && e.touches.length === 1 && r.contains(e.target)
      ? {x: e.touches[0].clientX, y: e.touches[0].clientY} : null;
  }, {capture: true, passive: true});
  document.addEventListener("touchend", (e) => {
    if (!touch || !e.changedTouches.length) return;
    const dx = e.changedTouches[0].clientX - touch.x;
    const dy = e.changedTouches[0].clientY - touch.y;
    touch = null;
    if (Math.abs(dx) < 50 || Math.abs(dx) < 2 * Math.abs(dy)) return;
    if (press((dx < 0) !== rtl(region()) ? "next" : "prev")) want = null;
  }, {capture: true, passive: true});
  // A button that a rerun replaced or disabled (the first or last step) has lost the focus.
  const lost = (a) => !a || a === document.body || !a.isConnected || a.disabled;
  const refocus = (r) => {
    if (!want || Date.now() > until || !lost(document.activeElement)) return;
    let target = want === "step" ? r : button(want);
    if (target && target.disabled) target = button(want === "prev" ? "next" : "prev");
    if (target && !target.disabled) target.focus();
  };
  const watch = () => {
    pending = false;
    const r = region();
    if (!r) return;
    if (!r.hasAttribute("tabindex")) {
      r.setAttribute("tabindex", "0");
      r.setAttribute("role", "region");
    }
    const said = r.querySelector("[data-story-announce]");
    // The region's name in the reader's language, as the step writes it (escaped).
    const name = said && said.getAttribute("data-story-label");
    if (name && r.getAttribute("aria-label") !== name) r.setAttribute("aria-label", name);
    const text = said && said.getAttribute("data-story-announce");
    refocus(r);
    if (!text || text === last) return;
    const first = last === null;
    last = text;
    if (!first) live.textContent = text;  // the step the page opened on is read as the page
  };
  new MutationObserver(() => {
    if (!pending) { pending = true; requestAnimationFrame(watch); }
  }).observe(document.body, {childList: true, subtree: true, attributes: true,
                             attributeFilter: ["data-story-announce", "disabled"]});
  watch();
})();
</script>"""
_SCRIPT = (
    _SCRIPT.replace("STEP_KEY", STEP_KEY)
    .replace("PREV_KEY", PREV_KEY)
    .replace("NEXT_KEY", NEXT_KEY)
)
# A horizontal swipe on the step is the story's: not the browser's pan or its swipe back
# through the history, which would take the URL back to the step before.
_STYLE = f"""<style>
.st-key-{STEP_KEY} {{ touch-action: pan-y; }}
body:has(.st-key-{STEP_KEY}), html:has(.st-key-{STEP_KEY}) {{ overscroll-behavior-x: none; }}
.st-key-{STEP_KEY}:focus-visible {{ outline: 2px solid currentColor; outline-offset: 4px; }}
/* Beside a long step, the chart stays in view as the reader scrolls through it. */
@media (min-width: {SIDE_BY_SIDE_PX}px) {{
  [data-testid="stColumn"]:has(.st-key-{CHART_KEY}) {{
    position: sticky; top: 3.75rem; align-self: flex-start; }}
}}
.story-narration {{ font-size: 1.05rem; font-style: italic; margin: 0 0 .75rem 0;
  padding-left: .75rem; border-left: 3px solid currentColor; }}
</style>"""


def _go(event: str | None) -> None:
    st.session_state["event"] = event


def _choose() -> None:
    st.session_state["story"] = st.session_state[CHOICE_KEY]


def _open_from_chart(told: list[Step]) -> None:
    points = st.session_state[CHART_KEY]["selection"]["points"]
    ids = {s.event_id for s in told}
    event = clicked_event(points) or next((e for e in clicked_group(points) if e in ids), None)
    if event in ids:
        _go(event)


def _story_menu(selection: Selection, chosen: str) -> None:
    """Offer the file's authored stories, when it has some."""
    authored = stories(selection.loaded.data)
    if not authored:
        return
    t = language.current()
    titles = {EVERY: t.gettext(EVERY_TITLE), **{s.id: story_title(s, t.lang) for s in authored}}
    st.session_state[CHOICE_KEY] = chosen
    st.selectbox(t.gettext("Story"), list(titles), key=CHOICE_KEY, format_func=titles.__getitem__,
                 on_change=_choose)  # fmt: skip


def _told(selection: Selection) -> tuple[list[Step], list[str], str]:
    """Return the steps, the authored steps the filters hide and the story's id ("": none).

    An unknown story's id is dropped with a warning: the story is every shown event.
    """
    shown, data, story_id = selection.shown, selection.loaded.data, selection.state.story
    t = language.current()  # the headlines in the reader's language where translated
    # The same file (its loaded version), the same shown events, story and language.
    key = (id(selection.loaded), len(data.events), story_id, t.lang,
           hashlib.blake2b(selection.mask.tobytes(), digest_size=16).digest())  # fmt: skip
    kept = st.session_state.get(STEPS_KEY)
    if kept is not None and kept[0] == key:
        return kept[1]
    try:
        told = steps(shown, data, story_id, t.lang), hidden(shown, data, story_id), story_id
        st.session_state[STEPS_KEY] = (key, told)
        return told
    except StoryError as error:
        words = t.gettext("Ignored {error}. This is every shown event in order.",
                          error=notice_in(error.args[0], t))  # fmt: skip
        st.warning(markdown_text(words), icon="⚠️")  # the id is the URL's: no Markdown of it
        st.session_state["story"] = EVERY  # the URL follows on the next run
        return steps(shown, data, reader=t.lang), [], EVERY


def _title_step(selection: Selection, told: list[Step], step: Step, gone: list[str]) -> None:
    """Show the title step: the story's title and words, how many events, from when to when."""
    shown, t = selection.shown, language.current()
    lang = lang_attributes(step.headline_lang)  # the file's heading, maybe translated
    parts = [f"<h3{lang} style='margin:0 0 .25rem 0'>{escape(step.headline)}</h3>"]
    if step.narration:  # the story's words or the file's, maybe translated: marked so
        parts.append(f"<p{lang_attributes(step.narration_lang)}>{escape(step.narration)}</p>")
    count = len(told) - 1
    if count:
        # From the earliest to the latest: an authored story need not be told in date order.
        rows = shown[shown["id"].isin([s.event_id for s in told])]
        first = language.when(rows.iloc[int(rows["start"].to_numpy().argmin())])
        last = language.when(rows.iloc[int(rows["last"].to_numpy().argmax())])
        words = (
            t.ngettext("{count} event: {first}.", "{count} events, on {first}.", count,
                       first=first)
            if first == last else
            t.gettext("{count} events, from {first} to {last}.", count=t.count(count),
                      first=first, last=last)
        )  # fmt: skip
    else:
        words = t.gettext("No event of this story matches the filters.")
    parts.append(f"<p>{escape(words)}</p>")
    if gone:
        hid = t.ngettext(
            "{count} step of this story is hidden by the filters.",
            "{count} steps of this story are hidden by the filters.",
            len(gone),
        )
        parts.append(f"<p>{escape(hid)}</p>")
    st.html("\n".join(parts))


def _step(selection: Selection, told: list[Step], step: Step, gone: list[str]) -> None:
    """Show one step: its position, previous and next, the narration and the event's card."""
    back, on = previous(told, step), following(told, step)
    t = language.current()
    at = {"position": t.count(step.position), "total": t.count(step.total)}
    # As story.announcement words it in English: the position, then the headline.
    said = t.gettext("{position} of {total}: {headline}", **at,
                     headline=cut(step.headline, HEADLINE_LIMIT))  # fmt: skip
    # Outside the f-string: Babel's extractor does not read calls inside one (Python 3.11).
    position = t.gettext("Step {position} of {total}", **at)
    with st.container(key=STEP_KEY):
        region = escape(t.gettext("Story step"))  # the step's name for a screen reader
        st.html(f"<p style='margin:0' data-story-announce='{escape(said)}' "
                f"data-story-label='{region}'><b>{escape(position)}</b></p>")  # fmt: skip
        with st.container(horizontal=True, key="story-nav"):
            st.button(t.gettext("Previous"), key=PREV_KEY, icon=":material/arrow_back:",
                      disabled=back is None, on_click=_go,
                      args=(back.event_id if back else None,))  # fmt: skip
            st.button(t.gettext("Next"), key=NEXT_KEY, icon=":material/arrow_forward:",
                      disabled=on is None, on_click=_go,
                      args=(on.event_id if on else None,))  # fmt: skip
        if step.event_id is None:
            _title_step(selection, told, step, gone)
            return
        if step.narration:
            marked = lang_attributes(step.narration_lang)  # the author's or a translation's
            st.html(f"<p class='story-narration'{marked}>{escape(step.narration)}</p>")
        shown = selection.shown
        row = shown[shown["id"] == step.event_id].iloc[0].to_dict()
        t = language.current()
        st.html(language.data_block(details_html(row, selection.loaded.data, t=t)))


def _chart(selection: Selection, told: list[Step], step: Step) -> None:
    """Draw the timeline around the step, its event marked; too many events: none."""
    loaded, state, shown = selection.loaded, selection.state, selection.shown
    t = language.current()
    if shown.empty:
        return
    if len(shown) > MAX_MARKERS or selection.membership.marks(selection.mask) > MAX_MARKS:
        note(t.gettext("Too many events to draw one by one here: the Timeline tab shows them "
                       "by period."))  # fmt: skip
        return
    width = chart_width()
    if width is not None and width >= SIDE_BY_SIDE_PX:
        width = int(width * CHART_SHARE)
    window = neighbourhood(shown, told, step) or state.window
    figure = timeline_figure(
        language.with_dates(shown), loaded.data.people, layout=selection.layout,
        open_event=step.event_id, kinds=loaded.catalog.kinds,
        hovers=language.hovers_for(loaded.hovers, loaded.data.people), window=window,
        width=width,
    )  # fmt: skip
    add_timeline_periods(figure, loaded.data.periods, t)
    language.name_legend(language.name_ticks(figure, width))
    alt = (
        t.ngettext("Timeline of {count} event showing every date",
                   "Timeline of {count} events showing every date", len(shown))
        if step.event_id is None else
        t.ngettext("Timeline of {count} event showing the days around this step, its event "
                   "marked", "Timeline of {count} events showing the days around this step, "
                   "its event marked", len(shown))
    )  # fmt: skip
    st.plotly_chart(
        figure, key=CHART_KEY, on_select=lambda: _open_from_chart(told),
        selection_mode="points", config={**CONFIG, "scrollZoom": False}, alt=alt,
    )  # fmt: skip


def render(selection: Selection) -> None:
    """Draw the story: the step (first on a phone) and the chart around it."""
    st.html(_SCRIPT, unsafe_allow_javascript=True)  # fixed: no data goes in it
    st.html(_STYLE)
    told, gone, story_id = _told(selection)
    _story_menu(selection, story_id)
    event = selection.state.event
    step, t = step_for(told, event), language.current()
    if event is not None and step.event_id != event:
        note(t.gettext("The open event is not a step of this story (the filters hide it): "
                       "the story starts here.") if event not in set(selection.shown["id"]) else
             t.gettext("The open event is not a step of this story (it leaves it out): the "
                       "story starts here."))  # fmt: skip
    story = find_story(selection.loaded.data, story_id)
    heading = t.isolate(story_title(story, t.lang)) if story else t.gettext(EVERY_TITLE)
    told_as = t.gettext("Story: {title}", title=heading)  # outside the f-string: extracted
    st.html(f"<h2 style='font-size:1.1rem;margin:0'>{escape(told_as)}</h2>")
    text, picture = st.columns([1 - CHART_SHARE, CHART_SHARE], gap="large")
    with text:
        _step(selection, told, step, gone)
    with picture:
        _chart(selection, told, step)


TAB = Tab(
    name="story",
    label=N_("Story"),
    caption=N_(
        "One event at a time, in order: Previous and Next, the arrow keys while the "
        "story has focus, or a swipe. Each step is a link: share it from the box below."
    ),
    render=render,
    lazy=True,
)

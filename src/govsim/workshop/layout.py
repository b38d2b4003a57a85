"""The workshop page's layout for projectors: fluid from 1280×720 to 2560×1440 (投影布局).

One font size sets every length on the page: :data:`~govsim.workshop.figure.BASE_FONT_PX`
at 1280×720, growing with the smaller of the screen's width and height (21 px at
1920×1080, 28 px at 2560×1440), so the page keeps its proportions on any 16:9 projector
and text, controls and charts grow together. A CSS grid fills the screen's height: the
set-up and levers on the left (scrolling if they must), on the right the controls, the key
numbers, the counters of the last days (one row, each over a small chart 3.6 em high), the
networks, the charts and the command. Key numbers are 1.2 em (25 px at 1080p), labels, the
counters' included, at least 0.8 em (17 px at 1080p). Chinese headers break only between
words (``word-break: keep-all``) and numbers stay with their units.
"""

from __future__ import annotations

from govsim.workshop.figure import BASE_FONT_PX

__all__ = ["CSS", "DESIGN_SIZE", "PAGE_FONT"]

DESIGN_SIZE = (1280, 720)
"""The screen the page is laid out for at :data:`BASE_FONT_PX`."""

PAGE_FONT = (
    f"max({BASE_FONT_PX}px, min({100 * BASE_FONT_PX / DESIGN_SIZE[0]:.5f}vw, "
    f"{100 * BASE_FONT_PX / DESIGN_SIZE[1]:.5f}vh))"
)
"""The page's font size: the base at the design size, in proportion above it."""

RULES = """
.govsim-page { word-break: keep-all; overflow-wrap: break-word; }
.govsim-page { display: grid; grid-template-columns: 19em minmax(0, 1fr); height: 100vh;
               overflow: hidden; line-height: 1.3; }
.govsim-page .v-label, .govsim-page .v-input, .govsim-page .v-select__selection,
.govsim-page input, .govsim-page .v-btn, .govsim-page .v-list-item__title,
.govsim-page .v-messages { font-size: 1em !important; }
.govsim-page .v-label { height: auto; line-height: 1.3; }
.govsim-page .v-text-field { padding-top: 0.85em; margin-top: 0.3em; }
.govsim-page .v-text-field input { max-height: none; padding: 0.45em 0; line-height: 1.3; }
.govsim-page .v-select__selections { min-height: 2.2em; line-height: 1.3; }
.govsim-page .v-select__selection--comma { white-space: normal; overflow: visible;
                                           text-overflow: clip; }
.govsim-page .v-text-field .v-label--active { transform: translateY(-1.2em) scale(0.75); }
.govsim-page .v-slider__thumb { width: 0.85em; height: 0.85em; left: -0.425em; }
.govsim-page .v-slider--horizontal .v-slider__track-container { height: 0.15em; }
.govsim-page .v-btn:not(.v-btn--icon) { height: 2.3em !important; padding: 0 0.8em !important; }
.govsim-page .v-icon { font-size: 1.4em !important; }
.govsim-side { height: 100vh; overflow-y: auto; padding: 0 0.6em; border-right: 1px solid #ddd;
               display: flex; flex-direction: column; gap: 0.15em; }
.govsim-side > * { flex: 0 0 auto; }
.govsim-page .v-input__slider .v-input__slot { flex-wrap: wrap; }
.govsim-page .v-input__slider .v-label { flex: 0 0 100%; max-width: 100%; margin: 0 !important;
                                         white-space: normal; }
.govsim-page .v-input__slider .v-slider { min-width: 6em; }
.govsim-main { height: 100vh; min-width: 0; padding: 0.3em 0.6em; display: grid; gap: 0.3em;
               grid-template-rows: auto auto auto minmax(0, 1fr) minmax(0, 1.5fr) auto; }
.govsim-bar { display: flex; align-items: center; gap: 0.6em; flex-wrap: nowrap; }
.govsim-bar > .govsim-speed { flex: 1 1 12em; min-width: 10em; }
.govsim-title { font-weight: bold; white-space: nowrap; }
.govsim-day { font-size: 1.2em; font-weight: bold; white-space: nowrap; }
.govsim-numbers { border-collapse: collapse; }
.govsim-numbers td, .govsim-numbers th { padding: 0.05em 0.5em; text-align: right;
                                          word-break: keep-all; overflow-wrap: normal; }
.govsim-numbers th { font-size: 0.9em; font-weight: 600; }
.govsim-numbers th:first-child { text-align: left; }
.govsim-numbers td { font-size: 1.2em; font-weight: bold; white-space: nowrap; }
.govsim-counters { display: grid; gap: 0.6em; grid-auto-flow: column;
                   grid-auto-columns: minmax(0, 1fr); }
.govsim-counter { display: flex; flex-direction: column; min-width: 0; }
.govsim-counter-text { font-size: 0.8em; line-height: 1.25; }
.govsim-counter-text b[id] { font-size: 1.15em; }
.govsim-window { color: #555; white-space: nowrap; }
.govsim-counter > .govsim-small-chart { flex: 0 0 auto; height: 3.6em; }
.govsim-networks, .govsim-charts { display: grid; gap: 0.3em; min-height: 0;
                                   grid-auto-flow: column; grid-auto-columns: minmax(0, 1fr); }
.govsim-design { display: flex; flex-direction: column; min-width: 0; min-height: 0; }
.govsim-design > .govsim-figure { flex: 1 1 0; min-height: 0; }
.govsim-design-name { font-weight: bold; text-align: center; }
.govsim-networks > .govsim-aside { width: 15em; overflow: hidden; display: flex;
                                   flex-direction: column; gap: 0.3em; }
.govsim-events { flex: 1 1 auto; min-height: 0; overflow-y: auto; font-size: 0.85em; }
.govsim-events ul { padding-left: 1.1em; }
.govsim-key { font-size: 0.8em; color: #555; }
.govsim-summary { overflow-y: auto; min-height: 0; }
.govsim-summary td { font-size: 1.1em; }
.govsim-command { font-family: monospace; font-size: 0.9em; word-break: break-all; }
.govsim-settings { display: flex; align-items: center; gap: 0.6em; font-size: 0.9em; }
.govsim-pending { color: #c05621; font-weight: bold; }
.govsim-refused { color: #c53030; font-weight: bold; }
.govsim-info { position: fixed; inset: 2vh 2vw; z-index: 10; overflow-y: auto; background: #fff;
               border: 1px solid #999; box-shadow: 0 0.3em 1.5em rgba(0, 0, 0, 0.3);
               padding: 1em 2em; font-size: inherit; }
.govsim-info h2 { font-size: 1.4em; } .govsim-info h3 { font-size: 1.15em; margin-top: 0.8em; }
.govsim-info dt { font-weight: bold; margin-top: 0.4em; } .govsim-info dd { margin-left: 1.5em; }
.govsim-info-close { float: right; }
.v-application--wrap { min-height: 0 !important; }
"""

CSS = f".govsim-page, .govsim-info {{ font-size: {PAGE_FONT}; }}\n{RULES}"
"""The page's style sheet."""

"""The executive HTML report: presentation model (views), network data (graph), charts, rendering.

``render_report(analysis, show_names=False, comparison=None)`` returns the whole
self-contained HTML document as a string.
"""

from leadnet.report.render import render_report

__all__ = ["render_report"]

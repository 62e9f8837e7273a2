/* leadnet pages: a table wider than its frame scrolls sideways inside it. Where scrollbars are
   hidden (phones, overlay scrollbars) nothing showed that columns were cut off: mark each such
   frame "scrolls" (edge shadows, report.css), write a cue above it and let the keyboard scroll it.
   Run again when the window is resized or the whole report is shown again. Text only, never HTML. */
(function () {
  "use strict";
  var CUE = "Scroll sideways for the rest of this table \u2192";

  function cueOf(wrap) {
    var before = wrap.previousElementSibling;
    if (before && before.classList.contains("scroll-cue")) { return before; }
    var cue = document.createElement("p");
    cue.className = "scroll-cue";
    cue.textContent = CUE;
    wrap.parentNode.insertBefore(cue, wrap);
    return cue;
  }

  function mark(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    wrap.classList.toggle("scrolls", scrolls);
    if (scrolls) {
      cueOf(wrap).hidden = false;
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", "Table, scrolls sideways");
    } else {
      if (wrap.previousElementSibling && wrap.previousElementSibling.classList.contains("scroll-cue")) {
        wrap.previousElementSibling.hidden = true;
      }
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-label");
    }
  }

  function markAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), mark);
    document.body.dataset.tablesMarked = "1";
  }

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending !== null) { window.clearTimeout(pending); }
    pending = window.setTimeout(function () { pending = null; markAll(); }, 100);
  });
  window.addEventListener("load", markAll);  /* again once fonts and charts are laid out */
  window.addEventListener("hashchange", markAll);  /* the tables hidden by index.html#network shown again */
  markAll();
}());

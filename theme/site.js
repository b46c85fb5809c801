// Site behaviour shared by every program: a table too wide for the page scrolls sideways; make its
// scrolling box reachable and scrollable from the keyboard (WCAG 2.1.1; axe scrollable-region-focusable).
(function () {
  "use strict";
  var SELECTOR = ".md-typeset__scrollwrap, .form-table-wrap";
  function mark() {
    document.querySelectorAll(SELECTOR).forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "Table (scrolls sideways)");
        box.setAttribute("data-scroll-region", "");
      } else if (box.hasAttribute("data-scroll-region")) {
        ["tabindex", "role", "aria-label", "data-scroll-region"].forEach(function (a) { box.removeAttribute(a); });
      }
    });
  }
  // Material wraps tables in .md-typeset__scrollwrap from its own script: run after it, on each page it shows.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { window.setTimeout(mark, 0); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
  var pending;
  window.addEventListener("resize", function () { window.clearTimeout(pending); pending = window.setTimeout(mark, 150); });
})();

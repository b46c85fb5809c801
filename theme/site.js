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

// Attributes browsers read but HTML does not allow where Material writes them (theme/overrides:
// base.html, partials/search.html leave them out so every page is valid HTML): set at run time.
(function () {
  "use strict";
  var query = document.querySelector("input.md-search__input");
  if (query) query.setAttribute("autocorrect", "off");  // Safari: search terms are not "corrected"
  var toggles = ["__drawer", "__search"].map(function (id) { return document.getElementById(id); })
    .filter(Boolean);
  toggles.forEach(function (toggle) { toggle.setAttribute("autocomplete", "off"); });
  // A browser that restores form state (back, reload) must not reopen the menu or the search.
  window.addEventListener("pageshow", function () {
    toggles.forEach(function (toggle) {
      if (toggle.checked) {
        toggle.checked = false;
        toggle.dispatchEvent(new Event("change"));
      }
    });
  });
})();

// Zensical's search dialog, which its script builds in a shadow root that the site's CSS does not reach
// (nothing happens under Material, which has no such root). Each result is an option named by its
// title alone (aria-labelledby) that also shows the page's path and an excerpt: text seen but not in
// its name, which speech input cannot use (WCAG 2.5.3; axe label-content-name-mismatch). Name it by
// everything it shows, as Material's results are. The path is black at 45% (3.4:1 on white; axe
// color-contrast): give it the dialog's own lighter text tone (70%).
(function () {
  "use strict";
  var CSS = '[role="option"] menu { color: rgb(var(--color-foreground) / var(--alpha-light, .7)); }';

  function nameByContent(option) {
    option.removeAttribute("aria-labelledby");
    option.removeAttribute("aria-describedby");  // the path, now part of the name
  }

  function patch(root) {
    if (root.handbookPatched) return;
    root.handbookPatched = true;
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = root.adoptedStyleSheets.concat([sheet]);
    } catch (error) {  // no constructable stylesheets
      var style = document.createElement("style");
      style.textContent = CSS;
      root.appendChild(style);
    }
    var fix = function () { root.querySelectorAll('[role="option"][aria-labelledby]').forEach(nameByContent); };
    new MutationObserver(fix).observe(root, { childList: true, subtree: true, attributes: true,
                                             attributeFilter: ["aria-labelledby"] });
    fix();
  }

  function find() {
    Array.prototype.forEach.call(document.body.children, function (element) {
      if (element.shadowRoot) patch(element.shadowRoot);
    });
  }
  find();
  new MutationObserver(find).observe(document.body, { childList: true });
})();

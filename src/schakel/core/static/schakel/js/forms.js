// The error summary (partials/form_errors.html) takes focus, so a screen reader reads it and a
// keyboard user starts from it: on page load and after htmx puts a refused form in place. The
// page title starts with "Fout:" while a summary is shown. A link in the summary moves focus to
// its field (the browser alone only scrolls there). Without JavaScript the summary is still the
// first thing in the form and its links still jump.
(function () {
  "use strict";

  function markTitle(summary) {
    var prefix = summary.dataset.titlePrefix;
    if (prefix && document.title.indexOf(prefix) !== 0) {
      document.title = prefix + " " + document.title;
    }
  }

  function focusSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (!summary) return;
    markTitle(summary);
    summary.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) return;
    event.preventDefault();
    var control = target.matches("input, select, textarea, button")
      ? target
      : target.querySelector("input, select, textarea, button");
    var legend = target.closest("fieldset") && target.closest("fieldset").querySelector("legend");
    (legend || target).scrollIntoView({ block: "start" });
    (control || target).focus({ preventScroll: true });
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail && event.detail.elt;
    // An outerHTML swap leaves the old target detached: look in the page then.
    if (!root || !root.isConnected) root = document;
    else if (root.matches && root.matches("[data-error-summary]")) root = root.parentNode;
    focusSummary(root);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { focusSummary(document); });
  } else {
    focusSummary(document);
  }
})();

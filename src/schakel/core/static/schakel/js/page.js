/* Schakel's page behaviour, all progressive: without this script every page works as is.
   - the main menu folds into a "Menu" button on a narrow screen;
   - a table box that scrolls sideways can be reached and scrolled with the keyboard. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  function setUpMenu() {
    var toggle = document.querySelector(".menu-toggle");
    var menu = document.getElementById("main-menu");
    if (!toggle || !menu) return;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("main-menu--open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        toggle.setAttribute("aria-expanded", "false");
        menu.classList.remove("main-menu--open");
        toggle.focus();
      }
    });
  }

  function markScrollingTables() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
      } else {
        box.removeAttribute("tabindex");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    markScrollingTables();
    window.addEventListener("resize", markScrollingTables);
    document.body.addEventListener("htmx:afterSettle", markScrollingTables);
  });
})();

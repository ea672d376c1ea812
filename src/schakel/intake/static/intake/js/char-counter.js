// A live character count under every textarea with data-max-length (intake/forms.py's
// LongTextField). Progressive enhancement: without it the help text says the limit and the
// server refuses a longer text with the count, keeping it. The browser never cuts a paste.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "nl";

  function length(text) {
    // Code points, as the server counts (an emoji is one character, not two).
    return Array.from(text.replace(/\r\n/g, "\n")).length;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) {
      return values[key];
    });
  }

  function attach(field) {
    var limit = parseInt(field.dataset.maxLength, 10);
    if (!limit) return;
    var counter = document.createElement("p");
    counter.className = "help";
    counter.id = field.id + "_counter";
    counter.dataset.testid = "char-counter";
    var over = document.createElement("p");
    over.className = "error";
    over.setAttribute("role", "alert");
    over.hidden = true;
    field.insertAdjacentElement("afterend", counter);
    counter.insertAdjacentElement("afterend", over);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);

    function update() {
      var count = length(field.value);
      counter.textContent = fill(field.dataset.counter, {
        count: count.toLocaleString(lang),
        limit: limit.toLocaleString(lang),
      });
      var tooLong = count > limit;
      if (tooLong !== !over.hidden) {
        over.hidden = !tooLong;
        over.textContent = tooLong ? field.dataset.counterOver : "";
      }
    }
    field.addEventListener("input", update);
    update();
  }

  function start() {
    document.querySelectorAll("textarea[data-max-length]").forEach(attach);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

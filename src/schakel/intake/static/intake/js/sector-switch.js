// The public form's checklist follows the chosen sector without a round trip. The page holds
// the chosen sector's checklist and, inert in <template>s, the other cards' checklists; this
// swaps them in place, so nothing typed elsewhere in the form is touched. Only the checklist on
// show is sent: a checklist switched away is kept out of the form (ticks and all) and comes back
// as it was when its sector is chosen again; an indicator ticked that the new card also has
// stays ticked. A screen reader hears that the checklist changed (a polite status message).
// Without JavaScript, the "show the checklist" button asks the server instead.
(function () {
  "use strict";

  function start() {
    var box = document.querySelector("[data-checklist-switch]");
    var select = document.getElementById("id_sector");
    if (!box || !select) return;
    var cardBySector = JSON.parse(box.dataset.cardBySector);
    var shown = box.querySelector("div[data-checklist-card]");
    var kept = {}; // card code -> a checklist switched away, with its ticks
    kept[shown.dataset.checklistCard] = shown;

    document.querySelectorAll("[data-checklist-button]").forEach(function (button) {
      button.remove();
    });

    select.addEventListener("change", function () {
      var code = cardBySector[select.value] || cardBySector["public"];
      if (code === shown.dataset.checklistCard) return;
      var next = kept[code];
      if (!next) {
        var template = box.querySelector('template[data-checklist-card="' + code + '"]');
        if (!template) return;
        next = document.createElement("div");
        next.dataset.checklistCard = code;
        next.appendChild(template.content.cloneNode(true));
        kept[code] = next;
      }
      var ticked = {};
      shown.querySelectorAll("input[type=checkbox]:checked").forEach(function (input) {
        ticked[input.value] = true;
      });
      next.querySelectorAll("input[type=checkbox]").forEach(function (input) {
        if (ticked[input.value]) input.checked = true;
      });
      shown.replaceWith(next); // the detached checklist leaves the form: its ticks are not sent
      shown = next;
      var card = document.querySelector("input[name=checklist_card]");
      if (card) card.value = code;
      var announce = box.querySelector("[data-checklist-announce]");
      if (announce) {
        var legend = next.querySelector("legend");
        announce.textContent =
          announce.dataset.text + (legend ? " " + legend.textContent.trim() : "");
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

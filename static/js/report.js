// The report's project table: the key columns by default, the others chosen by the reader.
// Without this script every column shows and the table scrolls sideways, as it always did.
(function () {
  "use strict";

  // One choice per browser, for every report page: the names of the extra columns shown.
  var KEY = "tracker.report-columns";

  function chosen() {
    try {
      var names = JSON.parse(window.localStorage.getItem(KEY));
      return Array.isArray(names) ? names : [];
    } catch (e) {
      return [];
    }
  }

  function remember(names) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(names));
    } catch (e) {
      /* storage off: the choice lasts for this page only */
    }
  }

  // Hides or shows a column's heading and cells (the ones printed too, off the page).
  function apply(table, names) {
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    heads.forEach(function (th, index) {
      if (!th.hasAttribute("data-optional")) return;
      var hide = names.indexOf(th.dataset.col) < 0;
      var cells = table.querySelectorAll("tr > :nth-child(" + (index + 1) + ")");
      Array.prototype.forEach.call(cells, function (cell) {
        cell.hidden = hide;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var table = document.querySelector("table.report");
    var chooser = document.querySelector(".column-chooser");
    if (!table || !chooser) return;
    var names = chosen();
    var boxes = Array.prototype.slice.call(chooser.querySelectorAll("input[type=checkbox]"));
    boxes.forEach(function (box) {
      box.checked = names.indexOf(box.value) >= 0;
    });
    apply(table, names);
    chooser.hidden = false;
    chooser.addEventListener("change", function () {
      names = boxes
        .filter(function (box) {
          return box.checked;
        })
        .map(function (box) {
          return box.value;
        });
      remember(names);
      apply(table, names);
    });
  });
})();

// Entry grid: "raise as a problem" takes the 存在问题 text as typed in the row, saved or not.
// The problem opens in a new tab, so the grid and its unsaved figures stay as they are.
(function () {
  "use strict";
  // The link shows only while its row's 存在问题 field has something to raise.
  function toggle(link) {
    var field = document.querySelector("[name='" + link.dataset.field + "']");
    if (field) link.hidden = !field.value.trim();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("a.raise-from-grid[data-field]").forEach(toggle);
  });
  document.addEventListener("input", function (event) {
    var name = event.target.name;
    if (!name) return;
    document.querySelectorAll("a.raise-from-grid[data-field='" + name + "']").forEach(toggle);
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.raise-from-grid[data-field]");
    if (!link) return;
    var field = document.querySelector("[name='" + link.dataset.field + "']");
    var url = new URL(link.href, window.location.href);
    url.searchParams.delete("description");
    if (field && field.value.trim()) url.searchParams.set("description", field.value.trim());
    link.href = url.toString();
  });
})();

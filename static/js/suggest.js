// Suggestions for a long reference filter (units, streets…): the page draws a text box
// that takes a name or a code, and this fills its <datalist> from the server as one types.
// Without this script the box still works: the server reads the name or code typed.
(function () {
  "use strict";

  var WAIT_MS = 200;

  function fill(list, results) {
    while (list.firstChild) list.removeChild(list.firstChild);
    results.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.code;
      option.label = item.name;
      option.textContent = item.name;
      list.appendChild(option);
    });
  }

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var timer = null;
    var asked = null;
    function ask() {
      var text = input.value.trim();
      if (text === asked) return;
      asked = text;
      var url = input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(text);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          // A later keystroke's answer may have come first; keep only the latest.
          if (asked === text) fill(list, data.results || []);
        })
        .catch(function () {
          /* offline or signed out: the box still takes a typed name or code */
        });
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, WAIT_MS);
    });
    input.addEventListener("focus", ask);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), attach);
  });
})();

// Monthly entry grid: live year-to-date totals and quarter rates, and spreadsheet keys.
// The server computes and checks every figure again on save; this only previews them.
(function () {
  "use strict";

  // Amounts in cents as integers, so sums and rates never suffer binary rounding.
  // The one amount grammar, as money.parse_amount reads it on save (cases shared in
  // tests/money_cases.json): digits, plain or with thousands commas in exact groups of
  // three, at most one point with up to two places, an optional 万元/万; full-width digits,
  // point, comma and space read as half-width; no sign, no exponent, no inner spaces.
  var FULL = "０１２３４５６７８９．，\u3000";
  var HALF = "0123456789., ";
  var AMOUNT = /^([1-9][0-9]{0,2}(?:,[0-9]{3})+|[0-9]+)?(?:\.([0-9]*))?\s*(?:万元|万)?$/;
  var PLACES = 2;

  // null for a blank box, NaN for what the server will refuse, else whole cents.
  function cents(text) {
    if (text === null || text === undefined) return null;
    var s = "";
    var raw = String(text);
    for (var i = 0; i < raw.length; i++) {
      var k = FULL.indexOf(raw[i]);
      s += k >= 0 ? HALF[k] : raw[i];
    }
    s = s.trim();
    if (s === "") return null;
    var m = AMOUNT.exec(s);
    if (!m || (m[1] === undefined && !m[2])) return NaN;
    var fraction = m[2] || "";
    if (fraction.length > PLACES) return NaN;
    var whole = parseInt((m[1] || "0").replace(/,/g, ""), 10);
    return whole * 100 + parseInt((fraction + "00").slice(0, 2), 10);
  }

  function show(value) {
    var sign = value < 0 ? "-" : "";
    var v = Math.abs(value);
    var frac = String(v % 100);
    return sign + Math.floor(v / 100) + "." + (frac.length < 2 ? "0" + frac : frac);
  }

  // The one rate rule (money.completion_rate): actual / plan × 100, half up, one decimal.
  function rate(done, plan) {
    if (!plan) return "—";
    var tenths = Math.floor((2 * done * 1000 + plan) / (2 * plan));
    var sign = tenths < 0 ? "-" : "";
    tenths = Math.abs(tenths);
    return sign + Math.floor(tenths / 10) + "." + (tenths % 10) + "%";
  }

  function setText(row, selector, text) {
    var el = row.querySelector(selector);
    if (el) el.textContent = text;
  }

  function update(table, row) {
    var cumulative = table.dataset.cumulative === "1";
    ["inv", "inc"].forEach(function (key) {
      var name = key === "inv" ? "investment" : "inclusion";
      var input = row.querySelector("input[name$='-" + name + "']");
      if (!input) return;
      var typed = cents(input.value);
      var before = cents(row.dataset["ytd" + (key === "inv" ? "Inv" : "Inc")]) || 0;
      var month = typed;
      if (typed !== null && !isNaN(typed) && cumulative) month = typed - before;
      var derived = row.querySelector(".derived[data-for='" + name + "']");
      if (derived) {
        if (typed === null || isNaN(typed)) {
          derived.textContent = "";
        } else {
          derived.textContent = table.dataset.msgMonth.replace("{amount}", show(month));
          derived.classList.toggle("negative", month < 0);
        }
      }
      if (month === null || isNaN(month)) month = 0;
      setText(row, ".ytd-" + key, show(before + month));
      var plan = cents(row.dataset["plan" + (key === "inv" ? "Inv" : "Inc")]);
      var quarter = cents(row.dataset["q" + (key === "inv" ? "Inv" : "Inc")]) || 0;
      setText(row, ".rate-" + key, rate(quarter + month, plan));
    });
  }

  function fields(table) {
    return Array.prototype.slice.call(
      table.querySelectorAll("tr.entry-row input.amount, tr.entry-row textarea")
    );
  }

  // Enter (and the arrow keys in amounts) move down or up a column, like a spreadsheet.
  function move(table, field, step) {
    var column = field.name.replace(/^e-\d+-/, "");
    var rows = Array.prototype.slice.call(table.querySelectorAll("tr.entry-row"));
    var index = rows.indexOf(field.closest("tr"));
    for (var i = index + step; i >= 0 && i < rows.length; i += step) {
      var target = rows[i].querySelector("[name$='-" + column + "']:not([type=hidden])");
      if (target) {
        target.focus();
        if (target.select) target.select();
        return true;
      }
    }
    return false;
  }

  function changedCount(form, table) {
    var count = 0;
    table.querySelectorAll("tr.entry-row").forEach(function (row) {
      var changed = Array.prototype.some.call(
        row.querySelectorAll("input.amount, textarea"),
        function (el) {
          return el.value !== el.defaultValue;
        }
      );
      row.classList.toggle("changed", changed);
      if (changed) count++;
    });
    var label = form.querySelector(".changed-count");
    if (label) label.textContent = count ? table.dataset.msgChanged.replace("{count}", count) : "";
  }

  // The preview's reading of amounts, for the test that holds it to the server's grammar;
  // one frozen name under the app's namespace, nothing else leaves this closure.
  window.trackerEntry = Object.freeze({ cents: cents, rate: rate });

  document.addEventListener("DOMContentLoaded", function () {
    var table = document.querySelector("table.entry-grid");
    if (!table) return;
    var form = table.closest("form");
    table.querySelectorAll("tr.entry-row").forEach(function (row) {
      update(table, row);
    });
    table.addEventListener("input", function (event) {
      var row = event.target.closest("tr.entry-row");
      if (row) update(table, row);
      changedCount(form, table);
    });
    table.addEventListener("keydown", function (event) {
      var field = event.target;
      if (fields(table).indexOf(field) < 0) return;
      var isText = field.tagName === "TEXTAREA";
      if (event.key === "Enter" && !(isText && event.altKey)) {
        event.preventDefault();
        move(table, field, event.shiftKey ? -1 : 1);
      } else if (!isText && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
        event.preventDefault();
        move(table, field, event.key === "ArrowDown" ? 1 : -1);
      }
    });
    var picker = document.querySelector(".entry-picker");
    if (picker) {
      picker.addEventListener("change", function () {
        picker.submit();
      });
    }
  });
})();

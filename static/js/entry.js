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

  // ---- What is not saved yet, and the draft that keeps it in this browser ----
  // Each box carries what is stored (data-stored): after a refused save the boxes show
  // the posted figures, which are still not saved. Amounts compare by value (12.5 is
  // 12.50), text with its line endings and outer spaces set aside.
  function plain(text) {
    return String(text === null || text === undefined ? "" : text)
      .replace(/\r\n?/g, "\n")
      .trim();
  }

  function same(el, a, b) {
    if (el.classList.contains("amount")) {
      var x = cents(a);
      var y = cents(b);
      if (x !== null && y !== null && !isNaN(x) && !isNaN(y)) return x === y;
    }
    return plain(a) === plain(b);
  }

  function boxes(row) {
    return Array.prototype.slice.call(row.querySelectorAll("input.amount, textarea"));
  }

  function unsaved(el) {
    var stored = el.dataset.stored === undefined ? el.defaultValue : el.dataset.stored;
    return !same(el, el.value, stored);
  }

  function dirty(table) {
    return Array.prototype.some.call(
      table.querySelectorAll("tr.entry-row input.amount, tr.entry-row textarea"),
      unsaved
    );
  }

  function hidden(row, suffix) {
    var input = row.querySelector("input[name$='-" + suffix + "']");
    return input ? input.value : null;
  }

  function fieldName(el) {
    return el.name.replace(/^e-\d+-/, "");
  }

  // localStorage may be off or full (private windows): the draft is then simply not kept,
  // and the question before leaving still guards the figures.
  function readDraft(key) {
    try {
      var draft = JSON.parse(window.localStorage.getItem(key));
      return draft && draft.rows && typeof draft.rows === "object" ? draft : null;
    } catch (e) {
      return null;
    }
  }

  function writeDraft(key, draft) {
    try {
      if (Object.keys(draft.rows).length) {
        window.localStorage.setItem(key, JSON.stringify(draft));
      } else {
        window.localStorage.removeItem(key);
      }
    } catch (e) {
      /* not kept; see readDraft */
    }
  }

  // The draft holds this grid's unsaved rows by project, with the version each was typed
  // against and whether amounts were year-to-date; rows of other grids of the month (a
  // manager's other units) are left as they are.
  function keepDraft(form, table, touch) {
    var key = form.dataset.draftKey;
    if (!key) return;
    var draft = readDraft(key) || { rows: {} };
    var cumulative = table.dataset.cumulative === "1";
    table.querySelectorAll("tr.entry-row").forEach(function (row) {
      var project = hidden(row, "project");
      if (!project) return;
      var fields = {};
      var changed = false;
      boxes(row).forEach(function (el) {
        fields[fieldName(el)] = el.value;
        if (unsaved(el)) changed = true;
      });
      if (changed) {
        draft.rows[project] = {
          version: hidden(row, "version"),
          cumulative: cumulative,
          fields: fields,
        };
      } else {
        delete draft.rows[project];
      }
    });
    if (touch || !draft.at) draft.at = Date.now();
    writeDraft(key, draft);
  }

  function forgetDraft(form, table) {
    var key = form.dataset.draftKey;
    var draft = key && readDraft(key);
    if (!draft) return;
    table.querySelectorAll("tr.entry-row").forEach(function (row) {
      delete draft.rows[hidden(row, "project")];
    });
    writeDraft(key, draft);
  }

  // An amount typed as 当月 read as 累计, or the other way round, after 按累计填报 changed.
  function converted(text, row, name, toCumulative) {
    var typed = cents(text);
    if (typed === null || isNaN(typed)) return text;
    var before = cents(row.dataset[name === "investment" ? "ytdInv" : "ytdInc"]) || 0;
    return show(toCumulative ? typed + before : typed - before);
  }

  function draftValue(kept, row, el, cumulative) {
    var value = kept.fields[fieldName(el)];
    if (el.classList.contains("amount") && Boolean(kept.cumulative) !== cumulative) {
      value = converted(value, row, fieldName(el), cumulative);
    }
    return value;
  }

  // Puts the draft's figures back into the boxes; returns how many rows came back and how
  // many were dropped because their month was saved since (the stored row moved on).
  function restoreDraft(form, table) {
    var key = form.dataset.draftKey;
    var draft = key && readDraft(key);
    var result = { restored: 0, moved: 0, at: draft ? draft.at : null };
    if (!draft) return result;
    var cumulative = table.dataset.cumulative === "1";
    table.querySelectorAll("tr.entry-row").forEach(function (row) {
      var project = hidden(row, "project");
      var kept = project && Object.prototype.hasOwnProperty.call(draft.rows, project)
        ? draft.rows[project]
        : null;
      if (!kept || !kept.fields) return;
      var own = boxes(row).filter(function (el) {
        return Object.prototype.hasOwnProperty.call(kept.fields, fieldName(el));
      });
      if (String(kept.version || "") !== String(hidden(row, "version") || "")) {
        // Saved since (elsewhere, or this save's answer never arrived): the stored row
        // wins; a draft that differs from it is named in the notice, not typed over it.
        var differs = own.some(function (el) {
          return !same(el, el.value, draftValue(kept, row, el, cumulative));
        });
        if (differs) result.moved++;
        delete draft.rows[project];
        return;
      }
      var changed = false;
      own.forEach(function (el) {
        var value = draftValue(kept, row, el, cumulative);
        if (!same(el, el.value, value)) {
          el.value = value;
          changed = true;
        }
      });
      if (changed) {
        result.restored++;
        update(table, row);
      }
    });
    writeDraft(key, draft);
    keepDraft(form, table, false);
    return result;
  }

  // When the draft was last typed, in this computer's time, written as the site writes
  // dates: 2024-05-06 09:41.
  function when(at) {
    var day = new Date(at);
    function two(n) {
      return (n < 10 ? "0" : "") + n;
    }
    return (
      day.getFullYear() + "-" + two(day.getMonth() + 1) + "-" + two(day.getDate()) +
      " " + two(day.getHours()) + ":" + two(day.getMinutes())
    );
  }

  function showNotice(form, table, result) {
    var notice = document.querySelector(".draft-notice");
    if (!notice || !(result.restored || result.moved)) return;
    var parts = [];
    if (result.restored) parts.push(form.dataset.msgRestored.replace("{time}", when(result.at)));
    if (result.moved) parts.push(form.dataset.msgMoved.replace("{count}", result.moved));
    notice.querySelector(".draft-text").textContent = parts.join(" ");
    var discard = notice.querySelector(".draft-discard");
    discard.hidden = !result.restored;
    discard.addEventListener("click", function () {
      table.querySelectorAll("tr.entry-row").forEach(function (row) {
        boxes(row).forEach(function (el) {
          if (el.dataset.stored !== undefined) el.value = el.dataset.stored;
        });
        update(table, row);
      });
      keepDraft(form, table, true);
      changedCount(form, table);
      notice.hidden = true;
    });
    notice.hidden = false;
  }

  function changedCount(form, table) {
    var count = 0;
    table.querySelectorAll("tr.entry-row").forEach(function (row) {
      var changed = boxes(row).some(unsaved);
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
    if (document.querySelector(".messages li." + form.dataset.savedTag)) {
      // The server confirmed this month's save: what was typed is stored now.
      forgetDraft(form, table);
    } else {
      showNotice(form, table, restoreDraft(form, table));
    }
    changedCount(form, table);
    table.addEventListener("input", function (event) {
      var row = event.target.closest("tr.entry-row");
      if (row) update(table, row);
      changedCount(form, table);
      keepDraft(form, table, true);
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
    // Leaving with figures not saved asks first: another month or 按累计填报 (which reload
    // the page at once) by a question of our own, links and closing by the browser's.
    var leaving = false;
    form.addEventListener("submit", function () {
      leaving = true;
    });
    window.addEventListener("beforeunload", function (event) {
      if (leaving || !dirty(table)) return;
      event.preventDefault();
      event.returnValue = "";
    });
    var picker = document.querySelector(".entry-picker");
    if (picker) {
      picker.addEventListener("change", function (event) {
        var control = event.target;
        if (dirty(table) && !window.confirm(form.dataset.msgLeave)) {
          if (control.type === "checkbox") control.checked = control.defaultChecked;
          if (control.tagName === "SELECT") {
            Array.prototype.forEach.call(control.options, function (option) {
              option.selected = option.defaultSelected;
            });
          }
          return;
        }
        leaving = true;
        picker.submit();
      });
    }
  });
})();

// Entry grid photos: a photo chosen or taken on a row is sent at once, in the background,
// so the figures typed into the grid and not yet saved stay where they are.
// Without this script the row's own button sends the form and the page comes back.
(function () {
  "use strict";

  function send(input) {
    var form = input.form;
    var box = input.closest(".entry-photos");
    if (!form || !box || !input.files || !input.files.length) return;
    var status = box.querySelector(".entry-photo-status");
    status.classList.remove("error");
    status.textContent = form.dataset.msgSending;
    // Read the form before the field is disabled: a disabled field is not sent.
    var data = new FormData(form);
    input.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().catch(function () {
          return { ok: false, message: form.dataset.msgFailed };
        });
      })
      .then(function (reply) {
        status.textContent = reply.message || form.dataset.msgFailed;
        status.classList.toggle("error", !reply.ok);
        if (!reply.ok) return;
        var link = box.querySelector(".entry-photo-latest");
        link.hidden = false;
        link.querySelector("img").src = reply.thumb;
        box.querySelector(".entry-photo-count").textContent = box.dataset.msgCount.replace(
          "{count}",
          reply.count
        );
      })
      .catch(function () {
        status.textContent = form.dataset.msgFailed;
        status.classList.add("error");
      })
      .then(function () {
        input.disabled = false;
        input.value = "";
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.fetch || !window.FormData) return;
    document.documentElement.classList.add("photos-in-background");
    document.querySelectorAll(".entry-photos input[type=file]").forEach(function (input) {
      input.addEventListener("change", function () {
        send(input);
      });
    });
  });
})();

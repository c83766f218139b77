/* Progressive enhancement only: every core form works without this file. */
(function () {
  "use strict";

  // Move focus to the error summary so that screen-reader users hear what went wrong (GOV.UK pattern).
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  // Warn before the inactivity timeout signs the user out, and let them extend it (WCAG 2.2.1).
  function sessionWarning() {
    var body = document.body;
    var seconds = parseInt(body.getAttribute("data-session-timeout") || "", 10);
    var url = body.getAttribute("data-session-extend-url");
    var dialog = document.getElementById("session-warning");
    if (!seconds || !url || !dialog) { return; }
    var warnAfter = Math.max(seconds - 120, seconds / 2) * 1000;
    var timer;
    function arm() {
      clearTimeout(timer);
      timer = setTimeout(function () {
        dialog.hidden = false;
        var button = dialog.querySelector("[data-session-extend]");
        if (button) { button.focus(); }
      }, warnAfter);
    }
    dialog.addEventListener("click", function (event) {
      if (!event.target.matches("[data-session-extend]")) { return; }
      var headers = JSON.parse(body.getAttribute("hx-headers") || "{}");
      fetch(url, { method: "POST", headers: headers, credentials: "same-origin" }).then(function (response) {
        if (response.ok) { dialog.hidden = true; arm(); } else { window.location.reload(); }
      });
    });
    document.addEventListener("htmx:afterRequest", arm);
    arm();
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    sessionWarning();
  });
})();

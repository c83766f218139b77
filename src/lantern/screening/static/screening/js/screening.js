/* Screening pages, progressive enhancement only: the pages work the same without this file.
   A second click on "Save" while the first submission is on its way is ignored (the server would answer
   "already saved" anyway); the button pressed is kept so that "Save and pause" still pauses. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("#screening-form")) { return; }
    if (form.getAttribute("data-submitting") === "true") {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-submitting", "true");
    form.setAttribute("aria-busy", "true");
    // Allow a retry if the connection dropped and the page is still here after a while.
    window.setTimeout(function () {
      form.removeAttribute("data-submitting");
      form.removeAttribute("aria-busy");
    }, 8000);
  });
})();

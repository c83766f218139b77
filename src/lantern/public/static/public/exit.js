/* Quick exit for the public pages (progressive enhancement: without JavaScript the button is a plain link).
   Esc, or Shift pressed three times, or the button: blank the page at once and replace it in the history with a
   neutral site. Links between public pages also replace the current history entry, so a visit leaves a single
   entry, which the exit then replaces. */
(function () {
  "use strict";
  var exit = document.querySelector("[data-exit]");
  if (!exit) { return; }
  var target = exit.getAttribute("href");
  var shifts = 0;
  var timer = null;

  function leave(event) {
    if (event) { event.preventDefault(); }
    document.title = "";
    document.body.textContent = "";
    window.location.replace(target);
  }

  exit.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") { leave(event); return; }
    if (event.key !== "Shift") { shifts = 0; return; }
    shifts += 1;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { shifts = 0; }, 1000);
    if (shifts >= 3) { leave(event); }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='/']") : null;
    if (!link || event.defaultPrevented || event.button !== 0 ||
        event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
    event.preventDefault();
    window.location.replace(link.href);
  });
}());

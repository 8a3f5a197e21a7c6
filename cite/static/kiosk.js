/* Kiosk terminals: back to the portal's home after a while without input.
 *
 * The next visitor must not find the last one's search. The delay comes from
 * the portal (data-kiosk-idle, in seconds); a notice shows shortly before,
 * and any key, touch, click or scroll keeps the page (WCAG 2.2.1: the visitor
 * can extend the time). Nothing is stored: the state lives in the address. */
(function () {
  "use strict";
  var body = document.body;
  var home = body.getAttribute("data-kiosk-home");
  var idle = Number(body.getAttribute("data-kiosk-idle")) * 1000;
  if (!home || !(idle > 0)) { return; }
  var warning = document.getElementById("kiosk-warning");
  // Warn a third of the delay before, at most 20 seconds before.
  var notice = Math.min(20000, idle / 3);
  var warnTimer = null;
  var homeTimer = null;

  function atCleanHome() {
    // Already on the home page, untouched: reloading it would only flicker.
    var field = document.querySelector("input[type=search]");
    return location.pathname + location.search === home && window.scrollY === 0 && !(field && field.value);
  }

  function goHome() {
    if (atCleanHome()) { restart(); return; }
    window.location.assign(home);
  }

  function warn() {
    if (warning && !atCleanHome()) { warning.hidden = false; }
  }

  function restart() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(homeTimer);
    if (warning) { warning.hidden = true; }
    warnTimer = window.setTimeout(warn, idle - notice);
    homeTimer = window.setTimeout(goHome, idle);
  }

  ["keydown", "pointerdown", "touchstart", "wheel", "input", "scroll"].forEach(function (name) {
    window.addEventListener(name, restart, { capture: true, passive: true });
  });
  var stay = warning && warning.querySelector("[data-kiosk-stay]");
  if (stay) { stay.addEventListener("click", restart); }
  // Coming back with the browser's history must not keep a stale timer.
  window.addEventListener("pageshow", restart);
  restart();
})();

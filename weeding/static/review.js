/* The counsellor's review from the keyboard: a key alone presses the vote
   button or follows the link whose data-keys names it (the page works
   without this, through the same access keys with Alt). Keys typed in the
   comment stay text; Escape there goes back to the first vote button. */
(function () {
  "use strict";
  var form = document.getElementById("vote-form");
  if (!form) { return; }
  var bound = {};
  document.querySelectorAll("[data-keys]").forEach(function (element) {
    element.getAttribute("data-keys").split(" ").forEach(function (key) {
      if (key) { bound[key] = element; }
    });
  });
  var first = form.querySelector("button.vote");

  function typing(target) {
    var tag = target.tagName;
    if (target.isContentEditable || tag === "TEXTAREA" || tag === "SELECT") { return true; }
    return tag === "INPUT" && !/^(checkbox|radio|submit|button)$/.test(target.type);
  }

  var sent = false;
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === "Escape" && typing(event.target) && first) {
      first.focus();
      return;
    }
    if (typing(event.target) || event.key.length !== 1) { return; }
    var target = bound[event.key.toLowerCase()];
    if (!target || sent) { return; }
    event.preventDefault();
    sent = true;  // one vote per page: a held key does not send it twice
    target.click();
  });
  window.addEventListener("pageshow", function () { sent = false; });  // back from the next page
  if (first && document.activeElement === document.body) { first.focus(); }
})();

// Barcode scanning: clear the field at once and post each scan in the
// background, in order, so a trolley can be scanned without waiting.
(function () {
  "use strict";
  var form = document.getElementById("scan-form");
  if (!form || !window.fetch) { return; }
  var input = document.getElementById("barcode");
  var log = document.getElementById("scan-log");
  var total = document.getElementById("scan-total");
  var token = form.querySelector("input[name=csrf_token]").value;
  var queue = Promise.resolve();
  var ok = 0, failed = 0;

  // French says "0 consultation", English "0 uses": the page's language picks the form.
  var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang) : null;

  function counted(n, name) {
    var one = plurals ? plurals.select(n) === "one" : n === 1;
    return total.dataset[name + (one ? "One" : "Other")].replace("__N__", n);
  }

  function showTotal() {
    total.textContent = counted(ok, "ok") + ", " + counted(failed, "failed");
  }

  function entry(barcode) {
    var li = document.createElement("li");
    li.className = "pending";
    li.dataset.barcode = barcode;
    li.textContent = barcode + " …";
    log.insertBefore(li, log.firstChild);
    return li;
  }

  function send(barcode, li) {
    var body = new FormData();
    body.append("csrf_token", token);
    body.append("barcode", barcode);
    return fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": token}
    }).then(function (response) {
      return response.json().then(function (data) {
        var result = (data.results && data.results[0]) || {ok: false, barcode: barcode, message: data.message};
        li.className = result.ok ? "ok" : "failed";
        li.textContent = result.barcode + (result.title ? " — " + result.title : "") + " : " + result.message +
          (result.count_label ? " " + result.count_label : "");
        if (result.ok) { ok += 1; } else { failed += 1; }
        showTotal();
      });
    }).catch(function () {
      li.className = "failed";
      li.textContent = barcode + " : " + (document.documentElement.lang === "en"
        ? "not sent (network error), scan it again." : "non envoyé (erreur réseau), scannez-le de nouveau.");
      failed += 1;
      showTotal();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var barcode = input.value.trim();
    input.value = "";
    input.focus();
    if (!barcode) { return; }
    var li = entry(barcode);
    queue = queue.then(function () { return send(barcode, li); });
  });
}());

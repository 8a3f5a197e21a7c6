// Concept pickers and the thesaurus tree. No framework; keyboard first.
//
// A picker is an element with data-picker="multi" | "single" | "go" and
// data-source (a URL answering {"matches": [...]} for ?q=). It holds a text
// input with role=combobox and an empty role=listbox list:
// - multi: choosing adds a ticked checkbox (name = data-name, value = the
//   concept id) to its ul.picked; unticking removes the concept on save;
// - single: choosing puts the id in its input[data-picked] (typing again
//   clears it, so a stale id is never posted);
// - go: choosing opens the concept's page (data-href + id);
// - query: the catalogue's search box (data-source answers {"items": [...]}
//   with titles, authors and concepts): a title opens its record (data-href
//   + id), an author or a concept is searched at once.
// Arrow keys move through the suggestions, Enter chooses, Escape closes.
// An entry term shows the concept it leads to: "VAE → Validation des acquis...".
// Without JavaScript the forms still work: the server resolves a typed term
// that names exactly one concept.
(function () {
  "use strict";
  if (!window.fetch || !document.querySelector) { return; }
  var english = document.documentElement.lang === "en";
  var words = english
    ? {none: "No suggestion.", one: "1 suggestion.", many: " suggestions.", deprecated: " (deprecated)",
       title: "title", author: "author", concept: "subject"}
    : {none: "Aucune suggestion.", one: "1 suggestion.", many: " suggestions.", deprecated: " (abandonné)",
       title: "titre", author: "auteur", concept: "sujet"};
  var counter = 0;

  function announce(root, text) {
    var status = root.querySelector(".picker-status");
    if (!status) {
      status = document.createElement("span");
      status.className = "picker-status visually-hidden";
      status.setAttribute("role", "status");
      root.appendChild(status);
    }
    status.textContent = text;
  }

  function display(match) {
    if (match.display) { return match.display; }  // thesaurus answers
    var text = match.text;
    if (match.kind === "concept" && match.pref_label && match.pref_label !== match.text) {
      text += " → " + match.pref_label;
    }
    return text + " (" + (words[match.kind] || match.kind) + ")";
  }

  function Picker(root) {
    if (root.getAttribute("data-picker-ready")) { return; }  // a page may load this script twice
    root.setAttribute("data-picker-ready", "1");
    var mode = root.getAttribute("data-picker");
    var input = root.querySelector("input[role=combobox]");
    var list = root.querySelector("[role=listbox]");
    var hidden = root.querySelector("input[data-picked]");
    var picked = root.querySelector("ul.picked");
    if (!input || !list) { return; }
    var source = root.getAttribute("data-source");
    var prefix = "picker-" + (++counter) + "-";
    var matches = [], active = -1, timer = null, asked = 0;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      matches = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      active = index;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({block: "nearest"});
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(found) {
      matches = found;
      list.innerHTML = "";
      found.forEach(function (match, index) {
        var option = document.createElement("li");
        option.id = prefix + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = display(match) + (match.status === "deprecated" ? words.deprecated : "");
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the field
          choose(index);
        });
        list.appendChild(option);
      });
      list.hidden = found.length === 0;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
      active = -1;
      announce(root, found.length === 0 ? words.none : found.length === 1 ? words.one : found.length + words.many);
    }

    function ask() {
      var text = input.value.trim();
      if (!text) { close(); return; }
      var ticket = ++asked;
      var url = source + (source.indexOf("?") >= 0 ? "&" : "?") + "q=" + encodeURIComponent(text);
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {}; })
        .then(function (data) {
          if (ticket === asked && document.activeElement === input) { show(data.matches || data.items || []); }
        })
        .catch(function () { close(); });
    }

    function addChecked(match) {
      var name = root.getAttribute("data-name");
      var boxes = picked.querySelectorAll("input[type=checkbox]");
      for (var i = 0; i < boxes.length; i++) {
        if (boxes[i].value === String(match.id)) { boxes[i].checked = true; return; }
      }
      var item = document.createElement("li");
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = name;
      box.value = String(match.id);
      box.checked = true;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + match.pref_label));
      item.appendChild(label);
      picked.appendChild(item);
    }

    function choose(index) {
      var match = matches[index];
      if (!match) { return; }
      close();
      if (mode === "multi") {
        addChecked(match);
        input.value = "";
        announce(root, match.pref_label);
      } else if (mode === "single") {
        hidden.value = String(match.id);
        input.value = match.pref_label;
      } else if (mode === "go") {
        window.location.href = root.getAttribute("data-href") + match.id;
      } else if (mode === "query") {
        search(match);
        return;
      }
      input.focus();
    }

    function search(match) {
      var form = input.form;
      if (match.kind === "title" && match.record_id) {
        // the record page, with what the form carries besides q (kiosk mode, language)
        var params = [];
        Array.prototype.forEach.call(form.querySelectorAll("input[type=hidden]"), function (field) {
          params.push(encodeURIComponent(field.name) + "=" + encodeURIComponent(field.value));
        });
        window.location.href = root.getAttribute("data-href") + match.record_id +
          (params.length ? "?" + params.join("&") : "");
        return;
      }
      input.value = match.kind === "author" ? "auteur:\"" + match.text + "\"" : (match.pref_label || match.text);
      form.submit();
    }

    input.addEventListener("input", function () {
      if (hidden) { hidden.value = ""; }
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 120);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && matches.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { ask(); return; }
        highlight(Math.min(active + 1, matches.length - 1));
      } else if (event.key === "ArrowUp") {
        if (open) { event.preventDefault(); highlight(Math.max(active - 1, 0)); }
      } else if (event.key === "Enter") {
        if (open && active >= 0) { event.preventDefault(); choose(active); }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  function Tree(button) {
    button.addEventListener("click", function () {
      var item = button.parentNode;
      var open = button.getAttribute("aria-expanded") === "true";
      var children = item.querySelector(":scope > ul.tree");
      if (open) {
        button.setAttribute("aria-expanded", "false");
        button.textContent = "+";
        if (children) { children.hidden = true; }
        return;
      }
      button.setAttribute("aria-expanded", "true");
      button.textContent = "−";
      if (children) { children.hidden = false; return; }
      fetch(button.getAttribute("data-children"), {headers: {"Accept": "text/html"}})
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var level = holder.querySelector("ul.tree");
          if (!level) { return; }
          item.appendChild(level);
          Array.prototype.forEach.call(level.querySelectorAll("button.toggle"), Tree);
        });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-picker]"), Picker);
  Array.prototype.forEach.call(document.querySelectorAll("ul.tree button.toggle"), Tree);
}());

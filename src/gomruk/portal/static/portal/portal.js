/* Gömrük portal: keeps what is typed even when the network or the server fails.
   The editor form autosaves through htmx; before each save its values are copied to
   localStorage, removed once the server has them, and re-sent after a failure or on the next
   visit. No other behaviour depends on JavaScript: every form also works as a plain POST. */
(function () {
  "use strict";
  var RETRY_MS = 5000;

  function key(form) { return "gomruk-unsaved-" + form.getAttribute("data-autosave"); }

  function snapshot(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.name.charAt(0) === "/") { values[el.name] = el.value; }
    });
    return values;
  }

  function status(form, text, isError) {
    var box = form.querySelector("#save-status");
    if (!box) { return; }
    box.textContent = text;
    box.className = "save-status" + (isError ? " error" : "");
  }

  function restore(form) {
    var stored;
    try { stored = JSON.parse(window.localStorage.getItem(key(form)) || "null"); } catch (e) { stored = null; }
    if (!stored) { return; }
    var changed = false;
    Object.keys(stored).forEach(function (name) {
      var el = form.elements.namedItem(name);
      if (el && el.value !== stored[name]) { el.value = stored[name]; changed = true; }
    });
    if (changed) {
      status(form, form.getAttribute("data-restored") || "…", false);
      window.htmx && window.htmx.trigger(form, "change");
    } else {
      window.localStorage.removeItem(key(form));
    }
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-autosave")) { return; }
    try { window.localStorage.setItem(key(form), JSON.stringify(snapshot(form))); } catch (e) { /* storage full or off */ }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-autosave")) { return; }
    if (event.detail.successful && event.detail.xhr && event.detail.xhr.responseText.indexOf("data-saved") !== -1) {
      window.localStorage.removeItem(key(form));
      return;
    }
    status(form, form.getAttribute("data-unsaved") || "!", true);
    window.setTimeout(function () { window.htmx.trigger(form, "change"); }, RETRY_MS);
  });

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-autosave]");
    if (form) { restore(form); }
    var summary = document.getElementById("error-summary");
    if (summary && !window.location.hash) { summary.focus(); }
    if (window.location.hash) {
      var target = document.getElementById(window.location.hash.slice(1));
      if (target && target.focus) { target.focus(); }
    }
  });
})();

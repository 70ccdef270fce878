/* Keryx: small behaviours for server-rendered pages. No inline scripts anywhere (CSP). */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // HTMX requests carry the CSRF token.
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = csrfToken();
  });

  // Forms with data-confirm ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }, true);

  // The navigation opens and closes on small screens.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-toggle-nav]");
    if (!button) return;
    var nav = document.getElementById(button.getAttribute("aria-controls"));
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
    if (nav) nav.classList.toggle("open", !open);
  });

  // Django formsets: "add another" clones the empty form from a <template>.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add]");
    if (!button) return;
    var prefix = button.getAttribute("data-formset-add");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.querySelector('template[data-formset-template="' + prefix + '"]');
    var container = document.querySelector('[data-formset="' + prefix + '"]');
    if (!total || !template || !container) return;
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    container.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = container.lastElementChild && container.lastElementChild.querySelector("input, select, textarea");
    if (first) first.focus();
  });

  // Click to copy a shown-once secret.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-copy]");
    if (!el || !navigator.clipboard) return;
    navigator.clipboard.writeText(el.textContent.trim()).then(function () {
      el.classList.add("copied");
    });
  });

  // Time zone pickers: a search box before the <select> narrows its options as you type.
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[_/]/g, " ");
  }

  function searchableZones(select) {
    if (select.dataset.tzReady) return;
    select.dataset.tzReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "tz-search";
    box.placeholder = select.dataset.searchLabel || "";
    box.setAttribute("aria-label", select.dataset.searchLabel || "");
    box.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var words = fold(box.value).split(/\s+/).filter(Boolean);
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var text = fold(option.value + " " + option.text);
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        option.hidden = !match;
        if (match && !first) first = option;
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      if (first && words.length) select.value = first.value;
    });
  }

  function startZones() {
    document.querySelectorAll("select[data-tz-select]").forEach(searchableZones);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startZones);
  } else {
    startZones();
  }
  document.addEventListener("htmx:afterSettle", startZones);
})();

/* Keryx composer: the post's text flows into the network versions that were not edited by hand,
   and every version is checked live on the server (the same rules the publisher applies).
   No inline scripts (CSP): everything is wired here from data- attributes. */
(function () {
  "use strict";

  var form = document.getElementById("composer");
  if (!form) return;
  var checkUrl = form.getAttribute("data-check-url");
  var master = form.querySelector("[data-master]");
  var sync = form.querySelector("[data-sync]");
  var timer = null;
  var inflight = null;
  var DELAY = 300;

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function variants() {
    return Array.prototype.slice.call(form.querySelectorAll("[data-variant]"));
  }

  function check() {
    if (!checkUrl) return;
    var data = new FormData(form);
    data.delete("upload");
    data.delete("fix");
    if (inflight) inflight.abort();
    inflight = new AbortController();
    form.classList.add("checking");
    fetch(checkUrl, {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": csrf(), "X-Requested-With": "fetch" },
      credentials: "same-origin",
      signal: inflight.signal
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (result) {
      Object.keys(result.variants).forEach(function (id) {
        var item = result.variants[id];
        var status = form.querySelector('[data-status-for="' + id + '"]');
        var preview = form.querySelector('[data-preview-for="' + id + '"]');
        var section = form.querySelector('[data-variant="' + id + '"]');
        if (status) status.innerHTML = item.status;
        if (preview) preview.innerHTML = item.preview;
        if (section) section.classList.toggle("invalid", !item.valid);
        var tab = form.querySelector('[data-tab="' + id + '"]');
        if (tab) {
          tab.classList.toggle("bad", !item.valid);
          var count = tab.querySelector("[data-tab-count]");
          if (count) count.textContent = item.length + "/" + item.limit;
        }
      });
      var overall = form.querySelector("[data-overall]");
      if (overall) {
        overall.textContent = overall.getAttribute(result.valid ? "data-ok" : "data-bad");
      }
      form.classList.remove("checking");
      form.dispatchEvent(new CustomEvent("composer:checked", { bubbles: true }));
    }).catch(function (error) {
      if (error && error.name === "AbortError") return;
      form.classList.remove("checking");
    });
  }

  function schedule() {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(check, DELAY);
  }

  function follow() {
    if (!master || (sync && !sync.checked)) return;
    variants().forEach(function (section) {
      var edited = section.querySelector("[data-edited]");
      var text = section.querySelector("[data-variant-text]");
      if (edited && text && edited.value !== "1") text.value = master.value;
    });
  }

  function setEdited(section, on) {
    var edited = section.querySelector("[data-edited]");
    var reset = section.querySelector("[data-reset]");
    var note = section.querySelector("[data-follow-note]");
    if (edited) edited.value = on ? "1" : "0";
    if (reset) reset.hidden = !on;
    if (note) note.hidden = on;
  }

  // No problems are shown on a new post before the user has typed or chosen anything.
  function touched() {
    form.classList.remove("pristine");
  }
  form.addEventListener("input", touched);
  form.addEventListener("change", touched);

  // The network versions as tabs: "All networks" shows every version, a network's tab only
  // that one. Each tab's title carries its counter.
  var tabs = form.querySelector("[data-variant-tabs]");
  var list = form.querySelector(".variants");
  function focusTab(key) {
    if (!tabs || !list) return;
    tabs.querySelectorAll("[data-tab]").forEach(function (tab) {
      tab.setAttribute("aria-selected", tab.getAttribute("data-tab") === key ? "true" : "false");
    });
    if (key === "all") {
      list.removeAttribute("data-focus");
    } else {
      list.setAttribute("data-focus", key);
    }
    variants().forEach(function (section) {
      section.classList.toggle("focused", section.getAttribute("data-variant") === key);
    });
  }
  if (tabs) {
    tabs.addEventListener("click", function (event) {
      var tab = event.target.closest("[data-tab]");
      if (tab) focusTab(tab.getAttribute("data-tab"));
    });
    tabs.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
      var shown = Array.prototype.filter.call(tabs.querySelectorAll("[data-tab]"), function (t) { return !t.hidden; });
      var at = shown.indexOf(document.activeElement);
      if (at < 0) return;
      var next = shown[(at + (event.key === "ArrowRight" ? 1 : shown.length - 1)) % shown.length];
      next.focus();
      focusTab(next.getAttribute("data-tab"));
    });
  }

  form.addEventListener("input", function (event) {
    var target = event.target;
    if (target === master) {
      follow();
    } else if (target.matches && target.matches("[data-variant-text]")) {
      setEdited(target.closest("[data-variant]"), true);
    }
    if (target.type !== "file") schedule();
  });

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-account-toggle]")) {
      var section = form.querySelector('[data-variant="' + target.getAttribute("data-account-toggle") + '"]');
      if (section) section.hidden = !target.checked;
      var tab = form.querySelector('[data-tab="' + target.getAttribute("data-account-toggle") + '"]');
      if (tab) {
        tab.hidden = !target.checked;
        if (!target.checked && tab.getAttribute("aria-selected") === "true") focusTab("all");
      }
      schedule();
    } else if (target.matches("[data-sync]")) {
      follow();
      schedule();
    } else if (target.matches("[data-media-own]")) {
      var own = target.closest("[data-variant]");
      var flag = own.querySelector("[data-media-edited]");
      if (flag) flag.value = target.checked ? "1" : "0";
      own.querySelectorAll("[data-variant-media] input").forEach(function (input) {
        input.disabled = !target.checked;
      });
      schedule();
    } else if (target.matches("select[name=theme]")) {
      form.querySelectorAll("[data-guide]").forEach(function (guide) {
        guide.hidden = guide.getAttribute("data-guide") !== target.value;
      });
    } else if (target.matches("[data-add-media]")) {
      addMedia(target);
    }
  });

  form.addEventListener("click", function (event) {
    var reset = event.target.closest("[data-reset]");
    if (reset) {
      var section = reset.closest("[data-variant]");
      var text = section.querySelector("[data-variant-text]");
      if (text && master) text.value = master.value;
      setEdited(section, false);
      schedule();
      return;
    }
    var insert = event.target.closest("[data-insert]");
    if (insert && master) {
      var tags = insert.getAttribute("data-insert");
      master.value = master.value.replace(/\s+$/, "") + (master.value.trim() ? "\n\n" : "") + tags;
      follow();
      schedule();
      return;
    }
    var remove = event.target.closest("[data-remove-media]");
    if (remove) {
      var row = remove.closest(".media-row");
      if (row) row.remove();
      schedule();
    }
  });

  function addMedia(select) {
    var option = select.options[select.selectedIndex];
    var template = form.querySelector("[data-media-template]");
    var list = form.querySelector("[data-master-media]");
    if (!option || !option.value || !template || !list) return;
    if (list.querySelector('[data-media-id="' + option.value + '"]')) {
      select.value = "";
      return;
    }
    var row = template.content.firstElementChild.cloneNode(true);
    var id = option.value;
    row.setAttribute("data-media-id", id);
    var thumb = row.querySelector("[data-thumb]");
    if (thumb) thumb.src = option.getAttribute("data-url");
    row.querySelector("[data-name]").textContent = option.getAttribute("data-name");
    row.querySelector("[data-size]").textContent = option.getAttribute("data-size");
    row.querySelector("[data-id]").value = id;
    var alt = row.querySelector("[data-alt]");
    alt.name = "alt-" + id;
    alt.id = "alt-" + id;
    alt.value = option.getAttribute("data-alt") || "";
    var label = row.querySelector("label");
    if (label) label.setAttribute("for", "alt-" + id);
    list.appendChild(row);
    select.value = "";
    schedule();
  }

  // Leaving with unsaved changes asks first.
  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  document.addEventListener("submit", function () { dirty = false; }, true);
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();

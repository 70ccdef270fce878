/* The inbox: live updates over Server-Sent Events and keyboard shortcuts.
   No inline scripts (CSP); rows come from the server already escaped (inbox/_row.html).
   j/k next/previous · o or Enter open · e done · r reply · a assign · ? help. */
(function () {
  "use strict";
  var list = document.getElementById("inbox-list");
  var conversation = document.getElementById("conversation");
  var help = document.getElementById("inbox-help");
  var csrf = (document.querySelector("meta[name=csrf-token]") || {}).content || "";

  function parse(html) {
    return new DOMParser().parseFromString(html, "text/html");
  }

  function rows() {
    return list ? Array.prototype.slice.call(list.querySelectorAll(".inbox-row")) : [];
  }

  var current = -1;
  function select(index) {
    var all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (row, i) { row.classList.toggle("selected", i === current); });
    all[current].scrollIntoView({ block: "nearest" });
  }
  function selected() {
    var all = rows();
    return current >= 0 && current < all.length ? all[current] : null;
  }

  function post(url, data) {
    var body = new URLSearchParams(data);
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "X-Requested-With": "fetch" }
    });
  }

  function toggleHelp() {
    if (help) help.hidden = !help.hidden;
  }
  document.querySelectorAll("[data-inbox-help]").forEach(function (button) {
    button.addEventListener("click", toggleHelp);
  });

  document.addEventListener("keydown", function (e) {
    var tag = (e.target && e.target.tagName) || "";
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(tag) || e.ctrlKey || e.metaKey || e.altKey) return;
    var row = selected();
    if (e.key === "?") { toggleHelp(); e.preventDefault(); return; }
    if (list) {
      if (e.key === "j") { select(current + 1); e.preventDefault(); }
      else if (e.key === "k") { select(current - 1); e.preventDefault(); }
      else if ((e.key === "o" || e.key === "Enter") && row) { window.location = row.dataset.url; }
      else if (e.key === "r" && row) { window.location = row.dataset.url + "#reply-text"; }
      else if (e.key === "a" && row) { window.location = row.dataset.url + "#assignee"; }
      else if (e.key === "e" && row) {
        post(row.dataset.statusUrl, { status: "done" }).then(function (response) {
          if (response.ok && list.dataset.status === "open") {
            row.remove();
            select(current);
          }
        });
      }
    } else if (conversation) {
      var target = null;
      if (e.key === "r") target = document.getElementById("reply-text");
      else if (e.key === "a") target = document.getElementById("assignee");
      else if (e.key === "e") { var done = document.getElementById("mark-done"); if (done) done.click(); }
      if (target) { target.focus(); e.preventDefault(); }
    }
  });

  function focusFromHash() {
    var id = window.location.hash.slice(1);
    var target = id && document.getElementById(id);
    if (target && /^(reply-text|assignee)$/.test(id)) target.focus();
  }
  focusFromHash();

  var saved = document.getElementById("saved-reply");
  if (saved) {
    saved.addEventListener("change", function () {
      var box = document.getElementById("reply-text");
      if (box && saved.value) { box.value = saved.value; box.focus(); }
    });
  }

  var replyForm = document.getElementById("reply-form");
  if (replyForm) {
    // One press, one reply: the button is disabled while the form is sent.
    replyForm.addEventListener("submit", function () {
      replyForm.querySelectorAll("button").forEach(function (b) {
        window.setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  }

  function refreshRow(id) {
    var base = list.dataset.rowUrl;
    fetch(base + id + "/row/", { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text() : "";
    }).then(function (html) {
      if (!html) return;
      var fresh = parse(html).querySelector(".inbox-row");
      if (!fresh) return;
      var old = document.getElementById("conversation-" + id);
      var wanted = list.dataset.status;
      var fits = !wanted || fresh.classList.contains("status-" + wanted);
      if (old && !fits) { old.remove(); return; }
      if (!fits || (!old && !list.dataset.live)) return;
      var empty = document.getElementById("inbox-empty");
      if (empty) empty.remove();
      if (old) old.replaceWith(fresh);
      else list.insertBefore(fresh, list.firstChild);
      list.dataset.lastEvent = String(Date.now());
    });
  }

  function refreshConversation() {
    fetch(window.location.pathname, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text() : "";
    }).then(function (html) {
      if (!html) return;
      var doc = parse(html);
      var thread = doc.getElementById("thread");
      if (thread) document.getElementById("thread").replaceWith(thread);
      document.querySelectorAll(".reply-state").forEach(function (n) { n.remove(); });
      var anchor = document.getElementById("thread");
      Array.prototype.slice.call(doc.querySelectorAll(".reply-state")).reverse().forEach(function (n) {
        anchor.parentNode.insertBefore(n, anchor.nextSibling);
      });
      var status = doc.getElementById("conversation-status");
      if (status) document.getElementById("conversation-status").textContent = status.textContent;
    });
  }

  var root = list || conversation;
  if (root && root.dataset.stream && window.EventSource) {
    var source = new EventSource(root.dataset.stream + "?after=" + encodeURIComponent(root.dataset.after || "0"));
    source.onopen = function () { root.dataset.connected = "1"; };
    source.onerror = function () { root.dataset.connected = "0"; };
    source.addEventListener("conversation", function (e) {
      var data = JSON.parse(e.data);
      if (list) refreshRow(data.id);
      else if (String(data.id) === conversation.dataset.id) refreshConversation();
    });
    source.addEventListener("reload", function () {
      if (list) window.location.reload();
    });
  }
})();

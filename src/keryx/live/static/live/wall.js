/* Keryx social wall: the moderation queue, the standalone display (/wall/<key>/) and the
   presenter screen's "Social wall" mode. One EventSource on /wall/<key>/events keeps each
   current; everything an author wrote is put on the page with textContent, never as HTML.
   Cards are text only: author, network, time (decision 0810). */
(function () {
  "use strict";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function post(url, data) {
    var body = new URLSearchParams();
    Object.keys(data).forEach(function (k) { body.append(k, data[k]); });
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "X-Requested-With": "fetch" }, body: body
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (json) { return { ok: r.ok, body: json }; });
    });
  }
  function time(iso, lang, zone) {
    try {
      return new Date(iso).toLocaleTimeString(lang || undefined, { hour: "2-digit", minute: "2-digit", timeZone: zone || undefined });
    } catch (e) { return ""; }
  }
  function listen(key, after, onItem) {
    var source = new EventSource("/wall/" + encodeURIComponent(key) + "/events?after=" + encodeURIComponent(after || "0"));
    source.addEventListener("wall", function (e) { onItem(JSON.parse(e.data), e.lastEventId); });
    return source;
  }

  // --- a display: the standalone page or the presenter screen's wall mode ------------------------
  function Display(options) {
    var items = {};
    var shown = options.shown || 30;
    (options.items || []).forEach(function (i) { items[i.id] = i; });
    var node = el("div", "wall-display");
    node.id = "wall-display";
    if (options.tags) node.appendChild(el("p", "wall-call", options.tags));
    var list = el("ol", "wall-cards");
    var empty = el("p", "wall-empty", options.empty || "");
    node.appendChild(list);
    node.appendChild(empty);
    function card(i) {
      var li = el("li", "wall-card source-" + i.source);
      li.dataset.id = i.id;
      li.appendChild(el("p", "wall-text", i.text));
      var meta = el("p", "wall-meta");
      var who = i.name || i.handle || "";
      if (i.handle && i.name && i.handle !== i.name) who = i.name + " " + i.handle;
      if (who) meta.appendChild(el("span", "wall-author", who));
      meta.appendChild(el("span", "wall-network", i.network_name));
      meta.appendChild(el("span", "wall-time", time(i.written, options.lang, options.zone)));
      li.appendChild(meta);
      return li;
    }
    function draw() {
      var rows = Object.keys(items).map(function (k) { return items[k]; })
        .filter(function (i) { return i.status === "approved"; })
        .sort(function (a, b) { return a.written < b.written ? 1 : a.written > b.written ? -1 : b.id - a.id; })
        .slice(0, shown);
      list.textContent = "";
      rows.forEach(function (i) { list.appendChild(card(i)); });
      empty.hidden = rows.length > 0;
      node.dataset.count = String(rows.length);
    }
    draw();
    listen(options.key, options.after, function (item, id) {
      if (item.status === "approved") items[item.id] = item; else delete items[item.id];
      node.dataset.lastEvent = id;
      draw();
    });
    return { node: node };
  }

  // The presenter screen (live.js) asks for the wall with window.KeryxWall.mount(container).
  var screenWall = null;
  window.KeryxWall = {
    mount: function (container) {
      if (!screenWall) {
        var config = document.getElementById("wall-config");
        var state = document.getElementById("wall-state");
        if (!config || !state) return;
        var data = JSON.parse(state.textContent);
        screenWall = Display({
          key: config.dataset.key, after: config.dataset.after, items: data.items, shown: data.shown,
          empty: config.dataset.tEmpty, lang: document.documentElement.lang, zone: config.dataset.zone,
          tags: config.dataset.tags
        });
      }
      container.appendChild(screenWall.node);
    }
  };

  var standalone = document.getElementById("wall-standalone");
  if (standalone) {
    var data = JSON.parse(document.getElementById("wall-state").textContent);
    var shownWall = Display({
      key: standalone.dataset.key, after: standalone.dataset.after, items: data.items, shown: data.shown,
      empty: standalone.dataset.tEmpty, lang: document.documentElement.lang, zone: standalone.dataset.zone
    });
    standalone.appendChild(shownWall.node);
    var full = document.getElementById("wall-fullscreen");
    if (full) full.addEventListener("click", function () {
      if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
    });
  }

  // --- the moderation queue ------------------------------------------------------------------
  var queue = document.getElementById("wall-queue");
  if (queue) {
    var t = queue.dataset;
    var show = "pending";
    var timer = null;
    var refresh = function () {
      if (timer) return;
      timer = setTimeout(function () {
        timer = null;
        fetch(t.data + "?show=" + show, { credentials: "same-origin" })
          .then(function (r) { return r.json(); }).then(drawQueue);
      }, 100);
    };
    var act = function (id, action) {
      post(t.item, { item: id, action: action }).then(function (res) {
        if (!res.ok) alert(res.body.message || "");
        refresh();
      });
    };
    var drawQueue = function (payload) {
      Object.keys(payload.counts).forEach(function (k) {
        var c = document.querySelector('[data-count-of="' + k + '"]');
        if (c) c.textContent = payload.counts[k];
      });
      var list = document.getElementById("wall-items");
      list.textContent = "";
      document.getElementById("wall-none").hidden = payload.items.length > 0;
      payload.items.forEach(function (i) {
        var li = el("li", "wall-item status-" + i.status);
        li.dataset.id = i.id;
        li.appendChild(el("p", "wall-text", i.text));
        var meta = [i.name, i.handle, i.network_name, time(i.written, document.documentElement.lang, t.zone)]
          .filter(function (x) { return x; }).join(" · ");
        var line = el("p", "wall-meta muted", meta);
        if (i.reason && t["tReason_" + i.reason.replace("&", "")]) line.textContent += " · " + t["tReason_" + i.reason.replace("&", "")];
        li.appendChild(line);
        if (i.url && /^https?:\/\//i.test(i.url)) {
          var link = el("a", "wall-link", t.tOpen);
          link.href = i.url; link.target = "_blank"; link.rel = "noopener noreferrer";
          li.appendChild(link);
        }
        var buttons = el("div", "wall-actions");
        function add(action, label) {
          var b = el("button", "button small", label);
          b.type = "button"; b.dataset.action = action;
          b.addEventListener("click", function () { act(i.id, action); });
          buttons.appendChild(b);
        }
        if (i.status !== "approved") add("approve", t.tApprove);
        if (i.status !== "hidden") add("hide", t.tHide);
        if (i.handle && i.source === "network") add("trust", t.tTrust);
        li.appendChild(buttons);
        list.appendChild(li);
      });
    };
    document.querySelectorAll("#wall-filter [data-show]").forEach(function (b) {
      b.addEventListener("click", function () {
        show = b.dataset.show;
        document.querySelectorAll("#wall-filter [data-show]").forEach(function (x) { x.setAttribute("aria-pressed", String(x === b)); });
        refresh();
      });
    });
    listen(t.key, t.after, refresh);
    refresh();
  }
})();

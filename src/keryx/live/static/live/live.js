/* Keryx Live: the participant page, the presenter screen and the moderator's control page.
   One EventSource per page (/j/<code>/events) keeps them current; everything a participant
   typed is put on the page with textContent, never as HTML. */
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root) return;
  var mode = root.dataset.mode;
  var code = root.dataset.code;
  var t = root.dataset;
  var stateNode = document.getElementById("live-state");
  var state = stateNode ? JSON.parse(stateNode.textContent) : { room: {}, questions: [], polls: [] };
  var questions = {};
  var polls = {};
  var sort = "popular";
  (state.questions || []).forEach(function (q) { questions[q.id] = q; });
  (state.polls || []).forEach(function (p) { polls[p.id] = p; });
  var room = state.room || {};
  var me = state.me || { upvoted: [], voted: {} };
  var upvoted = {};
  (me.upvoted || []).forEach(function (id) { upvoted[id] = true; });

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "class") node.className = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) return meta.content;
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }
  // A vote carries the participant's token (the vote fast path checks it, decision 0804) and
  // an idempotency key: sent again after a lost answer, it counts once.
  function post(url, data, key) {
    var body = new URLSearchParams();
    Object.keys(data).forEach(function (k) {
      var v = data[k];
      if (Array.isArray(v)) v.forEach(function (x) { body.append(k, x); }); else body.append(k, v);
    });
    var headers = { "X-CSRFToken": csrf(), "X-Requested-With": "fetch" };
    if (root.dataset.token) headers["X-Live-Token"] = root.dataset.token;
    if (key) headers["Idempotency-Key"] = key;
    return fetch(url, {
      method: "POST", credentials: "same-origin", headers: headers, body: body
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (json) { return { ok: r.ok, status: r.status, body: json }; });
    });
  }

  // --- the stream ------------------------------------------------------------------------
  var handlers = {};
  function connect(after) {
    var source = new EventSource("/j/" + encodeURIComponent(code) + "/events?after=" + encodeURIComponent(after));
    var status = document.getElementById("live-status");
    source.onopen = function () { if (status) status.textContent = ""; root.dataset.connected = "1"; };
    source.onerror = function () { if (status && t.tOffline) status.textContent = t.tOffline; root.dataset.connected = "0"; };
    ["question", "poll", "room"].forEach(function (kind) {
      source.addEventListener(kind, function (e) {
        var data = JSON.parse(e.data);
        if (handlers[kind]) handlers[kind](data);
        root.dataset.lastEvent = e.lastEventId;
      });
    });
    return source;
  }
  handlers.question = function (q) {
    if (q.status !== "approved") delete questions[q.id]; else questions[q.id] = q;
    render();
  };
  handlers.poll = function (p) { polls[p.id] = p; render(); };
  handlers.room = function (r) {
    room.showing = r.showing; room.showing_poll = r.showing_poll; room.archived = r.archived;
    room.survey = r.survey || null; render();
  };

  function sortedQuestions(list) {
    return list.slice().sort(function (a, b) {
      if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
      if (sort === "recent") return a.created < b.created ? 1 : -1;
      if (a.upvotes !== b.upvotes) return b.upvotes - a.upvotes;
      return a.created < b.created ? 1 : -1;
    });
  }
  function values(obj) { return Object.keys(obj).map(function (k) { return obj[k]; }); }

  document.querySelectorAll("[data-sort]").forEach(function (button) {
    button.addEventListener("click", function () {
      sort = button.dataset.sort;
      document.querySelectorAll("[data-sort]").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
      if (mode === "control") refresh(); else render();
    });
  });

  // --- results (shared by phone, screen and moderator) --------------------------------------
  function results(poll, big) {
    var box = el("div", { "class": "live-results" + (big ? " big" : "") });
    var r = poll.results;
    if (!r) {
      box.appendChild(el("p", { "class": "muted" }, (poll.voters || 0) + " " + (t.tVotes || "") + " · " + (t.tHidden || "")));
      return box;
    }
    if (r.options) {
      var total = r.options.reduce(function (s, o) { return s + o.count; }, 0) || 1;
      var texts = {};
      poll.options.forEach(function (o) { texts[o.id] = o.text; });
      r.options.forEach(function (o) {
        var row = el("div", { "class": "bar-row" + (poll.correct && poll.correct.indexOf(o.id) >= 0 ? " correct" : ""), "data-option": o.id });
        row.appendChild(el("span", { "class": "bar-label" }, texts[o.id]));
        var bar = el("span", { "class": "bar" });
        var fill = el("span", { "class": "bar-fill" });
        fill.style.width = Math.round(100 * o.count / total) + "%";
        bar.appendChild(fill);
        row.appendChild(bar);
        row.appendChild(el("span", { "class": "bar-count" }, o.count));
        box.appendChild(row);
      });
    } else if (r.ratings) {
      box.appendChild(el("p", { "class": "rating-average" }, r.average === null ? "—" : "★ " + r.average));
      r.ratings.forEach(function (n, i) {
        var row = el("div", { "class": "bar-row" });
        row.appendChild(el("span", { "class": "bar-label" }, String(i + 1)));
        row.appendChild(el("span", { "class": "bar-count" }, n));
        box.appendChild(row);
      });
    } else if (r.words) {
      var cloud = el("ul", { "class": "cloud" });
      var max = r.words.length ? r.words[0].count : 1;
      r.words.forEach(function (w) {
        var item = el("li", { "data-count": w.count }, w.word);
        item.style.fontSize = (1 + 2.5 * w.count / max).toFixed(2) + "em";
        cloud.appendChild(item);
      });
      box.appendChild(cloud);
    } else if (r.answers) {
      var list = el("ul", { "class": "answers" });
      r.answers.forEach(function (a) { list.appendChild(el("li", null, a)); });
      box.appendChild(list);
    }
    if (r.leaderboard && r.leaderboard.length) {
      var board = el("ol", { "class": "leaderboard" });
      r.leaderboard.forEach(function (p) { board.appendChild(el("li", null, p.name + " · " + p.score)); });
      box.appendChild(board);
    }
    box.appendChild(el("p", { "class": "muted voters" }, r.voters + " " + (t.tVotes || "")));
    return box;
  }

  // --- the participant's phone ---------------------------------------------------------------
  function renderRoom() {
    var list = document.getElementById("live-questions");
    list.textContent = "";
    var shown = sortedQuestions(values(questions));
    document.getElementById("live-no-questions").hidden = shown.length > 0;
    shown.forEach(function (q) {
      var item = el("li", { "class": "question" + (q.answered ? " answered" : "") + (q.pinned ? " pinned" : ""), "data-id": q.id });
      var up = el("button", { type: "button", "class": "upvote", "aria-pressed": String(!!upvoted[q.id]) }, "▲ " + q.upvotes);
      if (upvoted[q.id] || room.archived) up.disabled = true;
      up.addEventListener("click", function () {
        upvoted[q.id] = true; up.disabled = true;
        post(root.dataset.base + "q/" + q.id + "/upvote", {}).then(function (res) {
          if (res.ok) { q.upvotes = Math.max(q.upvotes, res.body.upvotes); render(); }
        });
      });
      item.appendChild(up);
      var body = el("div", { "class": "question-body" });
      body.appendChild(el("p", { "class": "question-text" }, q.text));
      body.appendChild(el("p", { "class": "question-meta muted" }, (q.name || t.tAnonymous) + (q.answered ? " · " + t.tAnswered : "")));
      if (q.reply) body.appendChild(el("p", { "class": "question-reply" }, t.tReply + ": " + q.reply));
      item.appendChild(body);
      list.appendChild(item);
    });
    renderPhonePoll();
    renderSurvey();
  }

  // The feedback survey after the session (or when the moderator shows it): a registrant's
  // personal link, else the survey's public one.
  function renderSurvey() {
    var panel = document.getElementById("live-survey");
    if (!panel) return;
    var url = room.survey ? (me.survey || room.survey.url) : "";
    panel.hidden = !url;
    if (url) document.getElementById("live-survey-link").setAttribute("href", url);
  }

  function currentPoll() {
    var open = values(polls).filter(function (p) { return p.status === "open"; });
    if (open.length) return open.sort(function (a, b) { return b.id - a.id; })[0];
    if (room.showing_poll && polls[room.showing_poll]) return polls[room.showing_poll];
    return null;
  }

  var drawnPoll = null;
  function renderPhonePoll() {
    var panel = document.getElementById("live-poll-panel");
    var box = document.getElementById("live-poll");
    var poll = currentPoll();
    panel.hidden = !poll;
    if (!poll) { box.textContent = ""; drawnPoll = null; return; }
    var key = poll.id + ":" + poll.status;
    var form = box.querySelector("form");
    if (drawnPoll !== key || !form) {
      drawnPoll = key;
      box.textContent = "";
      box.appendChild(el("p", { "class": "poll-question" }, poll.question));
      if (poll.status !== "open") {
        box.appendChild(el("p", { "class": "notice poll-closed" }, t.tClosed));
      } else {
        box.appendChild(voteForm(poll));
      }
      box.appendChild(el("div", { "class": "poll-results" }));
    }
    var slot = box.querySelector(".poll-results");
    slot.textContent = "";
    if (poll.results || poll.status !== "draft") slot.appendChild(results(poll, false));
  }

  function voteForm(poll) {
    var form = el("form", { "class": "vote", "data-poll": poll.id });
    var mine = (me.voted || {})[String(poll.id)] || [];
    if (poll.options && poll.options.length) {
      var type = poll.kind === "multiple" ? "checkbox" : "radio";
      poll.options.forEach(function (o) {
        var label = el("label", { "class": "check option" });
        var input = el("input", { type: type, name: "options", value: o.id });
        if (mine.indexOf(o.id) >= 0) input.checked = true;
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + o.text));
        form.appendChild(label);
      });
    } else if (poll.kind === "rating") {
      var stars = el("div", { "class": "rating", role: "group" });
      [1, 2, 3, 4, 5].forEach(function (n) {
        var label = el("label", { "class": "star" });
        var input = el("input", { type: "radio", name: "value", value: n });
        if (mine.indexOf(n) >= 0) input.checked = true;
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + n));
        stars.appendChild(label);
      });
      form.appendChild(stars);
    } else {
      form.appendChild(el("input", { type: "text", name: "text", maxlength: "200", "class": "vote-text", "aria-label": poll.question }));
    }
    var error = el("p", { "class": "error", role: "alert" });
    error.hidden = true;
    var done = el("p", { "class": "success", role: "status" });
    done.hidden = true;
    form.appendChild(error);
    form.appendChild(done);
    form.appendChild(el("button", { type: "submit", "class": "button primary" }, t.tVote));
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var data = {};
      var checked = Array.prototype.map.call(form.querySelectorAll('input[name="options"]:checked'), function (i) { return i.value; });
      if (checked.length) data.options = checked;
      var value = form.querySelector('input[name="value"]:checked');
      if (value) data.value = value.value;
      var text = form.querySelector('input[name="text"]');
      if (text) data.text = text.value;
      var button = form.querySelector("button");
      button.disabled = true;
      post(root.dataset.base + "p/" + poll.id + "/vote", data, newKey()).then(function (res) {
        button.disabled = false;
        error.hidden = res.ok; done.hidden = !res.ok;
        if (res.ok) { done.textContent = res.body.message; if (text) text.value = ""; }
        else error.textContent = res.body.message || "";
      });
    });
    return form;
  }

  function setupAsk() {
    var form = document.getElementById("live-ask");
    if (!form) return;
    var text = document.getElementById("live-text");
    var counter = document.getElementById("live-counter");
    var max = parseInt(text.dataset.max, 10);
    var error = document.getElementById("live-ask-error");
    var done = document.getElementById("live-ask-done");
    function count() {
      counter.textContent = text.value.length + " / " + max;
      counter.classList.toggle("over", text.value.length > max);
    }
    text.addEventListener("input", count);
    count();
    var name = document.getElementById("live-name");
    var lastName = name.value;
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var send = document.getElementById("live-ask-send");
      send.disabled = true;
      var renamed = name.value !== lastName
        ? post(root.dataset.base + "name", { name: name.value }).then(function () { lastName = name.value; })
        : Promise.resolve();
      renamed.then(function () {
        var anonymous = document.getElementById("live-anonymous");
        return post(form.action, { text: text.value, anonymous: anonymous && anonymous.checked ? "1" : "" });
      }).then(function (res) {
        send.disabled = false;
        error.hidden = res.ok; done.hidden = !res.ok;
        if (res.ok) { done.textContent = res.body.message; text.value = ""; count(); }
        else error.textContent = res.body.message || "";  // the text stays in the box
      });
    });
  }

  // --- the presenter screen ------------------------------------------------------------------
  function renderScreen() {
    var body = document.getElementById("screen-body");
    body.textContent = "";
    body.dataset.showing = room.showing;
    if (room.showing === "questions") {
      var shown = sortedQuestions(values(questions)).slice(0, 6);
      if (!shown.length) body.appendChild(el("p", { "class": "screen-empty" }, t.tNoQuestions));
      var list = el("ol", { "class": "screen-questions" });
      shown.forEach(function (q) {
        var item = el("li", { "class": "question" + (q.pinned ? " pinned" : "") + (q.answered ? " answered" : ""), "data-id": q.id });
        item.appendChild(el("span", { "class": "screen-upvotes" }, "▲ " + q.upvotes));
        item.appendChild(el("span", { "class": "question-text" }, q.text));
        var meta = (q.name || "") + (q.answered ? (q.name ? " · " : "") + "✓ " + t.tAnswered : "");
        if (meta) item.appendChild(el("span", { "class": "question-meta" }, meta));
        list.appendChild(item);
      });
      body.appendChild(list);
    } else if ((room.showing === "poll" || room.showing === "cloud") && polls[room.showing_poll]) {
      var poll = polls[room.showing_poll];
      body.appendChild(el("h2", { "class": "screen-poll-question" }, poll.question));
      body.appendChild(results(poll, true));
    } else if (room.showing === "wall" && window.KeryxWall) {
      window.KeryxWall.mount(body);  // wall.js: its own stream, kept across redraws
    } else if (room.showing === "survey" && room.survey) {
      var box = el("div", { "class": "screen-join-slide screen-survey" });
      box.appendChild(el("p", null, t.tSurvey));
      box.appendChild(el("p", { "class": "screen-poll-question" }, room.survey.title));
      box.appendChild(el("p", { "class": "screen-url" }, location.origin + room.survey.url));
      box.appendChild(el("img", { src: t.surveyQr, alt: "", "class": "screen-qr-large" }));
      body.appendChild(box);
    } else {
      var slide = document.getElementById("screen-join-slide");
      body.appendChild(slide.content.cloneNode(true));
    }
  }
  var fullscreen = document.getElementById("screen-fullscreen");
  if (fullscreen) fullscreen.addEventListener("click", function () {
    if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
  });

  // --- the moderator's control page ------------------------------------------------------------
  var refreshTimer = null;
  function refresh() {
    if (refreshTimer) return;
    refreshTimer = setTimeout(function () {
      refreshTimer = null;
      fetch(root.dataset.data + "?order=" + sort, { credentials: "same-origin" })
        .then(function (r) { return r.json(); }).then(drawControl);
    }, 100);
  }
  function action(url, data) { return post(url, data).then(function (res) { if (!res.ok) alert(res.body.message || res.status); refresh(); }); }
  function drawControl(data) {
    room.showing = data.showing; room.showing_poll = data.showing_poll;
    document.querySelectorAll("#live-showing [data-showing]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.showing === data.showing));
    });
    var list = document.getElementById("mod-questions");
    list.textContent = "";
    data.questions.forEach(function (q) {
      var item = el("li", { "class": "question status-" + q.status + (q.answered ? " answered" : "") + (q.pinned ? " pinned" : ""), "data-id": q.id });
      item.appendChild(el("span", { "class": "upvote-count" }, "▲ " + q.upvotes));
      var body = el("div", { "class": "question-body" });
      body.appendChild(el("p", { "class": "question-text" }, q.text));
      var meta = (q.name || t.tAnonymous);
      if (q.status === "pending") meta += " · " + t.tPending;
      if (q.status === "dismissed") meta += " · " + t.tDismissed;
      body.appendChild(el("p", { "class": "question-meta muted" }, meta));
      if (q.reply) body.appendChild(el("p", { "class": "question-reply" }, q.reply));
      var buttons = el("div", { "class": "question-actions" });
      function add(name, label, extra) {
        var b = el("button", { type: "button", "class": "button small", "data-action": name }, label);
        b.addEventListener("click", function () {
          var payload = { action: name };
          if (extra) { var v = prompt(extra, name === "edit" ? q.text : q.reply); if (v === null) return; payload.text = v; }
          action(root.dataset.base + "q/" + q.id, payload);
        });
        buttons.appendChild(b);
      }
      if (q.status !== "approved") add("approve", t.tApprove);
      if (q.status !== "dismissed") add("dismiss", t.tDismiss);
      add(q.answered ? "unanswered" : "answered", q.answered ? t.tUnanswered : t.tAnswered);
      add(q.pinned ? "unpin" : "pin", q.pinned ? t.tUnpin : t.tPin);
      add("edit", t.tEdit, t.tEditPrompt);
      add("reply", t.tReply, t.tReplyPrompt);
      body.appendChild(buttons);
      item.appendChild(body);
      list.appendChild(item);
    });
    var pollList = document.getElementById("mod-polls");
    pollList.textContent = "";
    data.polls.forEach(function (p) {
      polls[p.id] = p;
      var item = el("li", { "class": "poll status-" + p.status, "data-id": p.id });
      item.appendChild(el("p", { "class": "poll-question" }, p.question + " (" + p.kind + ", " + p.status + ")"));
      var buttons = el("div", { "class": "poll-actions" });
      function add(name, label) {
        var b = el("button", { type: "button", "class": "button small", "data-action": name }, label);
        b.addEventListener("click", function () { action(root.dataset.base + "p/" + p.id, { action: name }); });
        buttons.appendChild(b);
      }
      if (p.status !== "open") add("launch", t.tLaunch);
      if (p.status === "open") add("close", t.tClose);
      add(p.revealed ? "hide" : "reveal", p.revealed ? t.tHide : t.tReveal);
      var showButton = el("button", { type: "button", "class": "button small", "data-action": "show" }, t.tShow);
      showButton.addEventListener("click", function () {
        action(root.dataset.base + "show", { showing: p.kind === "cloud" ? "cloud" : "poll", poll: p.id });
      });
      buttons.appendChild(showButton);
      item.appendChild(buttons);
      if (p.status !== "draft") item.appendChild(results(p, false));
      pollList.appendChild(item);
    });
  }
  function setupControl() {
    document.querySelectorAll("#live-showing [data-showing]").forEach(function (b) {
      b.addEventListener("click", function () {
        action(root.dataset.base + "show", { showing: b.dataset.showing, poll: room.showing_poll || "" });
      });
    });
    var form = document.getElementById("poll-new");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var error = document.getElementById("poll-error");
      post(form.action, {
        kind: form.kind.value, question: form.question.value, options: form.options.value
      }).then(function (res) {
        error.hidden = res.ok;
        if (res.ok) { form.question.value = ""; form.options.value = ""; } else error.textContent = res.body.message || "";
        refresh();
      });
    });
    handlers.question = refresh;
    handlers.poll = refresh;
    handlers.room = refresh;
    refresh();
  }

  function render() {
    if (mode === "room") renderRoom();
    else if (mode === "screen") renderScreen();
  }

  function setupVideo() {
    var video = document.getElementById("live-video");
    if (!video) return;
    var src = video.dataset.src;
    if (video.canPlayType("application/vnd.apple.mpegurl")) { video.src = src; return; }
    if (window.Hls && window.Hls.isSupported()) {
      var hls = new window.Hls();
      hls.loadSource(src);
      hls.attachMedia(video);
    }
  }

  if (mode === "room") { setupAsk(); setupVideo(); }
  if (mode === "control") setupControl();
  render();
  connect(root.dataset.after || "0");
})();

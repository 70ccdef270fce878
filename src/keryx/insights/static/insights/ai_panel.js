/* Keryx composer: AI suggestions (the insights API). Nothing in the post changes until the user
   clicks "Use this suggestion" or a hashtag; a failure or a timeout is said in words and leaves
   every field as it was. The exact prompt sent is shown with every answer.
   No inline scripts (CSP): wired from data- attributes. */
(function () {
  "use strict";

  var panel = document.querySelector("[data-ai-panel]");
  var form = document.getElementById("composer");
  if (!panel || !form) return;
  var api = panel.getAttribute("data-api");
  var master = form.querySelector("[data-master]");
  var result = panel.querySelector("[data-ai-result]");
  var status = panel.querySelector("[data-ai-status]");
  var box = panel.querySelector("[data-ai-suggestion]");
  var text = panel.querySelector("[data-ai-text]");
  var check = panel.querySelector("[data-ai-check]");
  var notes = panel.querySelector("[data-ai-notes]");
  var tags = panel.querySelector("[data-ai-tags]");
  var promptBox = panel.querySelector("[data-ai-prompt-box]");
  var promptText = panel.querySelector("[data-ai-prompt]");
  var target = panel.querySelector("[data-ai-target]");
  var current = null; // {kind, text, hashtags, account}
  var busy = false;

  function msg(name) {
    return panel.getAttribute("data-msg-" + name) || "";
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) { return String(values[key]); });
  }

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function field(name) {
    var el = form.querySelector('[name="' + name + '"]');
    return el ? el.value : "";
  }

  function chosen() {
    var value = target ? target.value : "";
    var parts = value.split(":");
    return { kind: parts[0], id: parts[1] || "" };
  }

  function variantText(accountId) {
    return form.querySelector('[data-variant="' + accountId + '"] [data-variant-text]');
  }

  function say(message, isError) {
    result.hidden = false;
    status.textContent = message;
    status.classList.toggle("error", !!isError);
  }

  function showPrompt(prompt) {
    if (!prompt || !prompt.length) return;
    promptText.textContent = prompt.map(function (m) {
      return "[" + m.role + "]\n" + m.content;
    }).join("\n\n");
    promptBox.hidden = false;
  }

  function request(action) {
    var language = field("language") || "el";
    var seminar = parseInt(field("seminar"), 10) || null;
    var body = { language: language };
    var typed = master ? master.value : "";
    if (action === "draft") {
      body.seminar_id = seminar;
      body.theme = field("theme");
      body.notes = typed;
    } else if (action === "rewrite") {
      var to = chosen();
      body.seminar_id = seminar;
      if (to.kind === "account") {
        body.account_id = parseInt(to.id, 10);
        var own = variantText(to.id);
        body.text = own && own.value.trim() ? own.value : typed;
      } else {
        body.network = to.id;
        body.text = typed;
      }
    } else if (action === "translate") {
      body.text = typed;
    } else if (action === "hashtags") {
      body.seminar_id = seminar;
      body.text = typed;
    }
    return body;
  }

  function ask(action) {
    if (busy) return;
    var body = request(action);
    if ((action === "rewrite" || action === "translate") && !(body.text || "").trim()) {
      say(msg("empty"), true);
      return;
    }
    busy = true;
    panel.classList.add("asking");
    box.hidden = true;
    promptBox.hidden = true;
    say(msg("asking"), false);
    var to = chosen();
    fetch(api + action, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (answer) {
      if (!answer.ok) {
        var error = answer.data && answer.data.error ? answer.data.error : {};
        say(error.message || msg("unreachable"), true);
        if (error.data && error.data.prompt) showPrompt(error.data.prompt);
        return;
      }
      show(answer.data, action === "rewrite" && to.kind === "account" ? to.id : null);
    }).catch(function () {
      say(msg("unreachable"), true);
    }).then(function () {
      busy = false;
      panel.classList.remove("asking");
    });
  }

  function show(data, accountId) {
    current = { kind: data.kind, text: data.text, hashtags: data.hashtags || [], account: accountId };
    status.textContent = "";
    status.classList.remove("error");
    text.value = data.text;
    check.textContent = "";
    check.className = "ai-check";
    if (data.check) {
      check.textContent = fill(msg(data.check.valid ? "fits" : "over"), data.check);
      check.classList.add(data.check.valid ? "good" : "bad");
    }
    notes.textContent = "";
    (data.notes || []).forEach(function (note) {
      var li = document.createElement("li");
      li.textContent = note;
      notes.appendChild(li);
    });
    tags.textContent = "";
    current.hashtags.forEach(function (tag) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button small";
      button.setAttribute("data-ai-tag", tag);
      button.textContent = tag;
      tags.appendChild(button);
      tags.appendChild(document.createTextNode(" "));
    });
    box.hidden = false;
    showPrompt(data.prompt);
  }

  function addToMaster(addition) {
    if (!master || !addition) return;
    var before = master.value.replace(/\s+$/, "");
    master.value = before ? before + "\n\n" + addition : addition;
    master.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function use() {
    if (!current) return;
    if (current.kind === "rewrite" && current.account) {
      var own = variantText(current.account);
      if (own) {
        own.value = current.text;
        own.dispatchEvent(new Event("input", { bubbles: true }));
        var tab = form.querySelector('[data-tab="' + current.account + '"]');
        if (tab && !tab.hidden) tab.click();
      }
    } else {
      addToMaster(current.text);
    }
    say(msg("used"), false);
  }

  panel.addEventListener("click", function (event) {
    var action = event.target.closest("[data-ai-action]");
    if (action) {
      ask(action.getAttribute("data-ai-action"));
      return;
    }
    if (event.target.closest("[data-ai-use]")) {
      use();
      return;
    }
    var tag = event.target.closest("[data-ai-tag]");
    if (tag && master) {
      var value = tag.getAttribute("data-ai-tag");
      var lines = master.value.replace(/\s+$/, "").split("\n");
      var last = lines[lines.length - 1] || "";
      if (/^\s*#\S+(\s+#\S+)*\s*$/.test(last)) {
        master.value = master.value.replace(/\s+$/, "") + " " + value;
        master.dispatchEvent(new Event("input", { bubbles: true }));
      } else {
        addToMaster(value);
      }
      tag.disabled = true;
    }
  });
})();

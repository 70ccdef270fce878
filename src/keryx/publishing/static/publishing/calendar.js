/* The content calendar: FullCalendar fed by the API, drag to reschedule. No inline script. */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function withId(template, id) {
    return template.replace(/\/0\//, "/" + id + "/");
  }

  // FullCalendar runs in UTC mode: the server sends wall-clock times of the chosen zone
  // without an offset, and a dropped event's UTC fields are that same wall clock.
  function wallClock(date) {
    return date.toISOString().slice(0, 19);
  }

  function say(text, bad) {
    var status = document.getElementById("calendar-status");
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("bad", !!bad);
  }

  function errorText(body, fallback) {
    if (!body || !body.error) return fallback;
    var parts = [body.error.message];
    var fields = body.error.fields || {};
    Object.keys(fields).forEach(function (key) { parts = parts.concat(fields[key]); });
    return parts.join(" ");
  }

  // A compact entry: the network's badge, the time, the first image, the post's title.
  function entry(info) {
    var p = info.event.extendedProps;
    var box = document.createElement("span");
    box.className = "entry";
    var badge = document.createElement("span");
    badge.className = "net-badge";
    badge.style.backgroundColor = p.colour;
    badge.textContent = p.mark;
    badge.setAttribute("aria-label", p.networkLabel);
    box.appendChild(badge);
    if (info.view.type !== "listMonth") {
      var time = document.createElement("time");
      time.className = "entry-time";
      time.textContent = p.time;
      box.appendChild(time);
    }
    if (p.thumbnail) {
      var img = document.createElement("img");
      img.className = "entry-thumb";
      img.src = p.thumbnail;
      img.alt = "";
      img.loading = "lazy";
      box.appendChild(img);
    }
    var title = document.createElement("span");
    title.className = "entry-title";
    title.textContent = p.title;
    box.appendChild(title);
    return { domNodes: [box] };
  }

  function narrow() {
    return window.matchMedia("(max-width: 640px)").matches;
  }

  function start() {
    var filterBox = document.getElementById("calendar-filter-box");
    if (filterBox && !narrow()) filterBox.open = true;
    var el = document.getElementById("calendar");
    if (!el || !window.FullCalendar) return;
    var data = el.dataset;
    var calendar = new window.FullCalendar.Calendar(el, {
      timeZone: "UTC",
      locale: data.locale === "el" ? "el" : "en-gb",
      initialView: "dayGridMonth",
      initialDate: data.initialDate || undefined,
      headerToolbar: narrow()
        ? { left: "prev,next", center: "title", right: "today" }
        : { left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,listMonth" },
      footerToolbar: narrow() ? { center: "dayGridMonth,timeGridWeek,listMonth" } : false,
      // Posts have a time, never a whole day: no "all-day" row (its label was cut off).
      allDaySlot: false,
      displayEventEnd: false,
      eventContent: entry,
      height: "auto",
      eventDisplay: "block",
      // The bundled icon font is a data: URL, which the CSP's font-src does not allow.
      buttonIcons: false,
      buttonText: { prev: "‹", next: "›" },
      firstDay: 1,
      nowIndicator: false,
      eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
      slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
      editable: data.canSchedule === "1",
      eventDurationEditable: false,
      events: { url: data.eventsUrl, startParam: "start", endParam: "end", timeZoneParam: "ignored" },
      eventDidMount: function (info) {
        var p = info.event.extendedProps;
        info.el.setAttribute("title", p.time + " · " + p.networkLabel + " · " + p.account + " · " + p.stateLabel + (p.error ? "\n" + p.error : "") + "\n" + p.text);
        info.el.dataset.variant = info.event.id;
        info.el.dataset.state = p.state;
      },
      eventClick: function (info) {
        info.jsEvent.preventDefault();
        window.location.href = withId(data.detailUrl, info.event.id);
      },
      eventDrop: function (info) {
        var url = withId(data.scheduleUrl, info.event.id);
        say("…");
        fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
          body: JSON.stringify({ scheduled_at: wallClock(info.event.start), time_zone: data.zone })
        }).then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        }).then(function (result) {
          if (!result.ok) {
            info.revert();
            say(data.errorTitle + ": " + errorText(result.body, ""), true);
            return;
          }
          say(data.moved);
          calendar.refetchEvents();
        }).catch(function () {
          info.revert();
          say(data.errorTitle, true);
        });
      }
    });
    calendar.render();
    el.dataset.ready = "1";
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

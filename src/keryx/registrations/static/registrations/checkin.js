/* Check-in: scan ticket QR codes with the device's camera.
 * Uses the browser's BarcodeDetector where it exists and the vendored jsQR otherwise.
 * Each decoded ticket is posted once (repeats of the same code within a few seconds are
 * ignored); the server's answer (checked in / already checked in / refused) is shown. */
(function () {
  "use strict";

  var box = document.getElementById("checkin");
  if (!box) return;
  var scanUrl = box.getAttribute("data-scan-url");
  var video = document.getElementById("checkin-video");
  var canvas = document.getElementById("checkin-canvas");
  var startButton = document.getElementById("start-camera");
  var stopButton = document.getElementById("stop-camera");
  var statusLine = document.getElementById("camera-status");
  var result = document.getElementById("checkin-result");
  var stream = null;
  var detector = null;
  var lastToken = "";
  var lastAt = 0;
  var busy = false;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function show(html) {
    result.innerHTML = html;
    if (window.htmx) window.htmx.process(result);
    // out-of-band counts in the answer
    var oob = result.querySelector("[hx-swap-oob]");
    var counts = document.getElementById("registration-counts");
    if (oob && counts && oob !== counts) {
      counts.innerHTML = oob.innerHTML;
      oob.remove();
    }
  }

  function submit(token) {
    var now = Date.now();
    if (busy || (token === lastToken && now - lastAt < 4000)) return;
    lastToken = token;
    lastAt = now;
    busy = true;
    var body = new URLSearchParams();
    body.set("token", token);
    fetch(scanUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString(),
      credentials: "same-origin"
    }).then(function (response) {
      return response.text();
    }).then(function (html) {
      show(html);
      if (navigator.vibrate) navigator.vibrate(80);
    }).catch(function () {
      result.textContent = statusLine.getAttribute("data-offline") || "Network error";
    }).then(function () {
      busy = false;
    });
  }

  function decodeWithJsQR() {
    if (!window.jsQR || !video.videoWidth) return null;
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
    var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    return code ? code.data : null;
  }

  function tick() {
    if (!stream) return;
    if (detector) {
      detector.detect(video).then(function (codes) {
        if (codes.length) submit(codes[0].rawValue);
      }).catch(function () {}).then(function () {
        window.setTimeout(tick, 250);
      });
      return;
    }
    var data = decodeWithJsQR();
    if (data) submit(data);
    window.setTimeout(tick, 250);
  }

  function start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      statusLine.textContent = startButton.getAttribute("data-no-camera") || "No camera available.";
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        startButton.hidden = true;
        stopButton.hidden = false;
        return video.play();
      })
      .then(function () {
        if ("BarcodeDetector" in window) {
          return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
            if (formats.indexOf("qr_code") >= 0) {
              detector = new window.BarcodeDetector({ formats: ["qr_code"] });
            }
          });
        }
      })
      .then(tick)
      .catch(function (error) {
        statusLine.textContent = String(error && error.message ? error.message : error);
      });
  }

  function stop() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.hidden = true;
    startButton.hidden = false;
    stopButton.hidden = true;
  }

  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", stop);

  // The typed / hand-scanner form empties itself after each check-in.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = document.getElementById("ticket-form");
    if (form && event.detail.elt === form) {
      form.reset();
      document.getElementById("ticket-token").focus();
    }
  });
})();

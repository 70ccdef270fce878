/* Charts of the links pages (Chart.js, vendored). Each <canvas data-chart="ID"> reads its data
   from <script type="application/json" id="ID">: {labels: [...], datasets: [{label, data}]}. */
(function () {
  "use strict";
  var COLOURS = ["#1d4e89", "#4f8fd6", "#17663a", "#e0a100", "#a4262c"];

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var type = canvas.getAttribute("data-chart-type") || "bar";
    // Horizontal bars (data-chart-axis="y") keep long labels readable.
    var horizontal = canvas.getAttribute("data-chart-axis") === "y";
    var valueAxis = { beginAtZero: true, ticks: { precision: 0 } };
    var labelAxis = { ticks: { autoSkip: false, font: { size: 13 } } };
    var chart = new window.Chart(canvas, {
      type: type,
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, i) {
          return {
            label: set.label,
            data: set.data,
            backgroundColor: COLOURS[i % COLOURS.length],
            borderColor: COLOURS[i % COLOURS.length],
            tension: 0.2
          };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? "y" : "x",
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { y: valueAxis, x: labelAxis },
        plugins: { legend: { position: "bottom", labels: { font: { size: 13 } } } }
      }
    });
    canvas.setAttribute("data-chart-ready", "true");
    canvas.keryxChart = chart;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();

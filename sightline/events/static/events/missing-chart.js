/* The missing-children page's monthly chart, drawn with the vendored Chart.js from figures the
   page embeds with json_script: {title, labels, series: [{label, values}], unit}. The same
   figures are in the table by month. No inline script or style (CSP). */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var COLOURS = ["#1d70b8", "#00703c"];
  Chart.defaults.font.family = "arial, sans-serif";
  Chart.defaults.font.size = 14;
  Chart.defaults.color = "#505a5f";
  document.querySelectorAll("canvas[data-sl-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-sl-chart"));
    if (!source) { return; }
    var figures = JSON.parse(source.textContent || "{}");
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: figures.labels,
        datasets: figures.series.map(function (s, i) {
          return { label: s.label, data: s.values, backgroundColor: COLOURS[i % COLOURS.length] };
        })
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + figures.unit; } } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  });
})();

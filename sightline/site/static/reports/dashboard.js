/* The partnership dashboard's charts, drawn with the vendored Chart.js from the figures each
   section embeds with json_script ({title, chart, labels, series: [{label, values}]}). Each
   chart's table holds the same figures, so nothing here is the only way to read them. No
   inline script or style: the Content-Security-Policy allows neither. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var COLOURS = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#b58840", "#28a197", "#505a5f"];
  Chart.defaults.font.family = "arial, sans-serif";
  Chart.defaults.font.size = 14;
  Chart.defaults.color = "#505a5f";

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-sl-dash-chart").replace(/^chart-/, ""));
    if (!source) { return; }
    var fig = JSON.parse(source.textContent || "{}");
    var line = fig.chart === "line";
    var stacked = fig.chart === "stacked";
    new Chart(canvas, {
      type: line ? "line" : "bar",
      data: {
        labels: fig.labels,
        datasets: fig.series.map(function (s, i) {
          var colour = COLOURS[i % COLOURS.length];
          return { label: s.label, data: s.values, backgroundColor: colour, borderColor: colour, tension: 0.2 };
        })
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          y: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 }, grid: { color: "#b1b4b6" } },
          x: { stacked: stacked, grid: { display: false }, ticks: { color: "#0b0c0c" } }
        },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("canvas[data-sl-dash-chart]"), draw);
})();

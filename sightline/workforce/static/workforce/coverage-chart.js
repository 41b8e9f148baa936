/* The monthly coverage chart, drawn with the vendored Chart.js from figures the page embeds
   with json_script: {title, labels, series: [{label, values}], target, unit}. The same
   figures are in the table by month on the page. No inline script or style (CSP). */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }

  var COLOURS = ["#1d70b8", "#00703c"];
  var TARGET = "#d4351c";
  Chart.defaults.font.family = "arial, sans-serif";
  Chart.defaults.font.size = 14;
  Chart.defaults.color = "#505a5f";

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-sl-chart"));
    if (!source) { return; }
    var figures = JSON.parse(source.textContent || "{}");
    var unit = figures.unit || "";
    var datasets = figures.series.map(function (s, i) {
      return {
        label: s.label, data: s.values, borderColor: COLOURS[i % COLOURS.length],
        backgroundColor: COLOURS[i % COLOURS.length], borderWidth: 3, pointRadius: 4,
        spanGaps: false, tension: 0
      };
    });
    datasets.push({
      label: "Target", data: figures.labels.map(function () { return figures.target; }),
      borderColor: TARGET, borderDash: [6, 4], borderWidth: 2, pointRadius: 0
    });
    new Chart(canvas, {
      type: "line",
      data: { labels: figures.labels, datasets: datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          y: { min: 0, max: 100, ticks: { stepSize: 25, callback: function (v) { return v + unit; } }, grid: { color: "#b1b4b6" } },
          x: { grid: { display: false }, ticks: { color: "#0b0c0c" } }
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + (item.raw === null ? "no workforce" : item.raw + unit);
              }
            }
          }
        }
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("canvas[data-sl-chart]"), draw);
})();

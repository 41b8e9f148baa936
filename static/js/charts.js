/* Bar charts, drawn with the vendored Chart.js from figures the page embeds with json_script:
   one script for every app's pages (the escalation performance page, the reviews' tracker and
   language pages). Each canvas names its figures in data-sl-chart; the figures are
   {title, labels, values, unit}, null for no figure. A unit of "%" draws a 0 to 100 scale;
   any other unit a scale from zero in whole numbers. data-sl-chart-empty on the canvas says
   what a null figure means in the tooltip ("no decisions"). Every chart has a table with the
   same figures on the page, so nothing here is the only way to read them. No inline script
   or style: the Content-Security-Policy allows neither. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }

  var INK = "#0b0c0c";
  var MUTED = "#505a5f";
  var BLUE = "#1d70b8";
  var GRID = "#b1b4b6";
  Chart.defaults.font.family = "arial, sans-serif";
  Chart.defaults.font.size = 14;
  Chart.defaults.color = MUTED;

  /* Chart.js draws no value labels itself: write each bar's figure above it. */
  var valueLabels = {
    id: "slValueLabels",
    afterDatasetsDraw: function (chart, args, options) {
      var ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = INK;
      ctx.font = "bold 14px arial, sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "bottom";
      chart.data.datasets.forEach(function (dataset, i) {
        chart.getDatasetMeta(i).data.forEach(function (bar, j) {
          var value = dataset.data[j];
          if (value === null || value === undefined) { return; }
          ctx.fillText(value + options.unit, bar.x, bar.y - 4);
        });
      });
      ctx.restore();
    }
  };

  function yScale(unit) {
    if (unit === "%") {
      return {
        min: 0, max: 100,
        ticks: { stepSize: 25, callback: function (v) { return v + unit; } },
        grid: { color: GRID }
      };
    }
    return { beginAtZero: true, ticks: { precision: 0 }, grid: { color: GRID } };
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-sl-chart"));
    if (!source) { return; }
    var figures = JSON.parse(source.textContent || "{}");
    var unit = figures.unit || "";
    var empty = canvas.getAttribute("data-sl-chart-empty") || "no figure";
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: figures.labels,
        datasets: [{ label: figures.title, data: figures.values, backgroundColor: BLUE }]
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        layout: { padding: { top: 20 } },
        scales: {
          y: yScale(unit),
          x: { grid: { display: false }, ticks: { color: INK } }
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.raw === null ? empty : item.raw + unit;
              }
            }
          },
          slValueLabels: { unit: unit }
        }
      },
      plugins: [valueLabels]
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("canvas[data-sl-chart]"), draw);
})();

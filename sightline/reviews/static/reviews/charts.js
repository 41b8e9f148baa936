/* Bar charts on the reviews pages, drawn with the vendored Chart.js from figures the page
   embeds with json_script ({title, labels, values, unit}; null for no figure). Every chart
   has a table with the same figures on the page. No inline script or style (CSP). */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var INK = "#0b0c0c", MUTED = "#505a5f", BLUE = "#1d70b8", GRID = "#b1b4b6";
  Chart.defaults.font.family = "arial, sans-serif";
  Chart.defaults.font.size = 14;
  Chart.defaults.color = MUTED;

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

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-sl-chart"));
    if (!source) { return; }
    var figures = JSON.parse(source.textContent || "{}");
    var unit = figures.unit || "";
    new Chart(canvas, {
      type: "bar",
      data: { labels: figures.labels, datasets: [{ label: figures.title, data: figures.values, backgroundColor: BLUE }] },
      options: {
        animation: false,
        maintainAspectRatio: false,
        layout: { padding: { top: 20 } },
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 }, grid: { color: GRID } },
          x: { grid: { display: false }, ticks: { color: INK } }
        },
        plugins: { legend: { display: false }, slValueLabels: { unit: unit } }
      },
      plugins: [valueLabels]
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("canvas[data-sl-chart]"), draw);
})();

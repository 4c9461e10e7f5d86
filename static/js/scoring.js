/* The ranking bar chart of the scoring results page (Chart.js from npm, no inline JS).
   Reads the JSON that the page wrote with json_script and draws one bar per member, in
   rank order, first place highlighted. */
(function () {
  "use strict";

  var lang = document.body.dataset.language || "vi";
  var numberFormat = new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2
  });

  function drawRankingChart(canvas) {
    var source = document.getElementById(canvas.dataset.chartSource);
    if (!source || !window.Chart) { return; }
    var data = JSON.parse(source.textContent);
    var colours = data.ranks.map(function (rank) {
      if (rank === 1) { return "#9b1c1c"; }
      if (rank === 2 || rank === 3) { return "#c56a1b"; }
      return "#6c8ebf";
    });
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{
          label: data.dataset,
          data: data.totals,
          backgroundColor: colours,
          borderRadius: 3
        }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (context) {
                return data.dataset + ": " + numberFormat.format(context.parsed.y);
              }
            }
          }
        },
        scales: {
          y: {
            beginAtZero: true,
            max: data.max || undefined,
            ticks: { callback: function (value) { return numberFormat.format(value); } }
          }
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart-source]").forEach(drawRankingChart);
  });
})();

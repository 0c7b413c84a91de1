// The accuracy chart on the history page (uPlot, vendored; loaded before this module).
const box = document.getElementById("chart");
if (box && window.uPlot) {
  const series = JSON.parse(box.dataset.series);
  const width = Math.max(280, box.clientWidth);
  new window.uPlot(
    {
      width,
      height: 220,
      // Labels only: a live legend shows "--" for every value until the pointer is on the
      // chart (QA), and the table below gives each attempt's figures.
      legend: { live: false },
      // Attempts are evenly spaced, whatever the days between them; one attempt still gets an axis.
      scales: { x: { time: false, range: (_u, _min, max) => [0.5, Math.max(2, max) + 0.5] }, y: { range: [0, 100] } },
      axes: [{ label: "Attempt", incrs: [1, 2, 5, 10, 20, 50, 100] }, { label: "%" }],
      series: [
        { label: "Attempt" },
        { label: "Accuracy %", stroke: "#1d4ed8", width: 2, points: { show: true } },
        { label: "Overall", stroke: "#15803d", width: 2, dash: [6, 4], points: { show: true } },
      ],
    },
    [series.attempt, series.accuracy, series.overall],
    box,
  );
  box.dataset.drawn = "true";
}

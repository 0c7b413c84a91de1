// The accuracy chart on the history page (uPlot, vendored; loaded before this module).
const box = document.getElementById("chart");
if (box && window.uPlot) {
  const series = JSON.parse(box.dataset.series);
  const width = Math.max(280, box.clientWidth);
  new window.uPlot(
    {
      width,
      height: 220,
      scales: { y: { range: [0, 100] } },
      series: [
        {},
        { label: "Accuracy %", stroke: "#1d4ed8", width: 2, points: { show: true } },
        { label: "Overall", stroke: "#15803d", width: 2, dash: [6, 4], points: { show: true } },
      ],
    },
    [series.t, series.accuracy, series.overall],
    box,
  );
  box.dataset.drawn = "true";
}

// Pages write times in UTC (right without scripts); here each <time data-local>
// is shown in the learner's own time zone and way of writing dates, the UTC
// time kept as its tooltip.
const FORMS = {
  long: { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" },
  short: { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" },
};

for (const element of document.querySelectorAll("time[data-local]")) {
  const instant = new Date(element.dateTime);
  const form = FORMS[element.dataset.local];
  if (Number.isNaN(instant.getTime()) || !form) continue;
  element.title = element.textContent;
  element.textContent = new Intl.DateTimeFormat(undefined, form).format(instant);
  element.dataset.shown = "local";
}

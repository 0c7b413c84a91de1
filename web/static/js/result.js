// The result page: a waveform with speech and pauses, click a word to hear it,
// the word being spoken highlighted, and arrow keys to move between words.
import { errorOf, pollAttempt, progressText, refreshCsrf, signInAgain } from "./api.js";
import { drawWaveform } from "./waveform.js";

const pending = document.getElementById("pending");
if (pending) {
  pollAttempt(pending.dataset.statusUrl, (view) => {
    if (view.status === "queued" || view.status === "processing") {
      pending.textContent = `${progressText(view)} This page updates when it is scored.`;
    }
  }).then(() => window.location.reload(), (err) => {
    if (err.status === 401) signInAgain(window.location.pathname);
    else pending.textContent = `We could not check on your recording (${err.message}). Reload the page to try again.`;
  });
}

const player = document.getElementById("player");
const words = [...document.querySelectorAll("#words .w")];
const timed = words.filter((w) => w.dataset.start !== undefined);
const starts = timed.map((w) => parseFloat(w.dataset.start));
let current = null;

function wordAt(time) {
  let lo = 0, hi = starts.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= time) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found >= 0 && time <= parseFloat(timed[found].dataset.end) + 0.15 ? timed[found] : null;
}

// The page's recording link lasts five minutes (web/recording_links.py): a learner who
// reads for longer and then clicks a word finds it expired (403) and the player dead.
// On an error, ask for a new link once and carry on from where they wanted to be.
const problem = document.getElementById("player-problem");
let wanted = null; // the time the learner last asked to hear
let renewedAt = -Infinity;

function playFrom(time) {
  wanted = time;
  player.currentTime = time;
  // A play() cut short (another click first) or refused is not shown: a recording
  // that cannot be fetched or decoded comes through the "error" event below.
  player.play().catch(() => {});
}

const ANOTHER_LEARNER = "Another learner has signed in on this browser since this page opened, "
  + "so this recording cannot be played for them. Sign in as yourself again to hear it.";

function showProblem(message) {
  problem.textContent = message;
  problem.hidden = false;
}

function cannotPlay(reason, gone = false) {
  showProblem(gone
    ? "This attempt and its recording have been deleted."
    : `Your recording could not be played (${reason}). Reload the page to try again.`);
}

// A 404 for a new link: the attempt was deleted, or it is not the signed-in learner's
// any more because someone else signed in since in another tab (QA: that was told "deleted").
async function cannotRenew(err) {
  if (err.status === 404 && (await refreshCsrf()) === "another") return showProblem(ANOTHER_LEARNER);
  cannotPlay(err.message, err.status === 404);
}

async function renewLink() {
  renewedAt = Date.now();
  const response = await fetch(player.dataset.linkUrl, { credentials: "same-origin" });
  const text = await response.text();
  if (response.status === 401) return signInAgain(window.location.pathname);
  if (!response.ok) throw errorOf(response.status, text);
  const at = wanted;
  if (at !== null) player.addEventListener("loadedmetadata", () => playFrom(at), { once: true });
  player.src = JSON.parse(text).url;
}

if (player) {
  player.addEventListener("error", () => {
    // A new link at most once a minute: a second failure straight after is not an expired link.
    if (Date.now() - renewedAt < 60_000) return cannotPlay("it did not load");
    renewLink().catch(cannotRenew);
  });
  player.addEventListener("timeupdate", () => {
    const word = wordAt(player.currentTime);
    if (word === current) return;
    if (current) current.classList.remove("now");
    if (word) word.classList.add("now");
    current = word;
  });
}

// A missed word was never heard, so it has no time of its own: it plays from where it was
// due, the end of the word said before it, to hear what came instead (QA: it did nothing).
function startOf(word) {
  if (word.dataset.start !== undefined) return parseFloat(word.dataset.start);
  const before = words.slice(0, words.indexOf(word)).findLast((w) => w.dataset.end !== undefined);
  return before ? parseFloat(before.dataset.end) : 0;
}

const list = document.getElementById("words");
if (list) {
  list.addEventListener("click", (e) => {
    const word = e.target.closest(".w");
    if (!word || !player) return;
    playFrom(startOf(word));
  });
  // Left and right move a word, up and down a line (to its first word), Home and End to
  // the first and last word: the end of a long speech was a thousand presses away (QA).
  const lineStarts = [...list.querySelectorAll("p")]
    .map((line) => words.indexOf(line.querySelector(".w")))
    .filter((at) => at >= 0);
  const lineStart = (at) => lineStarts.findLast((start) => start <= at) ?? 0;
  const moves = {
    ArrowRight: (at) => at + 1,
    ArrowLeft: (at) => at - 1,
    ArrowDown: (at) => lineStarts.find((start) => start > at) ?? at,
    ArrowUp: (at) => lineStarts.findLast((start) => start < lineStart(at)) ?? 0,
    Home: () => 0,
    End: () => words.length - 1,
  };
  list.addEventListener("keydown", (e) => {
    const move = moves[e.key];
    const at = words.indexOf(e.target.closest(".w"));
    if (!move || at < 0) return;
    const next = words[Math.min(words.length - 1, Math.max(0, move(at)))];
    words[at].tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
    e.preventDefault();
  });
}

const canvas = document.getElementById("wave");
if (canvas && player) {
  // Without the waveform (a recording deleted since, say) the page still plays and lists.
  drawWaveform(canvas, player.currentSrc || player.src, JSON.parse(canvas.dataset.speech)).catch(() => {
    canvas.hidden = true;
  });
  canvas.addEventListener("click", (e) => {
    // A recording made in the browser (WebM) has no duration in its header: Infinity
    // until played through, so the scored duration stands in for it.
    const duration = Number.isFinite(player.duration) ? player.duration : parseFloat(canvas.dataset.duration);
    if (!(duration > 0)) return;
    const box = canvas.getBoundingClientRect();
    playFrom(((e.clientX - box.left) / box.width) * duration);
  });
}

// Every handler is wired: the page is interactive (the bench reads this mark).
performance.mark("recital-interactive");
document.body.dataset.interactive = "true";

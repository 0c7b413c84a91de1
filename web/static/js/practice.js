// The practice page: text modes, record / stop / listen / re-record, upload with progress, live status.
import { apiHeaders, errorOf, pollAttempt, progressText, refreshCsrf, signInAgain } from "./api.js";
import { knowLength, MicrophoneError, openMicrophone, Recording } from "./recorder.js";
import { ANOTHER_LEARNER, PIECE_GONE, waitFor } from "./upload_messages.js";

const $ = (id) => document.getElementById(id);
const panel = document.querySelector(".recorder");
const buttons = { record: $("record"), stop: $("stop"), rerecord: $("rerecord"), send: $("send") };
let recording = null;
let blob = null;
// One Idempotency-Key per recording, not per press of Send: an upload whose answer was
// lost, sent again, is the same attempt (QA: a new key each time filed it twice).
let sendKey = "";
let started = 0;
let clock = 0;
// A recording being made, or made and not yet accepted by the server: leaving the page
// (a link, Back, closing the tab) would throw it away, so the browser asks first.
let unsent = false;
window.addEventListener("beforeunload", (event) => {
  if (!unsent) return;
  event.preventDefault();
  event.returnValue = "";  // older browsers ask only when this is set
});

function mode() {
  return document.querySelector('input[name="mode"]:checked')?.value || "full";
}

function showMode() {
  $("text").className = `practice-text mode-${mode()}`;
}

// The mode goes in the address (a reload keeps it) and on to the result, whose "Practise
// again" opens the text as the learner last recited it, not in full first (QA).
function withMode(url) {
  const address = new URL(url, window.location.href);
  if (mode() === "full") address.searchParams.delete("mode");
  else address.searchParams.set("mode", mode());
  return address.pathname + address.search;
}

for (const radio of document.querySelectorAll('input[name="mode"]')) {
  radio.addEventListener("change", () => {
    showMode();
    history.replaceState(history.state, "", withMode(window.location.href));
  });
}
window.addEventListener("pageshow", showMode); // Back restores the checked radio: show its mode too

// A button switched off under the keyboard's focus leaves it on the page itself (QA: after
// a failed send, Tab went on past Send). The next buttons switched on take it back.
let focusLost = false;

function enable(names) {
  const focused = document.activeElement;
  for (const [name, button] of Object.entries(buttons)) button.disabled = !names.includes(name);
  if (Object.values(buttons).includes(focused) && focused.disabled) focusLost = true;
  if (focusLost && names.length) {
    focusLost = false;
    buttons[names[0]].focus();
  }
}

function say(message) { $("status").textContent = message; }
function problem(message) { $("problem").textContent = message; }

function showTime() {
  const seconds = Math.floor((Date.now() - started) / 1000);
  $("timer").textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

async function start() {
  // The microphone opens asynchronously (a permission prompt, a slow phone): a second tap
  // meanwhile opened it twice, and Stop closed only one (QA: the other kept recording).
  const allowed = Object.keys(buttons).filter((name) => !buttons[name].disabled);
  enable([]);
  problem("");
  try {
    recording = new Recording(await openMicrophone(), (level) => { $("level").value = level; });
  } catch (err) {
    problem(err instanceof MicrophoneError ? err.message : String(err));
    enable(allowed);
    return;
  }
  blob = null;
  unsent = true;
  $("listen").hidden = true;
  started = Date.now();
  clock = setInterval(showTime, 250);
  enable(["stop"]);
  panel.classList.add("live");  // kept on screen while the learner scrolls a long text
  say("Recording… recite the piece, then press Stop.");
  buttons.stop.focus();
}

async function stop() {
  clearInterval(clock);
  panel.classList.remove("live");
  blob = await recording.stop();
  $("level").value = 0;
  if (!blob.size) {  // stopped before the recorder gave any audio
    blob = null;
    unsent = false;
    problem("Nothing was recorded. Press Record, recite, then press Stop.");
    say("");
    enable(["record"]);
    return;
  }
  sendKey = crypto.randomUUID();
  const listen = $("listen");
  if (listen.src) URL.revokeObjectURL(listen.src);  // the recording before "Record again"
  listen.addEventListener("loadedmetadata", () => knowLength(listen), { once: true });
  listen.src = URL.createObjectURL(blob);
  listen.hidden = false;
  enable(["rerecord", "send"]);
  say("Recorded. Listen back, record again, or send it for scoring.");
  buttons.send.focus();
}

function uploadFailed(message) {
  problem(message);
  say("");
  $("upload-row").hidden = true;
  enable(["send", "rerecord"]);
}

function upload(retried = false) {
  enable([]);
  problem("");
  $("upload").value = 0;  // a second send starts from empty, not the last one's full bar
  $("upload-row").hidden = false;
  const form = new FormData();
  form.append("text_version", panel.dataset.textVersion);  // the text shown: a changed one refuses it
  form.append("recording", blob, blob.type.includes("mp4") ? "recording.m4a" : "recording.webm");
  const request = new XMLHttpRequest();
  request.open("POST", panel.dataset.uploadUrl);
  for (const [name, value] of Object.entries(apiHeaders())) request.setRequestHeader(name, value);
  request.setRequestHeader("Idempotency-Key", sendKey);  // the recording's: a send again is the same
  request.upload.onprogress = (e) => { if (e.lengthComputable) $("upload").value = (100 * e.loaded) / e.total; };
  request.onerror = () => uploadFailed("The upload failed. Check your connection and send it again.");
  request.onload = async () => {
    if (request.status === 202) {
      unsent = false;  // the server has it: the result page shows it from here on
      $("upload").value = 100;
      follow(JSON.parse(request.responseText));
      return;
    }
    const error = errorOf(request.status, request.responseText);
    const session = error.code === "csrf_failed" && !retried ? await refreshCsrf() : "";
    if (session === "renewed") {
      upload(true);  // signed in anew in another tab: the same recording, with the new session's token
      return;
    }
    if (session === "another") {  // never filed under them: the recording is this page's learner's
      uploadFailed(ANOTHER_LEARNER);
      return;
    }
    if (error.code === "rate_limited") {  // the API's words ("Too many requests (20 per 1 minute)") were shown
      uploadFailed(waitFor(request.getResponseHeader("Retry-After")));
      return;
    }
    if (error.status === 401) {
      uploadFailed("You were signed out. Sign in again in another tab, then send this recording again.");
      return;
    }
    if (error.code === "piece_not_found") {  // deleted, or unshared by its owner, since the page loaded
      uploadFailed(PIECE_GONE);
      unsent = false;  // it can never be sent: leaving loses nothing
      enable([]);
      return;
    }
    uploadFailed(error.message);
    if (error.code === "piece_text_changed") {
      unsent = false;  // it can no longer be sent: nothing is lost by opening the new text
      enable([]);  // sent again, it would be refused again: the page must show the new text first
      $("text-changed").hidden = false;
    }
  };
  say("Uploading…");
  request.send(form);
}

const FINAL = ["done", "failed"];  // said below, not as progress

async function follow(submitted) {
  const resultUrl = panel.dataset.resultUrl.replace("ATTEMPT", submitted.id);
  try {
    const final = await pollAttempt(submitted.status_url, (view) => {
      if (!FINAL.includes(view.status)) say(progressText(view));
    });
    if (final.status === "failed") {
      problem(final.error.message);
      say("");
      $("upload-row").hidden = true;  // it was sent; "Uploading" beside the reason misleads
      enable(["rerecord"]);
      return;
    }
    say("Scored. Opening your result…");
    window.location.assign(withMode(resultUrl));
  } catch (err) {
    if (err.status === 401) {
      signInAgain(new URL(resultUrl, window.location.href).pathname);  // it is being scored; see it there
      return;
    }
    say("");
    $("upload-row").hidden = true;
    problem(`We could not follow your attempt (${err.message}). It was sent: open your progress to see it.`);
  }
}

buttons.record.addEventListener("click", start);
buttons.rerecord.addEventListener("click", start);
buttons.stop.addEventListener("click", stop);
buttons.send.addEventListener("click", () => upload());

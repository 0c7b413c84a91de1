// The practice page: text modes, record / stop / listen / re-record, upload with progress, live status.
import { apiHeaders, pollAttempt } from "./api.js";
import { MicrophoneError, openMicrophone, Recording } from "./recorder.js";

const $ = (id) => document.getElementById(id);
const panel = document.querySelector(".recorder");
const buttons = { record: $("record"), stop: $("stop"), rerecord: $("rerecord"), send: $("send") };
let recording = null;
let blob = null;
let started = 0;
let clock = 0;

for (const radio of document.querySelectorAll('input[name="mode"]')) {
  radio.addEventListener("change", () => {
    $("text").className = `practice-text mode-${radio.value}`;
  });
}

function enable(names) {
  for (const [name, button] of Object.entries(buttons)) button.disabled = !names.includes(name);
}

function say(message) { $("status").textContent = message; }
function problem(message) { $("problem").textContent = message; }

function showTime() {
  const seconds = Math.floor((Date.now() - started) / 1000);
  $("timer").textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

async function start() {
  problem("");
  try {
    recording = new Recording(await openMicrophone(), (level) => { $("level").value = level; });
  } catch (err) {
    problem(err instanceof MicrophoneError ? err.message : String(err));
    return;
  }
  blob = null;
  $("listen").hidden = true;
  started = Date.now();
  clock = setInterval(showTime, 250);
  enable(["stop"]);
  say("Recording… recite the piece, then press Stop.");
  buttons.stop.focus();
}

async function stop() {
  clearInterval(clock);
  blob = await recording.stop();
  $("level").value = 0;
  const listen = $("listen");
  listen.src = URL.createObjectURL(blob);
  listen.hidden = false;
  enable(["rerecord", "send"]);
  say("Recorded. Listen back, record again, or send it for scoring.");
  buttons.send.focus();
}

function upload() {
  enable([]);
  $("upload-row").hidden = false;
  const form = new FormData();
  form.append("recording", blob, blob.type.includes("mp4") ? "recording.m4a" : "recording.webm");
  const request = new XMLHttpRequest();
  request.open("POST", panel.dataset.uploadUrl);
  for (const [name, value] of Object.entries(apiHeaders())) request.setRequestHeader(name, value);
  request.setRequestHeader("Idempotency-Key", crypto.randomUUID());
  request.upload.onprogress = (e) => { if (e.lengthComputable) $("upload").value = (100 * e.loaded) / e.total; };
  request.onerror = () => { problem("The upload failed. Check your connection and send it again."); enable(["send", "rerecord"]); };
  request.onload = () => {
    const body = JSON.parse(request.responseText || "{}");
    if (request.status !== 202) {
      problem(body.error ? body.error.message : `The upload failed (HTTP ${request.status}).`);
      enable(["send", "rerecord"]);
      return;
    }
    $("upload").value = 100;
    follow(body);
  };
  say("Uploading…");
  request.send(form);
}

async function follow(submitted) {
  const resultUrl = panel.dataset.resultUrl.replace("ATTEMPT", submitted.id);
  try {
    const final = await pollAttempt(submitted.status_url, (view) => {
      if (view.status === "queued") say("Queued: waiting for a scorer.");
      if (view.status === "processing") say(`Scoring: ${view.stage}…`);
    });
    if (final.status === "failed") {
      problem(final.error.message);
      say("");
      enable(["rerecord"]);
      return;
    }
    say("Scored. Opening your result…");
    window.location.assign(resultUrl);
  } catch (err) {
    problem(`We lost track of your attempt: ${err.message}`);
  }
}

buttons.record.addEventListener("click", start);
buttons.rerecord.addEventListener("click", start);
buttons.stop.addEventListener("click", stop);
buttons.send.addEventListener("click", upload);

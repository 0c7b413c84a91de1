// Headers every call to the JSON API carries: the session cookie goes by itself; the
// session's CSRF token (from the page's meta tag) must be sent on every unsafe request.
export function apiHeaders() {
  const csrf = document.querySelector('meta[name="csrf-token"]');
  return csrf ? { "X-CSRF-Token": csrf.content } : {};
}

// An API answer that was not a success, with its status and error code when it had one.
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// The error an answer carries: its JSON error, or (an HTML page from a proxy, say) its status.
export function errorOf(status, text) {
  try {
    const body = JSON.parse(text);
    if (body && body.error) return new ApiError(status, body.error.code, body.error.message);
  } catch (_) { /* not JSON */ }
  return new ApiError(status, null, `The server answered HTTP ${status}. Try again in a moment.`);
}

// The session ended (signed out here or in another tab): sign in, then come back to `next`.
export function signInAgain(next) {
  window.location.assign(`/sign-in?next=${encodeURIComponent(next)}`);
}

// The session's CSRF token again (it changes when the learner signs in anew in another
// tab): "renewed" when the page's token was replaced; "another" when someone else is
// signed in now (QA: a recording made by one learner was filed under the one who signed
// in after them in another tab), the page's token left as it was; "none" when no one is.
export async function refreshCsrf() {
  const response = await fetch("/api/v1/auth/me", { credentials: "same-origin" });
  if (!response.ok) return "none";
  const body = await response.json();
  const learner = document.querySelector('meta[name="learner"]')?.content;
  if (learner && body.user?.id !== learner) return "another";
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && body.csrf_token) meta.content = body.csrf_token;
  return body.csrf_token ? "renewed" : "none";
}

// A poll that may well answer next time: the connection dropped, the service was busy
// (503 while the database restarts), a proxy's 502, or the rate limit.
const TRANSIENT_TRIES = 6;  // in a row, waiting a little longer each time (half a minute in all)
const transient = (err) => err.status === undefined || err.status === 429 || err.status >= 500;

// Poll an attempt until it is done or failed; onUpdate sees every status. One failed
// request no longer ends the watch (QA: a moment's 503 left the page saying it could
// not follow the attempt, which was scored a few seconds later).
export async function pollAttempt(url, onUpdate, intervalMs = 1000) {
  let failures = 0;
  for (;;) {
    let body;
    try {
      const response = await fetch(url, { headers: apiHeaders(), credentials: "same-origin" });
      const text = await response.text();
      if (!response.ok) throw errorOf(response.status, text);
      body = JSON.parse(text);
    } catch (err) {
      failures += 1;
      if (!transient(err) || failures >= TRANSIENT_TRIES) throw err;
      await new Promise((resolve) => setTimeout(resolve, intervalMs * 2 * failures));
      continue;
    }
    failures = 0;
    onUpdate(body);
    if (body.status === "done" || body.status === "failed") return body;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

// Where an attempt is, in a learner's words: the worker's stage names the step it last
// finished ("analysed"), so say the one under way. web/pages/progress_words.py says the same.
const NEXT_STEP = {
  uploaded: "listening to your recording",
  analysed: "working out the words you said",
  transcribed: "marking each word",
};

export function progressText(view) {
  if (view.status === "queued") return "Queued: waiting for a scorer.";
  const step = NEXT_STEP[view.stage];
  return step ? `Scoring: ${step}…` : "Scoring…";
}

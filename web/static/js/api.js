// Headers every call to the JSON API carries: the session cookie goes by itself; the
// session's CSRF token (from the page's meta tag) must be sent on every unsafe request.
export function apiHeaders() {
  const csrf = document.querySelector('meta[name="csrf-token"]');
  return csrf ? { "X-CSRF-Token": csrf.content } : {};
}

// Poll an attempt until it is done or failed; onUpdate sees every status.
export async function pollAttempt(url, onUpdate, intervalMs = 1000) {
  for (;;) {
    const response = await fetch(url, { headers: apiHeaders(), credentials: "same-origin" });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ? body.error.message : `HTTP ${response.status}`);
    onUpdate(body);
    if (body.status === "done" || body.status === "failed") return body;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

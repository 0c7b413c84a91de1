// Headers every call to the JSON API carries: who is asking (read from the page's meta tags).
export function apiHeaders() {
  const headers = {};
  const csrf = document.querySelector('meta[name="csrf-token"]');
  if (csrf) headers["X-CSRF-Token"] = csrf.content;
  const learner = document.querySelector('meta[name="recital-learner"]');
  if (learner) headers["X-Learner-Id"] = learner.content;
  return headers;
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

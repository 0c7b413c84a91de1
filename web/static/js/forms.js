// A form is sent once. A double click or an impatient second tap while the first
// request is on its way would add the piece twice, or find the attempt already
// deleted and show "not found". After a while the form may be sent again (a request
// lost on a bad connection), and a page shown again from the back button is reset.
const RESEND_AFTER_MS = 10000;

for (const form of document.querySelectorAll('form[method="post"]')) {
  form.addEventListener("submit", (event) => {
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "true";
    setTimeout(() => delete form.dataset.sending, RESEND_AFTER_MS);
  });
}

// A page answering a form that must not be sent twice (making a token) names the address
// it stands for: a reload then opens that, rather than sending the form again.
const address = document.querySelector("[data-address]");
if (address) history.replaceState(history.state, "", address.dataset.address);

window.addEventListener("pageshow", (event) => {
  if (!event.persisted) return;
  for (const form of document.querySelectorAll("form[data-sending]")) delete form.dataset.sending;
});

// What a learner typed into a piece's form survives a trip through signing in: a form
// sent after the session ended (signed out in another tab) goes to sign in and back,
// and one sent after signing in anew elsewhere is refused; either way the text was
// gone. It is kept in this tab only (sessionStorage), for the same learner, for an
// hour, and put back when the same form is shown again, with a note to send it again.
const DRAFT = "recital-draft";
const DRAFT_MS = 3600 * 1000;
const learner = document.querySelector('meta[name="learner"]')?.content || "";
const fields = (form) => [...form.elements].filter((el) => el.name && (el.tagName === "TEXTAREA" || el.type === "text"
  || el.tagName === "SELECT") && !el.readOnly);

for (const form of document.querySelectorAll("form[data-keep-draft]")) {
  form.addEventListener("submit", () => {
    const values = Object.fromEntries(fields(form).map((el) => [el.name, el.value]));
    const draft = { action: form.getAttribute("action"), learner, at: Date.now(), values };
    sessionStorage.setItem(DRAFT, JSON.stringify(draft));
  });
}

function restoreDraft() {
  const draft = JSON.parse(sessionStorage.getItem(DRAFT) || "null");
  if (!draft) return;
  const form = [...document.querySelectorAll("form[data-keep-draft]")].find((f) => f.getAttribute("action") === draft.action);
  const onTheWay = !learner || document.querySelector("[data-error]");  // signing in, or the refusal's page
  const stale = Date.now() - draft.at > DRAFT_MS || (learner && draft.learner !== learner);
  if (stale || !(form || onTheWay)) {  // too old, someone else's, or sent and saved
    sessionStorage.removeItem(DRAFT);
    return;
  }
  if (!form) return;
  sessionStorage.removeItem(DRAFT);
  let restored = false;
  for (const el of fields(form)) {
    if (el.name in draft.values && el.value !== draft.values[el.name]) {
      el.value = draft.values[el.name];
      restored = true;
    }
  }
  if (!restored) return;  // the page already shows it (a refusal that kept the text)
  const note = document.createElement("p");
  note.className = "note";
  note.setAttribute("role", "status");
  note.textContent = "What you typed is back in the form. Check it and send it again.";
  form.before(note);
}

// Signing out in this tab is leaving the computer to the next person: nothing kept.
for (const form of document.querySelectorAll('form[action="/sign-out"]')) {
  form.addEventListener("submit", () => sessionStorage.removeItem(DRAFT));
}

restoreDraft();

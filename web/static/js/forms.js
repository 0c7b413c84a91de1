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

window.addEventListener("pageshow", (event) => {
  if (!event.persisted) return;
  for (const form of document.querySelectorAll("form[data-sending]")) delete form.dataset.sending;
});

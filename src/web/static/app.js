// Progressive enhancement only: every page works without this file (CSP: script-src 'self').
// Texts come from the page (data-* attributes rendered from the catalogs), never from here.

/**
 * Copy buttons: <button data-copy="ID" data-copied="…" hidden>. A list copies its <code> items one a
 * line (backup codes); any other element its text, without spaces when data-copy-compact is set
 * (the TOTP key, shown in groups of four). Shown only where the clipboard can be written.
 */
function setUpCopyButtons() {
  for (const btn of document.querySelectorAll('button[data-copy]')) {
    const target = document.getElementById(btn.getAttribute('data-copy'));
    if (!target || !navigator.clipboard) continue;
    btn.hidden = false;
    const label = btn.textContent;
    let timer = 0;
    btn.addEventListener('click', async () => {
      const codes = target.matches('code') ? [] : [...target.querySelectorAll('code')];
      let text = codes.length ? codes.map((c) => c.textContent.trim()).join('\n') : target.textContent.trim();
      if (btn.hasAttribute('data-copy-compact')) text = text.replace(/\s+/g, '');
      try {
        await navigator.clipboard.writeText(text);
      } catch {
        return;   // refused (no permission): the text is still on the page to select by hand
      }
      // The new label is the confirmation; a screen reader hears it as the button's name changes.
      btn.textContent = btn.getAttribute('data-copied') || label;
      clearTimeout(timer);
      timer = setTimeout(() => { btn.textContent = label; }, 2000);
    });
  }
}

/**
 * A form that posts marks its submit button busy until the next page comes (aria-disabled, the
 * data-busy text of the button or else of the form), and a second submit of the same form is ignored meanwhile. The server
 * refuses a repeated step anyway; this spares the person the second request. The button is not made
 * `disabled` during submit: a disabled button's name and value would drop out of the form data.
 */
const busyForms = new Set();

function markBusy(form, button) {
  form.dataset.sending = 'true';
  busyForms.add(form);
  if (!button) return;
  button.setAttribute('aria-disabled', 'true');
  const busyText = button.getAttribute('data-busy') || form.getAttribute('data-busy');
  if (busyText && !button.hasAttribute('data-label')) {
    button.setAttribute('data-label', button.textContent);
    button.textContent = busyText;
  }
}

function clearBusy() {
  for (const form of busyForms) {
    delete form.dataset.sending;
    for (const b of form.querySelectorAll('[aria-disabled="true"]')) {
      b.removeAttribute('aria-disabled');
      const label = b.getAttribute('data-label');
      if (label !== null) {
        b.textContent = label;
        b.removeAttribute('data-label');
      }
    }
  }
  busyForms.clear();
}

function setUpBusySubmit() {
  document.addEventListener('submit', (e) => {
    const form = e.target;
    // Attributes, not properties: a field named "method" or "target" shadows form.method / form.target.
    if (!(form instanceof HTMLFormElement) || (form.getAttribute('method') || '').toLowerCase() !== 'post') return;
    // Not for a form whose answer is a file or another window: no new page would clear it.
    if (form.getAttribute('target') === '_blank' || form.hasAttribute('data-no-busy')) return;
    if (form.dataset.sending === 'true') {
      e.preventDefault();
      return;
    }
    if (e.defaultPrevented) return;
    const button = e.submitter && e.submitter.form === form ? e.submitter : form.querySelector('button[type="submit"], button:not([type])');
    markBusy(form, button);
  });
  // Back/forward restores the page from the cache as it was left: busy. Make it usable again.
  window.addEventListener('pageshow', (e) => { if (e.persisted) clearBusy(); });
}

document.addEventListener('DOMContentLoaded', setUpCopyButtons);
setUpBusySubmit();

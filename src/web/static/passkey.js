// Issue 23: passkeys in the browser, through @simplewebauthn/browser (served from /static/vendor/,
// CSP script-src 'self'). Progressive enhancement: the passkey forms are `hidden` until this module
// finds WebAuthn; each form carries its options (data-options, JSON from the server, with the flow's
// challenge) and posts the browser's answer in its hidden `credential` field like any other form.
//   <form data-passkey="get|create" data-options="…"> … <input type="hidden" name="credential"> … </form>
//   data-passkey-conditional on a "get" form: also offer the passkeys in the login ID field's autofill.
import {
  browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, startAuthentication, startRegistration,
} from '/static/vendor/simplewebauthn/index.js';

function showError(form, text) {
  const box = form.querySelector('[data-passkey-error]');
  if (box) { box.textContent = text; box.hidden = false; }
}

async function answer(form, conditional) {
  const optionsJSON = JSON.parse(form.dataset.options);
  const field = form.querySelector('input[name="credential"]');
  const result = form.dataset.passkey === 'create'
    ? await startRegistration({ optionsJSON })
    : await startAuthentication({ optionsJSON, useBrowserAutofill: conditional });
  field.value = JSON.stringify(result);
  form.submit();
}

function setUp() {
  if (!browserSupportsWebAuthn()) return;
  for (const box of document.querySelectorAll('[data-passkey-box]')) box.hidden = false;
  for (const form of document.querySelectorAll('form[data-passkey]')) {
    form.addEventListener('submit', (e) => {
      const field = form.querySelector('input[name="credential"]');
      if (field.value) return;
      e.preventDefault();
      answer(form, false).catch((err) => showError(form, form.dataset.failed || String(err && err.message || err)));
    });
    if (form.hasAttribute('data-passkey-conditional')) {
      browserSupportsWebAuthnAutofill().then((yes) => {
        // A conditional request waits quietly until the person picks a passkey in the autofill list.
        if (yes) answer(form, true).catch(() => {});
      });
    }
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setUp);
else setUp();

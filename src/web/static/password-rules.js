// The password page's live checklist and show-password toggle (issue 20 item 6). Progressive
// enhancement: without this module the rules are plain text and the server checks them on save, as
// it still does with it. The checks mirror src/auth/password/policy.ts (checkPassword) over the
// policy the server rendered into data-policy; the common-password rule stays on the server.

/** NFKC + lower case: how the server compares context words (the password itself is never folded). */
const fold = (s) => s.normalize('NFKC').toLowerCase();
const withoutSpaces = (s) => s.replace(/\s+/gu, '');
const codePoints = (s) => [...s].length;
const ASCII_ALNUM = /^[A-Za-z0-9]$/;
const NOT_PRINTABLE = /^[\p{Cc}\p{Cs}]$/u;

function allowedChar(policy, ch) {
  if (NOT_PRINTABLE.test(ch)) return false;
  if (policy.symbols === null) return true;
  return ASCII_ALNUM.test(ch) || policy.symbols.includes(ch);
}

const containsAny = (haystack, words) => words.some((w) => w.length > 0 && haystack.includes(w));

/** Whether the typed password meets each live rule (true = met), as checkPassword decides. */
function check(policy, pw) {
  const folded = fold(pw);
  const words = policy.words;
  return {
    too_short: codePoints(pw) >= policy.min,
    too_long: codePoints(pw) <= policy.max,
    need_digit: !policy.digit || /\p{Nd}/u.test(pw),
    need_upper: !policy.upper || /\p{Lu}/u.test(pw),
    need_lower: !policy.lower || /\p{Ll}/u.test(pw),
    bad_character: [...pw].every((ch) => allowedChar(policy, ch)),
    contains_login_id: !containsAny(folded, words.contains_login_id),
    contains_email: !containsAny(folded, words.contains_email),
    contains_name: !containsAny(folded, words.contains_name),
    contains_product: !containsAny(withoutSpaces(folded), words.contains_product),
  };
}

function setUpChecklist() {
  const list = document.getElementById('password-rules');
  const input = list && document.getElementById(list.dataset.for);
  if (!list || !input) return;
  let policy;
  try {
    policy = JSON.parse(list.dataset.policy);
  } catch {
    return;
  }
  const summary = document.getElementById('rules-summary');
  const items = [...list.querySelectorAll('li[data-rule]')];
  const live = items.filter((li) => li.dataset.live === 'true');
  list.classList.add('live');
  for (const li of items) {
    if (li.dataset.live !== 'true') li.querySelector('.rule-state').textContent = `(${list.dataset.onSave})`;
  }

  let lastSaid = '';
  let timer = 0;
  function update() {
    const met = check(policy, input.value);
    let count = 0;
    for (const li of live) {
      const ok = met[li.dataset.rule] === true && input.value.length > 0;
      if (ok) count++;
      li.classList.toggle('met', ok);
      li.classList.toggle('unmet', !ok);
      // In words too, for a screen reader reading the list (not announced while typing).
      li.querySelector('.rule-state').textContent = `(${ok ? list.dataset.met : list.dataset.unmet})`;
    }
    // The polite summary only once typing pauses, and only when it says something new.
    clearTimeout(timer);
    if (!summary) return;
    timer = setTimeout(() => {
      const text = input.value.length === 0 ? ''
        : count === live.length ? list.dataset.allMet
          : list.dataset.summary.replace('{met}', String(count)).replace('{total}', String(live.length));
      if (text !== lastSaid) {
        summary.textContent = text;
        lastSaid = text;
      }
    }, 800);
  }
  input.addEventListener('input', update);
  update();
}

/** <button data-toggle-password="id id…" aria-pressed hidden>: shows the fields' text while pressed. */
function setUpToggle() {
  for (const btn of document.querySelectorAll('button[data-toggle-password]')) {
    const fields = btn.dataset.togglePassword.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean);
    if (!fields.length) continue;
    btn.hidden = false;
    btn.addEventListener('click', () => {
      const show = btn.getAttribute('aria-pressed') !== 'true';
      btn.setAttribute('aria-pressed', String(show));
      for (const f of fields) f.type = show ? 'text' : 'password';
    });
    // Never send or leave a password as visible text: hidden again before the form goes.
    btn.form?.addEventListener('submit', () => {
      btn.setAttribute('aria-pressed', 'false');
      for (const f of fields) f.type = 'password';
    });
  }
}

setUpChecklist();
setUpToggle();

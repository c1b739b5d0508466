// Progressive enhancement only: every page works without this file (CSP: script-src 'self').
document.addEventListener('DOMContentLoaded', () => {
  for (const btn of document.querySelectorAll('button[data-copy]')) {
    const list = document.getElementById(btn.getAttribute('data-copy'));
    if (!list || !navigator.clipboard) continue;
    btn.hidden = false;
    btn.addEventListener('click', async () => {
      const text = [...list.querySelectorAll('code')].map((c) => c.textContent).join('\n');
      await navigator.clipboard.writeText(text);
      const label = btn.textContent;
      btn.textContent = btn.getAttribute('data-copied') || label;
      setTimeout(() => { btn.textContent = label; }, 2000);
    });
  }
});

// The matrix password's registration grid (issue 22, seed 001). Progressive enhancement: without
// this module the cells are plain text and the person types the cell names into the field; with it
// each cell is a button, its click order is shown in it, and the field is filled from the clicks.
// «The same box can be clicked multiple times, in which case the order of the last click is
// displayed»: a cell clicked again leaves its earlier place and takes the last one (the server,
// src/auth/matrix/grid.ts positionsFromClicks, reads the field by the same rule).

function setUp() {
  const picker = document.getElementById('matrix-picker');
  const input = picker && document.getElementById(picker.dataset.for);
  if (!picker || !input) return;
  const count = document.getElementById('matrix-count');
  const cells = new Map();
  let order = [];

  const render = () => {
    for (const [name, button] of cells) {
      const at = order.indexOf(name);
      button.querySelector('.order').textContent = at >= 0 ? String(at + 1) : '';
      button.setAttribute('aria-pressed', at >= 0 ? 'true' : 'false');
    }
    input.value = order.join(', ');
    if (count) {
      count.textContent = picker.dataset.chosen
        .replace('{count}', String(order.length)).replace('{min}', picker.dataset.min).replace('{max}', picker.dataset.max);
    }
  };

  /** The field's names, read with the re-click rule; names not in the grid are left to the server. */
  const fromField = () => {
    const next = [];
    for (const raw of input.value.normalize('NFKC').toUpperCase().split(/[\s,、;]+/)) {
      if (!cells.has(raw)) continue;
      const at = next.indexOf(raw);
      if (at >= 0) next.splice(at, 1);
      next.push(raw);
    }
    return next;
  };

  for (const td of picker.querySelectorAll('td[data-cell]')) {
    const name = td.dataset.cell;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'matrix-cell';
    const label = document.createElement('span');
    label.className = 'sr';
    label.textContent = `${name} `;
    const digit = document.createElement('span');
    digit.className = 'digit';
    digit.textContent = td.textContent;
    const mark = document.createElement('span');
    mark.className = 'order';
    button.append(label, digit, mark);
    button.addEventListener('click', () => {
      order = order.filter((n) => n !== name);
      order.push(name);
      render();
    });
    td.textContent = '';
    td.append(button);
    cells.set(name, button);
  }

  const clear = document.createElement('button');
  clear.type = 'button';
  clear.className = 'matrix-clear';
  clear.textContent = picker.dataset.clear;
  clear.addEventListener('click', () => { order = []; render(); });
  picker.append(clear);

  input.addEventListener('change', () => { order = fromField(); render(); });
  order = fromField();
  render();
}

setUp();

// A side-by-side line diff of two tool definitions: canonical JSON (sorted keys, two-space
// indent) compared line by line with a longest-common-subsequence table. Tool definitions are
// small (tens of lines), so the quadratic table is fine.
import { h } from './dom.js';

export function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical(value[key])]));
  }
  return value;
}

/** Lines of `a` and `b` paired: [{left, right, kind: 'same' | 'changed' | 'removed' | 'added'}]. */
export function pairLines(a, b) {
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const rows = [];
  let i = 0;
  let j = 0;
  const removed = [];
  const added = [];
  const flush = () => {
    // a run of removals beside a run of additions reads best side by side, as changed lines
    while (removed.length || added.length) {
      const left = removed.shift();
      const right = added.shift();
      rows.push({ left, right, kind: left !== undefined && right !== undefined ? 'changed' : left !== undefined ? 'removed' : 'added' });
    }
  };
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      flush();
      rows.push({ left: a[i], right: b[j], kind: 'same' });
      i += 1;
      j += 1;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      added.push(b[j]);
      j += 1;
    } else {
      removed.push(a[i]);
      i += 1;
    }
  }
  flush();
  return rows;
}

const SIGN = { same: ' ', changed: '~', removed: '−', added: '+' };
const WORDS = { same: '', changed: 'changed: ', removed: 'removed: ', added: 'added: ' };

/** The diff as a table: accepted definition on the left, the held (current) one on the right. */
export function sideBySide(accepted, current, caption) {
  const left = JSON.stringify(canonical(accepted), null, 2).split('\n');
  const right = JSON.stringify(canonical(current), null, 2).split('\n');
  const rows = pairLines(left, right);
  const cell = (text, kind, side) => {
    const shown = text === undefined ? '' : text;
    const changed = kind !== 'same' && text !== undefined;
    const label = side === 'left' ? (kind === 'added' ? '' : WORDS[kind === 'changed' ? 'changed' : 'removed']) : (kind === 'removed' ? '' : WORDS[kind === 'changed' ? 'changed' : 'added']);
    return h('td', { class: changed ? `diff-${side === 'left' ? 'old' : 'new'}` : 'diff-same' },
      changed ? h('span', { class: 'visually-hidden' }, label) : null,
      h('span', { class: 'sign', 'aria-hidden': 'true' }, changed ? SIGN[kind === 'changed' ? 'changed' : side === 'left' ? 'removed' : 'added'] : ' '),
      h('code', {}, shown));
  };
  return h('table', { class: 'diff' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Accepted definition'), h('th', { scope: 'col' }, 'Changed definition (held back)'))),
    h('tbody', {}, rows.map((row) => h('tr', { class: `diff-${row.kind}` }, cell(row.left, row.kind, 'left'), cell(row.right, row.kind, 'right')))));
}

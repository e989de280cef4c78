// Building the page without innerHTML: every text from the API goes in as a text node, so nothing
// it contains is ever parsed as markup (and the Content-Security-Policy forbids inline script anyway).

/** h('p', {class: 'x', onclick: fn}, 'text', child...) → an element. Attributes with null/false are left out. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `element`. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** Announces `text` to screen readers (the polite live region). */
export function announce(text) {
  const status = document.getElementById('status');
  status.textContent = '';
  // a new text node after the clear, so the same message twice is read twice
  requestAnimationFrame(() => { status.textContent = text; });
}

/** "3 minutes ago" beside an exact UTC time, for timestamps the API gives in RFC 3339. */
export function when(iso) {
  if (!iso) return h('span', { class: 'muted' }, 'never');
  const at = new Date(iso);
  const seconds = Math.round((Date.now() - at.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  let relative;
  if (Math.abs(seconds) < 60) relative = format.format(-seconds, 'second');
  else if (Math.abs(seconds) < 3600) relative = format.format(-Math.round(seconds / 60), 'minute');
  else if (Math.abs(seconds) < 86400) relative = format.format(-Math.round(seconds / 3600), 'hour');
  else relative = format.format(-Math.round(seconds / 86400), 'day');
  return h('time', { datetime: iso, title: at.toISOString() }, relative);
}

let unique = 0;
/** A fresh id for label/aria wiring. */
export function uid(prefix) {
  unique += 1;
  return `${prefix}-${unique}`;
}

/** A labelled field: {label, input, hint?, pointer?} → a wrapper with the label, the input, a hint and an error slot. */
export function field({ label, input, hint, pointer }) {
  const id = input.id || uid('f');
  input.id = id;
  const described = [];
  const hintNode = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintNode) described.push(hintNode.id);
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  described.push(error.id);
  input.setAttribute('aria-describedby', described.join(' '));
  if (pointer) input.dataset.pointer = pointer;
  const wrapper = h('div', { class: 'field' }, h('label', { for: id }, label), input, hintNode, error);
  return wrapper;
}

// The API's validation errors shown beside the fields they name: each error's source.pointer
// (e.g. /updated_tools/2/alias) finds the input whose data-pointer is that pointer (or the
// nearest one above it); errors that name no field on the page go to the form's own list.
import { h, replace, announce } from './dom.js';
import { explain } from './api.js';

export function clearErrors(form, problems) {
  for (const slot of form.querySelectorAll('.field-error')) {
    slot.hidden = true;
    slot.textContent = '';
  }
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  replace(problems);
}

export function showErrors(form, answer, notices) {
  const problems = form.problems;
  clearErrors(form, problems);
  const { lead, messages } = explain(answer);
  const unplaced = [];
  let first = null;
  for (const error of answer.body.errors) {
    const input = error.source?.pointer ? find(form, error.source.pointer) : null;
    if (!input) {
      unplaced.push(error.message);
      continue;
    }
    const slot = document.getElementById(`${input.id}-error`);
    slot.hidden = false;
    slot.textContent = slot.textContent ? `${slot.textContent} ${error.message}` : error.message;
    input.setAttribute('aria-invalid', 'true');
    first = first || input;
  }
  const placed = answer.body.errors.length - unplaced.length;
  replace(problems, h('div', { class: 'alert error', role: 'alert' },
    h('p', {}, lead, placed ? ` ${placed === 1 ? 'One field needs' : `${placed} fields need`} attention (shown beside ${placed === 1 ? 'it' : 'them'}).` : ''),
    unplaced.length ? h('ul', {}, unplaced.map((m) => h('li', {}, m))) : null));
  if (notices) replace(notices);
  announce(`${lead} ${messages.join(' ')}`);
  if (first) first.focus();
}

function find(form, pointer) {
  let path = pointer;
  while (path) {
    const input = form.querySelector(`[data-pointer="${CSS.escape(path)}"]`);
    if (input) return input;
    path = path.slice(0, path.lastIndexOf('/'));
  }
  return null;
}

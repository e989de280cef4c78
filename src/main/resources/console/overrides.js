// A server's overrides as an editable table: one row per synced tool (or prompt) with its alias,
// the description agents see, and whether it is enabled; overrides that name an item the server
// no longer has are kept as rows too (the API keeps them). collect() builds updated_tools /
// updated_prompts from the rows that override something, and points each row's inputs at its
// index in that list, so the API's errors (/updated_tools/2/alias) land beside the right input.
import { h, uid } from './dom.js';

export function overridesTable(kind, title, synced, overrides, held) {
  const singular = kind === 'tools' ? 'tool' : 'prompt';
  const byName = new Map(overrides.map((o) => [o.name, o]));
  const heldNames = new Set(held.map((t) => t.name));
  const names = synced.map((item) => item.name);
  for (const o of overrides) if (!names.includes(o.name)) names.push(o.name);
  const upstream = new Map(synced.map((item) => [item.name, item]));
  const rows = names.map((name) => row(name, upstream.get(name), byName.get(name), heldNames.has(name), singular));
  const headingId = uid('h');
  const element = h('section', { class: 'overrides', 'aria-labelledby': headingId, id: `overrides-${kind}` },
    h('h3', { id: headingId }, title),
    rows.length === 0 ? h('p', { class: 'muted' }, `No ${kind} synced yet: sync the server to list them.`)
      : h('table', { class: 'list overrides-table' },
        h('caption', { class: 'visually-hidden' }, `${title}: aliases, descriptions and which are enabled`),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, `Upstream ${singular}`),
          h('th', { scope: 'col' }, 'Alias (name agents see)'),
          h('th', { scope: 'col' }, 'Description agents see'),
          h('th', { scope: 'col' }, 'Enabled'))),
        h('tbody', {}, rows.map((r) => r.element))));
  return {
    element,
    collect(prefix) {
      const list = [];
      for (const r of rows) {
        r.unpoint();
        const override = r.value();
        if (override === null) continue;
        r.point(`${prefix}/${list.length}`);
        list.push(override);
      }
      return list;
    },
  };
}

function row(name, item, override, held, singular) {
  const o = override || {};
  const aliasId = uid('alias');
  const descriptionId = uid('desc');
  const enabledId = uid('enabled');
  const alias = h('input', { type: 'text', id: aliasId, name: `alias-${name}`, autocomplete: 'off', spellcheck: 'false', maxlength: 40,
    'aria-describedby': `${aliasId}-error`, dataset: { role: 'alias' } });
  alias.value = o.alias || '';
  const description = h('input', { type: 'text', id: descriptionId, name: `description-${name}`, autocomplete: 'off',
    placeholder: item?.description ? 'as upstream' : '', 'aria-describedby': `${descriptionId}-error`, dataset: { role: 'description' } });
  description.value = o.description || '';
  const enabled = h('input', { type: 'checkbox', id: enabledId, name: `enabled-${name}`, checked: o.enabled !== false,
    'aria-describedby': `${enabledId}-error`, dataset: { role: 'enabled' } });
  const nameAnchor = h('span', { id: uid('name'), tabindex: '-1' });
  const error = (id) => h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const element = h('tr', { dataset: { name } },
    h('th', { scope: 'row' },
      h('code', {}, name), nameAnchor, h('p', { class: 'field-error', id: `${nameAnchor.id}-error`, hidden: true }),
      held ? h('span', { class: 'badge held' }, 'changed, held back') : null,
      item ? (item.description ? h('div', { class: 'small muted' }, truncate(item.description)) : null)
        : h('div', { class: 'small' }, `Not on the server now: the override is kept but applies to nothing.`)),
    h('td', {}, h('label', { for: aliasId, class: 'visually-hidden' }, `Alias for ${singular} ${name}`), alias, error(aliasId)),
    h('td', {}, h('label', { for: descriptionId, class: 'visually-hidden' }, `Description agents see for ${singular} ${name}`), description, error(descriptionId)),
    h('td', { class: 'center' }, h('label', { for: enabledId, class: 'visually-hidden' }, `${singular} ${name} enabled`), enabled, error(enabledId)));
  const inputs = [[alias, 'alias'], [description, 'description'], [enabled, 'enabled']];
  return {
    element,
    value() {
      const result = { name };
      if (alias.value.trim() !== '') result.alias = alias.value.trim();
      if (description.value !== '') result.description = description.value;
      if (!enabled.checked) result.enabled = false;
      // an override that changes nothing is left out (the same as none); one that existed stays if it still says something
      return Object.keys(result).length === 1 ? null : result;
    },
    point(pointer) {
      for (const [input, key] of inputs) input.dataset.pointer = `${pointer}/${key}`;
      nameAnchor.dataset.pointer = pointer;
    },
    unpoint() {
      for (const [input] of inputs) delete input.dataset.pointer;
      delete nameAnchor.dataset.pointer;
    },
  };
}

function truncate(text) {
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

// Forms: labelled fields, problem details shown next to the fields they name, and the
// attribute/preference fields generated from a market's schema.
import { h, mount, icon, humanize } from './dom.js';
import { allowedValues, label, valueLabel } from './markets.js';
import { placePicker } from './place.js';

let nextId = 0;
const uid = (stem) => `${stem}-${++nextId}`;

/**
 * A labelled field around one control, or (with `legend`) a fieldset around several. `errorKey`
 * is the JSON path the API names in its per-field errors (e.g. "attributes.age").
 */
export function field({ label: text, control, controls, legend = false, errorKey, testid, hint, className = '' }) {
  const errorId = uid('error');
  const hintId = hint ? uid('hint') : null;
  const described = [hintId, errorId].filter(Boolean).join(' ');
  const inner = controls ?? [control];
  // The hint and the error are read out with the control (or each control of a group).
  for (const part of inner) {
    const inputs = part.matches('input, select, textarea') ? [part] : part.querySelectorAll('input, select, textarea');
    inputs.forEach((input) => input.setAttribute('aria-describedby', described));
  }
  if (!legend) control.id ||= uid('field');
  const parts = [
    legend ? h('legend', {}, text) : h('label', { for: control.id }, text),
    hint ? h('p', { class: 'field-hint', id: hintId }, hint) : null,
    ...inner,
    h('p', { class: 'field-error', id: errorId, hidden: true }),
  ];
  return h(legend ? 'fieldset' : 'div', { class: `field ${className}`, testid, dataset: errorKey ? { errorFor: errorKey } : {} }, parts);
}

/** The alert that carries a form's overall problem (and any error no field claims). */
export function formError() {
  return h('div', { class: 'form-error', testid: 'form-error', role: 'alert', tabindex: '-1', hidden: true });
}

/** Shows an ApiError on a form: each per-field error beside its field, the rest in the alert. */
export function showProblem(form, error) {
  clearProblem(form);
  const leftover = [];
  for (const [key, messages] of Object.entries(error.errors ?? {})) {
    const wrapper = findWrapper(form, key);
    const text = messages.join(' ');
    if (!wrapper) {
      leftover.push(`${humanize(key.split('.').pop())}: ${text}`);
      continue;
    }
    const slot = wrapper.querySelector('.field-error');
    slot.textContent = text;
    slot.hidden = false;
    wrapper.classList.add('invalid');
    wrapper.querySelectorAll('input, select, textarea').forEach((c) => c.setAttribute('aria-invalid', 'true'));
  }
  const alert = form.querySelector('[data-testid="form-error"]');
  const fieldCount = Object.keys(error.errors ?? {}).length - leftover.length;
  const summary = fieldCount > 0 ? 'Please check the highlighted fields.' : error.message;
  mount(alert, h('p', {}, summary), leftover.length ? h('ul', {}, leftover.map((t) => h('li', {}, t))) : null);
  alert.hidden = false;
  // Centred, so that a sticky save button does not cover the field it points at.
  const first = form.querySelector('.field.invalid input, .field.invalid select, .field.invalid textarea') ?? alert;
  first.scrollIntoView({ block: 'center' });
  first.focus({ preventScroll: true });
}

function findWrapper(form, key) {
  // "attributes.hourlyRateRange.min" belongs to the field "attributes.hourlyRateRange".
  for (let path = key; path; path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '') {
    const wrapper = form.querySelector(`[data-error-for="${CSS.escape(path)}"]`);
    if (wrapper) return wrapper;
  }
  return null;
}

export function clearProblem(form) {
  form.querySelectorAll('.field.invalid').forEach((w) => w.classList.remove('invalid'));
  form.querySelectorAll('.field-error').forEach((e) => { e.hidden = true; e.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((c) => c.removeAttribute('aria-invalid'));
  const alert = form.querySelector('[data-testid="form-error"]');
  if (alert) { alert.hidden = true; alert.replaceChildren(); }
}

/** Disables a form's submit button while `work` runs, so nothing is sent twice. */
export async function busy(form, work) {
  const buttons = form.querySelectorAll('button[type="submit"]');
  buttons.forEach((b) => { b.disabled = true; b.setAttribute('aria-busy', 'true'); });
  try {
    return await work();
  } finally {
    buttons.forEach((b) => { b.disabled = false; b.removeAttribute('aria-busy'); });
  }
}

/**
 * The fields of one schema group ("attributes" or "preferences"), prefilled with `values`.
 * `read()` returns the filled values shaped as the API wants them; with `nulls`, emptied
 * fields come back as null (PATCH removes them).
 */
export function schemaFields(market, fields, group, values = {}, onChange = () => {}) {
  const controls = fields.map((definition) => {
    const control = (builders[definition.type] ?? builders.text)(market, definition, values[definition.name], onChange);
    const wrapper = field({
      label: label(definition) + (definition.required ? ' *' : ''),
      legend: control.legend,
      control: control.element,
      controls: control.elements,
      hint: control.hint ?? definition.description,
      errorKey: `${group}.${definition.name}`,
      testid: `field-${group}-${definition.name}`,
      className: `field-${definition.type}`,
    });
    wrapper.addEventListener('input', onChange);
    wrapper.addEventListener('change', onChange);
    return { definition, wrapper, read: control.read };
  });
  return {
    elements: controls.map((c) => c.wrapper),
    read({ nulls = false } = {}) {
      const result = {};
      for (const { definition, read } of controls) {
        const value = read();
        if (value !== undefined) result[definition.name] = value;
        else if (nulls) result[definition.name] = null;
      }
      return result;
    },
    /** How many fields hold a value, counted as the server counts completeness. */
    filled() {
      return controls.filter(({ read }) => {
        const value = read();
        return value !== undefined && !(Array.isArray(value) && value.length === 0);
      }).length;
    },
    count: controls.length,
  };
}

const optionText = (value, market) => valueLabel(market, value);

function numberInput(definition, value, integer) {
  return h('input', {
    type: 'number',
    inputmode: integer ? 'numeric' : 'decimal',
    step: integer ? '1' : 'any',
    min: definition.min ?? null,
    max: definition.max ?? null,
    value: value ?? '',
  });
}

function readNumber(input) {
  return input.value.trim() === '' || Number.isNaN(input.valueAsNumber) ? undefined : input.valueAsNumber;
}

function bounds(definition) {
  const { min, max } = definition;
  if (min !== undefined && min !== null && max !== undefined && max !== null) return `${min} to ${max}`;
  if (min !== undefined && min !== null) return `At least ${min}`;
  if (max !== undefined && max !== null) return `At most ${max}`;
  return undefined;
}

const builders = {
  text(market, definition, value) {
    const element = h('textarea', { rows: 3, maxLength: definition.maxLength ?? 2000, value: value ?? '' });
    return { element, read: () => element.value.trim() || undefined };
  },

  url(market, definition, value) {
    const element = h('input', { type: 'url', inputmode: 'url', placeholder: 'https://', value: value ?? '' });
    return { element, read: () => element.value.trim() || undefined };
  },

  category(market, definition, value) {
    const element = h('select', { value: value ?? '' },
      h('option', { value: '' }, definition.required ? 'Choose…' : '—'),
      allowedValues(market, definition).map((v) => h('option', { value: v }, optionText(v, market))));
    return { element, read: () => element.value || undefined };
  },

  categories(market, definition, value) {
    const chosen = new Set(value ?? []);
    const max = definition.maxItems;
    const boxes = allowedValues(market, definition).map((v) =>
      h('input', { type: 'checkbox', value: v, checked: chosen.has(v) }));
    const limit = () => {
      const full = max && boxes.filter((b) => b.checked).length >= max;
      boxes.forEach((b) => { b.disabled = full && !b.checked; });
    };
    const group = h('div', { class: 'chips', onchange: limit },
      boxes.map((box) => h('label', { class: 'chip' }, box, h('span', {}, optionText(box.value, market)))));
    limit();
    return {
      legend: true,
      element: group,
      hint: max ? `Up to ${max}.` : undefined,
      read: () => boxes.filter((b) => b.checked).map((b) => b.value),
    };
  },

  rankedCategories(market, definition, value, onChange) {
    const options = allowedValues(market, definition);
    let order = (value ?? []).filter((v) => options.includes(v));
    const max = definition.maxItems;
    const boxes = new Map();
    const ranking = h('ol', { class: 'ranking', 'aria-label': `${label(definition)}: your order` });

    const move = (v, by) => {
      const from = order.indexOf(v);
      const to = from + by;
      if (to < 0 || to >= order.length) return;
      order.splice(from, 1);
      order.splice(to, 0, v);
      draw();
      onChange();
      ranking.querySelector(`[data-value="${CSS.escape(v)}"] [data-move="${by}"]`)?.focus();
    };

    const draw = () => {
      for (const [v, box] of boxes) {
        const rank = order.indexOf(v);
        box.checked = rank >= 0;
        box.disabled = !box.checked && Boolean(max) && order.length >= max;
        const badge = box.parentElement.querySelector('.rank');
        badge.textContent = rank >= 0 ? String(rank + 1) : '';
        badge.hidden = rank < 0;
      }
      ranking.replaceChildren(...order.map((v, i) => h('li', { dataset: { value: v } },
        h('span', { class: 'rank' }, String(i + 1)),
        h('span', { class: 'ranking-name' }, optionText(v, market)),
        h('button', { type: 'button', class: 'icon-button small', 'aria-label': `Move ${v} up`, disabled: i === 0, dataset: { move: '-1' }, onclick: () => move(v, -1) }, icon('up')),
        h('button', { type: 'button', class: 'icon-button small', 'aria-label': `Move ${v} down`, disabled: i === order.length - 1, dataset: { move: '1' }, onclick: () => move(v, 1) }, icon('down')))));
      ranking.hidden = order.length === 0;
    };

    const chips = h('div', { class: 'chips ranked' }, options.map((v) => {
      const box = h('input', {
        type: 'checkbox',
        value: v,
        onchange: () => {
          order = box.checked ? [...order, v] : order.filter((o) => o !== v);
          draw();
        },
      });
      boxes.set(v, box);
      return h('label', { class: 'chip' }, box, h('span', {}, optionText(v, market)), h('span', { class: 'rank', 'aria-hidden': 'true' }));
    }));
    draw();
    return {
      legend: true,
      elements: [chips, ranking],
      hint: `Tick in order of preference: the first you tick ranks first.${max ? ` Up to ${max}.` : ''}`,
      read: () => [...order],
    };
  },

  ratings(market, definition, value) {
    const inputs = allowedValues(market, definition).map((v) => [v, numberInput(definition, value?.[v], false)]);
    const element = h('div', { class: 'ratings' },
      inputs.map(([v, input]) => h('label', {}, h('span', {}, optionText(v, market)), input)));
    return {
      legend: true,
      element,
      hint: `Rate what you care about${bounds(definition) ? ` (${bounds(definition).toLowerCase()})` : ''}; leave the rest empty.`,
      read: () => {
        const rated = Object.fromEntries(inputs.map(([v, input]) => [v, readNumber(input)]).filter(([, n]) => n !== undefined));
        return Object.keys(rated).length ? rated : undefined;
      },
    };
  },

  tags(market, definition, value) {
    const element = h('input', { type: 'text', autocomplete: 'off', value: (value ?? []).join(', ') });
    return {
      element,
      hint: `Separate with commas${definition.maxItems ? `; up to ${definition.maxItems}` : ''}.`,
      read: () => {
        const tags = element.value.split(',').map((t) => t.trim()).filter(Boolean);
        return tags.length ? tags : undefined;
      },
    };
  },

  number(market, definition, value) {
    const element = numberInput(definition, value, false);
    return { element, hint: bounds(definition), read: () => readNumber(element) };
  },

  integer(market, definition, value) {
    const element = numberInput(definition, value, true);
    return { element, hint: bounds(definition), read: () => readNumber(element) };
  },

  range(market, definition, value) {
    const low = numberInput(definition, value?.min, false);
    const high = numberInput(definition, value?.max, false);
    const element = h('div', { class: 'pair' },
      h('label', {}, h('span', {}, 'From'), low),
      h('label', {}, h('span', {}, 'To'), high));
    return {
      legend: true,
      element,
      hint: bounds(definition),
      read: () => {
        const min = readNumber(low);
        const max = readNumber(high);
        if (min === undefined && max === undefined) return undefined;
        // One end alone is sent as it is, so the API explains that both are needed.
        return { ...(min !== undefined && { min }), ...(max !== undefined && { max }) };
      },
    };
  },

  geo(market, definition, value) {
    const picker = placePicker(market, value);
    return { legend: true, element: picker.element, read: picker.read };
  },

  boolean(market, definition, value) {
    const box = h('input', { type: 'checkbox', checked: value === true });
    const element = h('label', { class: 'switch' }, box, h('span', {}, 'Yes'));
    return { legend: true, element, read: () => box.checked };
  },

  dateTime(market, definition, value) {
    const element = h('input', { type: 'datetime-local', value: value ? toLocalInput(value) : '' });
    return { element, read: () => (element.value ? new Date(element.value).toISOString() : undefined) };
  },

  time(market, definition, value) {
    const element = h('input', { type: 'time', value: value ?? '' });
    return { element, read: () => element.value.slice(0, 5) || undefined };
  },

  date(market, definition, value) {
    const element = h('input', { type: 'date', value: value ?? '' });
    return { element, read: () => element.value || undefined };
  },
};

function toLocalInput(iso) {
  const date = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

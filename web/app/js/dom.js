// Small DOM helpers: every view builds its elements with h(), so text is never parsed as HTML.

/**
 * Creates an element. Props: `class`, `testid`, `dataset`, `style`, `on…` listeners,
 * boolean attributes (true/false) and plain attributes; children may be strings, nodes,
 * arrays or null.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false || name === 'value') continue;
    if (name === 'class') element.className = value;
    else if (name === 'testid') element.dataset.testid = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name === 'style') element.style.cssText = value;
    else if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name in element && typeof value !== 'string') element[name] = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  append(element, children);
  // After the children, so that a <select> has its options when its value is set.
  if (props?.value !== undefined && props.value !== null) element.value = props.value;
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces all children of an element. */
export function mount(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
  return parent;
}

const icons = {
  close: 'M6 6l12 12M18 6 6 18',
  heart: 'M12 20s-7-4.5-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.5-7 10-7 10Z',
  star: 'm12 3 2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1-4.4-4.3 6.1-.9L12 3Z',
  undo: 'M9 6 4 11l5 5M4 11h10a5 5 0 0 1 0 10h-3',
  bookmark: 'M6 3h12v18l-6-4-6 4V3Z',
  back: 'M15 5l-7 7 7 7',
  up: 'm6 15 6-6 6 6',
  down: 'm6 9 6 6 6-6',
  send: 'M4 12 20 4l-6 16-3-7-7-1Z',
  refresh: 'M20 12a8 8 0 1 1-2.3-5.7M20 4v5h-5',
  plus: 'M12 5v14M5 12h14',
  trash: 'M5 7h14M9 7V4h6v3M7 7l1 13h8l1-13',
  check: 'm5 12 5 5 9-10',
  location: 'M12 21s-6-6-6-11a6 6 0 1 1 12 0c0 5-6 11-6 11Zm0-9a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z',
  bell: 'M6 16V11a6 6 0 1 1 12 0v5l2 2H4l2-2Zm4 4h4',
  image: 'M4 5h16v14H4V5Zm0 11 5-5 4 4 3-3 4 4M15 9h.01',
  link: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
};

/** An inline stroke icon, hidden from assistive technology (the button carries the name). */
export function icon(name) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', icons[name]);
  svg.append(path);
  return svg;
}

/** A round button with an icon and an accessible name. */
export function iconButton(name, label, { class: extra = '', ...props } = {}) {
  return h('button', { type: 'button', class: `icon-button ${extra}`, 'aria-label': label, title: label, ...props }, icon(name));
}

/** Initials on a colour derived from the id: placeholder art that needs no image. */
export function avatar(name, id, size = '') {
  const initials = (name ?? '').split(/\s+/).filter((word) => /\p{L}|\p{N}/u.test(word[0] ?? ''))
    .slice(0, 2).map((word) => word[0].toUpperCase()).join('') || '?';
  return h('span', { class: `avatar ${size}`, style: `--hue:${hue(id ?? name ?? '')}`, 'aria-hidden': 'true' }, initials);
}

export function hue(text) {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return Math.abs(hash) % 360;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });

/** "3 min ago", "yesterday"; falls back to a date after a week. */
export function timeAgo(iso) {
  const seconds = (Date.parse(iso) - Date.now()) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 45) return 'now';
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), 'hour');
  if (abs < 604800) return relative.format(Math.round(seconds / 86400), 'day');
  return new Date(iso).toLocaleDateString();
}

export function clockTime(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** camelCase or kebab-case to "Sentence case", for names a market did not label. */
export function humanize(name) {
  const words = String(name).replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[-_.]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Whether a key press belongs to a text field (so global shortcuts leave it alone). */
export function isTyping(event) {
  const target = event.target;
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

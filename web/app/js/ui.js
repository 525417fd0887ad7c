// Toasts and dialogs shared by every view.
import { h } from './dom.js';

/** A short message in the polite live region; `action` adds one button ({label, run}). */
export function toast(message, { tone = 'info', action, timeout = 4500 } = {}) {
  const region = document.getElementById('toasts');
  const item = h('div', { class: `toast ${tone}` }, h('span', {}, message));
  if (action) {
    item.append(h('button', { type: 'button', class: 'link-button', onclick: () => { action.run(); item.remove(); } }, action.label));
  }
  region.append(item);
  setTimeout(() => item.remove(), timeout);
}

/** Shows an API failure as a toast: its problem detail, never a stack. */
export function toastError(error) {
  toast(error?.message ?? 'Something went wrong.', { tone: 'error' });
}

let dialogs = 0;

/**
 * A modal dialog. The browser traps focus inside it and closes it on Escape; focus goes back
 * where it was when it closes. Give the button to focus first the `autofocus` attribute.
 */
export function openDialog({ title, body, actions = [], testid, className = '', onClose }) {
  const previous = document.activeElement;
  const titleId = `dialog-title-${++dialogs}`;
  const dialog = h('dialog', { class: `dialog ${className}`, testid, 'aria-labelledby': titleId },
    h('h2', { id: titleId, class: 'dialog-title' }, title),
    body,
    actions.length ? h('div', { class: 'dialog-actions' }, actions) : null);
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (previous instanceof HTMLElement && previous.isConnected) previous.focus();
    onClose?.();
  });
  // A click on the backdrop (the dialog box itself, outside its content) closes it.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
  document.body.append(dialog);
  dialog.showModal();
  return { dialog, close: () => dialog.open && dialog.close() };
}

/** Asks a yes/no question; resolves true when confirmed. */
export function confirmDialog(question, { confirm = 'Delete', tone = 'danger' } = {}) {
  return new Promise((resolve) => {
    let answer = false;
    const { close } = openDialog({
      title: question,
      body: null,
      actions: [
        h('button', { type: 'button', class: 'button ghost', autofocus: true, onclick: () => close() }, 'Cancel'),
        h('button', { type: 'button', class: `button ${tone}`, onclick: () => { answer = true; close(); } }, confirm),
      ],
      onClose: () => resolve(answer),
    });
  });
}

// Rating the other side after a match, a deal or a job: one dialog, on the market's scale.
import { api, enc } from './api.js';
import { h } from './dom.js';
import { openDialog, toast, toastError } from './ui.js';

/** Resolves true once the review is sent. who: { userId, name, contextId (the match), market }. */
export function reviewDialog({ userId, name, contextId, market }) {
  const stars = market?.reviews?.scale === 'stars';
  const choices = stars
    ? [['5', '★★★★★'], ['4', '★★★★'], ['3', '★★★'], ['2', '★★'], ['1', '★']]
    : [['good', 'Good'], ['neutral', 'Neutral'], ['bad', 'Bad']];
  const picks = choices.map(([value, text], i) => {
    const input = h('input', { type: 'radio', name: 'rating', value, checked: i === 0 });
    return h('label', { class: 'chip', testid: `rating-${value}` }, input, h('span', {}, text));
  });
  const text = h('textarea', { rows: 3, maxLength: market?.reviews?.maxTextLength ?? 2000, testid: 'review-text', placeholder: 'A sentence for others (optional)' });
  return new Promise((resolve) => {
    let sent = false;
    const send = async () => {
      const rating = picks.map((p) => p.querySelector('input')).find((i) => i.checked)?.value;
      try {
        await api(`/v1/users/${enc(userId)}/reviews`, { method: 'POST', body: { rating, text: text.value.trim() || null, contextId } });
        sent = true;
        close();
        toast(`Thank you: your review of ${name} is on their profile.`);
      } catch (error) {
        toastError(error);
      }
    };
    const { close } = openDialog({
      title: `How was it with ${name}?`,
      testid: 'review-dialog',
      body: h('div', { class: 'stack-form' }, h('div', { class: 'chips', role: 'radiogroup', 'aria-label': 'Rating' }, picks), text),
      actions: [
        h('button', { type: 'button', class: 'button ghost', onclick: () => close() }, 'Later'),
        h('button', { type: 'button', class: 'button primary', testid: 'review-send', onclick: send }, 'Send review'),
      ],
      onClose: () => resolve(sent),
    });
  });
}

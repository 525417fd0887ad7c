// A worker's shifts: every job they responded to, where it stands, and what to do next
// (wait for the pick, open the chat, rate the employer once the job is done).
import { api, enc } from '../api.js';
import { h, mount } from '../dom.js';
import { on } from '../events.js';
import { getMarket, formatValue, sideOf } from '../markets.js';
import { priceText } from '../context.js';
import { countdown } from '../countdown.js';
import { reviewDialog } from '../review.js';
import { toastError } from '../ui.js';

export function show(main) {
  const list = h('ol', { class: 'shifts', testid: 'shifts' });
  mount(main, h('div', { class: 'page narrow stack' }, h('h1', {}, 'My shifts'), list));
  const load = async () => {
    try {
      const { items } = await api('/v1/me/shifts');
      if (!items.length) {
        mount(list, h('li', { class: 'empty-note' }, h('p', {}, 'You have not responded to a job yet.'), h('a', { href: '#/deck', class: 'button primary small' }, 'Find shifts')));
        return;
      }
      mount(list, await Promise.all(items.map(row)));
    } catch (error) {
      toastError(error);
    }
  };
  const offs = [on('rt:match', load), on('rt:notification', (n) => n.type === 'job' && load())];
  load();
  return { destroy: () => offs.forEach((off) => off()) };
}

async function row(shift) {
  const job = shift.job;
  const market = await getMarket(job.market);
  const fields = sideOf(market, job.side)?.listings?.attributes ?? [];
  const value = (name) => formatValue(fields.find((f) => f.name === name), job.attributes?.[name], market);
  const when = [value('date'), job.attributes?.startTime && job.attributes?.endTime ? `${job.attributes.startTime}–${job.attributes.endTime}` : null].filter(Boolean).join(' · ');
  const where = [job.attributes?.venue, value('district')].filter(Boolean).join(', ');
  return h('li', { class: 'shift panel', testid: 'shift', dataset: { status: shift.status } },
    h('a', { href: `#/listings/${job.id}`, class: 'shift-title' }, h('strong', {}, job.title)),
    when ? h('p', { class: 'muted small' }, when) : null,
    where ? h('p', { class: 'muted small' }, where) : null,
    priceText(job, market) ? h('p', { class: 'small' }, priceText(job, market)) : null,
    state(shift, market));
}

function state(shift, market) {
  switch (shift.status) {
    case 'pending':
      return h('div', {}, h('p', { class: 'status pending', testid: 'shift-status' }, 'You responded'),
        shift.window?.isOpen && shift.window.closesAt ? countdown(shift.window.closesAt, 'The employer picks') : h('p', { class: 'muted small' }, 'Waiting for the employer.'));
    case 'selected':
      return h('div', {}, h('p', { class: 'status selected', testid: 'shift-status' }, 'You got the shift'),
        shift.conversationId ? h('a', { class: 'button primary small', href: `#/chat/${shift.conversationId}` }, 'Open the chat') : null);
    case 'completed':
      return h('div', {}, h('p', { class: 'status completed', testid: 'shift-status' }, 'Done'),
        shift.matchId ? h('button', { type: 'button', class: 'button small', testid: 'rate-employer', onclick: (event) => rateEmployer(shift, market, event.currentTarget) }, 'Rate the employer') : null);
    default:
      return h('p', { class: 'status rejected', testid: 'shift-status' }, 'Someone else was picked');
  }
}

async function rateEmployer(shift, market, button) {
  try {
    const owner = await api(`/v1/profiles/${enc(shift.job.ownerProfileId)}`);
    if (await reviewDialog({ userId: owner.userId, name: owner.displayName, contextId: shift.matchId, market })) {
      button.replaceWith(h('p', { class: 'muted small' }, 'You rated this shift.'));
    }
  } catch (error) {
    toastError(error);
  }
}

// The deal in a conversation about a listing (instant markets): the open or accepted offer with
// what each party can do about it — accept, decline, counter, withdraw, call off, mark sold — and
// a way to propose an amount. It redraws when either party moves (live "deal" events).
import { api, enc } from './api.js';
import { h, mount } from './dom.js';
import { on } from './events.js';
import { formatMoney } from './markets.js';
import { session } from './session.js';
import { toast, toastError } from './ui.js';
import { reviewDialog } from './review.js';
import { alreadyShown } from './match.js';

/**
 * A strip under the chat's header; returns {element, destroy}. other: the other member
 * ({userId, displayName}); onOffers: told once the deal has any offer.
 */
export function dealBar(conversation, market, other, onOffers = () => {}) {
  const otherName = other.displayName ?? 'them';
  const element = h('section', { class: 'deal-bar', testid: 'deal-bar', 'aria-label': 'The deal', 'aria-live': 'polite' });
  const me = () => session.me?.userId;
  const money = (amount) => formatMoney(market, amount);
  let deal = null;

  const load = async () => {
    try {
      deal = await api(`/v1/matches/${enc(conversation.matchId)}/offers`);
      draw();
    } catch {
      element.hidden = true;
    }
  };

  const act = async (path, body, done) => {
    try {
      await api(`/v1/matches/${enc(conversation.matchId)}/offers${path}`, { method: 'POST', body });
      if (done) toast(done);
      await load();
    } catch (error) {
      toastError(error);
      await load();
    }
  };

  const button = (label, testid, run, tone = 'ghost') =>
    h('button', { type: 'button', class: `button small ${tone}`, testid, disabled: conversation.closed, onclick: run }, label);

  const proposeForm = (startAt, label) =>
    amountForm(market, startAt, label, (amount) => act('', { amount }, `You proposed ${money(amount)}.`), conversation.closed);

  const draw = () => {
    const offers = deal.offers;
    if (offers.length) onOffers();
    const open = offers.find((o) => o.id === deal.pending);
    const accepted = offers.find((o) => o.id === deal.accepted);
    const completed = [...offers].reverse().find((o) => o.status === 'completed');
    const seller = deal.sellerUserId === me();
    const who = (offer) => (offer.byUserId === me() ? 'You' : otherName);
    const closedBySystem = [...offers].reverse().find((o) => o.reason && o.status === 'declined');
    let line;
    let actions = [];
    if (!deal.listingStatus && !completed) {
      line = 'This listing is no longer there.';
    } else if (deal.listingStatus === 'sold' || completed) {
      line = completed ? `Sold for ${money(completed.amount)}.` : 'This item is sold.';
      // After the sale both may rate each other.
      if (completed) actions = [button(`Rate ${otherName}`, 'deal-rate', () => reviewDialog({ userId: other.userId, name: otherName, contextId: conversation.matchId, market }))];
    } else if (accepted) {
      line = `Deal agreed at ${money(accepted.amount)}: reserved${seller ? ' for this buyer' : ' for you'}.`;
      actions = [
        seller ? button('Mark sold', 'deal-complete', () => act(`/${enc(accepted.id)}/complete`, undefined, 'Marked sold.'), 'primary') : null,
        button('Call off', 'deal-cancel', () => act(`/${enc(accepted.id)}/cancel`, undefined, 'The deal is off; the item is back on sale.')),
      ];
    } else if (deal.listingStatus && deal.listingStatus !== 'active' && deal.listingStatus !== market.sides.find((s) => s.listings)?.listings?.statuses?.[0]) {
      line = closedBySystem?.reason ?? `This item is ${deal.listingStatus}.`;
    } else if (open && open.byUserId === me()) {
      line = `You offered ${money(open.amount)}. Waiting for ${otherName}.`;
      actions = [button('Withdraw', 'offer-withdraw', () => act(`/${enc(open.id)}/withdraw`, undefined, 'Offer withdrawn.'))];
    } else if (open) {
      line = `${who(open)} offers ${money(open.amount)}${open.note ? `: “${open.note}”` : '.'}`;
      const counter = h('div', { class: 'offer-counter', hidden: true }, proposeForm(open.amount, 'Send counter-offer'));
      actions = [
        button('Accept', 'offer-accept', () => act(`/${enc(open.id)}/accept`, undefined, `Accepted ${money(open.amount)}.`), 'primary'),
        button('Counter', 'offer-counter', () => { counter.hidden = !counter.hidden; counter.querySelector('input')?.focus(); }),
        button('Decline', 'offer-decline', () => act(`/${enc(open.id)}/decline`, undefined, 'Offer declined.')),
        counter,
      ];
    } else {
      const last = offers[offers.length - 1];
      line = last?.reason ?? (deal.listingPrice !== null && deal.listingPrice !== undefined
        ? `Listed at ${money(deal.listingPrice)}.${seller ? '' : ' Make an offer, or just ask.'}`
        : 'No price yet.');
      actions = [proposeForm(deal.listingPrice, seller ? 'Propose a price' : 'Make an offer')];
    }
    // Every amount so far, oldest first, for whoever wants to look back.
    const history = offers.length > 1 ? h('details', { class: 'deal-history', testid: 'deal-history' },
      h('summary', { class: 'muted small' }, `${offers.length} offers so far`),
      h('ol', { class: 'small' }, offers.map((o) => h('li', {}, `${money(o.amount)} from ${o.byUserId === me() ? 'you' : otherName}: ${o.status}`)))) : null;
    mount(element, h('p', { class: 'deal-status', testid: 'deal-status' }, line), h('div', { class: 'deal-actions' }, actions), history);
  };

  const off = on('rt:deal', (offer) => offer.matchId === conversation.matchId && load());
  load();
  return { element, destroy: off };
}

/** An amount in the market's currency (starting from the price or the open offer) and a button. */
function amountForm(market, startAt, label, submit, disabled = false) {
  const input = h('input', { type: 'number', min: '0.01', step: '0.01', inputmode: 'decimal', required: true, value: startAt ?? '', testid: 'offer-amount', 'aria-label': 'Amount' });
  return h('form', {
    class: 'offer-form',
    onsubmit: (event) => {
      event.preventDefault();
      const amount = Number(input.value);
      if (amount > 0) submit(amount);
      else input.reportValidity();
    },
  }, h('span', { class: 'muted small' }, market.currency ?? ''), input, h('button', { type: 'submit', class: 'button small primary', testid: 'offer-send', disabled }, label));
}

/**
 * "Make an offer" on someone's listing: likes it (which opens the conversation with the seller)
 * and proposes the amount there, then opens that conversation.
 */
export function offerForm(listing, market, viewerSide, navigate) {
  const form = amountForm(market, listing.price, 'Make an offer', async (amount) => {
    try {
      const swipe = await api(`/v1/listings/${enc(listing.id)}/swipe`, { method: 'POST', body: { action: 'like', side: viewerSide } });
      if (!swipe.matchId) throw new Error('The seller could not be reached for this listing.');
      alreadyShown(swipe.matchId);
      await api(`/v1/matches/${enc(swipe.matchId)}/offers`, { method: 'POST', body: { amount } });
      toast(`You offered ${formatMoney(market, amount)} for ${listing.title}.`);
      navigate(`/chat/${swipe.conversationId}`);
    } catch (error) {
      toastError(error);
    }
  });
  form.dataset.testid = 'make-offer';
  return form;
}

// Someone else's listing: its card, who owns it, the swipe actions (or "you already responded"
// for a job), and in instant markets a priced offer.
import { api, enc } from '../api.js';
import { h, mount, icon } from '../dom.js';
import { sideOf, counterpartOf } from '../markets.js';
import { listingCard, actionButton, likeLabel } from '../card.js';
import { navigate } from '../router.js';
import { session, currentProfile } from '../session.js';
import { showMatch } from '../match.js';
import { toast, toastError } from '../ui.js';
import { profileBar, ownerName } from '../social.js';
import { countdown } from '../countdown.js';
import { offerForm } from '../deal.js';

/** Someone else's listing: the card, and the swipe actions of my profile that sees its side. */
export function showTheirs(page, listing, market) {
  const current = currentProfile();
  const candidates = (session.me?.profiles ?? []).filter((p) => p.market === market.id && counterpartOf(market, p.side)?.id === listing.side);
  const viewer = candidates.find((p) => p.side === current?.side && p.market === current?.market) ?? candidates[0];
  const act = async (action) => {
    try {
      const result = await api(`/v1/listings/${enc(listing.id)}/swipe`, { method: 'POST', body: { action, side: viewer.side } });
      if (result.matched) showMatch({ matchId: result.matchId, conversationId: result.conversationId, kind: market.matchRule === 'instant' ? 'offer' : 'mutual', name: listing.title });
      else if (action === 'pass') toast(`Passed on ${listing.title}.`);
      else toast(likeLabel(market, listing.side) === 'Respond' ? `You responded to ${listing.title}.` : `You liked ${listing.title}.`);
    } catch (error) {
      toastError(error);
    }
  };
  const save = async () => {
    try {
      await api(`/v1/bookmarks/${enc(listing.id)}`, { method: 'PUT' });
      toast(`Saved ${listing.title}.`);
    } catch (error) {
      toastError(error);
    }
  };
  // A job the worker already responded to says so (the window answers only its owner and responders).
  const responded = market.matchRule === 'selection' && viewer ? h('div', { testid: 'already-responded', hidden: true }) : null;
  if (responded) {
    api(`/v1/listings/${enc(listing.id)}/window`).then((matching) => {
      mount(responded, h('p', { class: 'muted' }, 'You already responded. ', h('a', { href: '#/shifts' }, 'My shifts')),
        matching.isOpen && matching.closesAt ? countdown(matching.closesAt, 'The employer picks') : null);
      responded.hidden = false;
      page.querySelector('.deck-actions')?.remove();
    }).catch(() => {});
  }
  mount(page, h('div', { class: 'narrow stack' },
    h('button', { type: 'button', class: 'back-link link-button', onclick: () => history.back() }, icon('back'), 'Back'),
    listingCard(listing, market, { testid: 'listing-card' }),
    responded,
    profileBar(listing.ownerProfileId, ownerName(listing, market)),
    h('div', { class: 'deck-actions' },
      viewer ? [
        actionButton('pass', 'Pass', () => act('pass')),
        actionButton('superlike', 'Super-like', () => act('superlike')),
        actionButton('like', likeLabel(market, listing.side), () => act('like')),
      ] : null,
      actionButton('save', 'Save', save)),
    market.matchRule === 'instant' && viewer && listing.status === sideOf(market, listing.side)?.listings?.statuses?.[0]
      ? offerForm(listing, market, viewer.side, navigate) : null));
}

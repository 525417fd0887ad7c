// Saved listings (bookmarks), newest first, each with a way to open it or take it off the list.
import { api, enc } from '../api.js';
import { h, mount } from '../dom.js';
import { getMarket } from '../markets.js';
import { listingCard } from '../card.js';
import { toast, toastError } from '../ui.js';

export function show(main) {
  const list = h('ul', { class: 'grid', 'aria-label': 'Saved listings' }, h('li', { class: 'muted' }, 'Loading…'));
  const more = h('button', { type: 'button', class: 'button ghost', hidden: true }, 'Show more');
  mount(main, h('div', { class: 'page' }, h('h1', {}, 'Saved'), list, more));
  let cursor = null;
  let shown = 0;

  const load = async (from) => {
    try {
      const page = await api('/v1/bookmarks', { query: { limit: 24, cursor: from } });
      const markets = new Map(await Promise.all([...new Set(page.items.map((b) => b.listing.market))].map(async (id) => [id, await getMarket(id)])));
      if (!from) list.replaceChildren();
      list.append(...page.items.map((bookmark) => item(bookmark, markets.get(bookmark.listing.market))));
      shown += page.items.length;
      cursor = page.nextCursor;
      more.hidden = !cursor;
      if (!shown) empty();
    } catch (error) {
      toastError(error);
    }
  };

  const empty = () => mount(list, h('li', { class: 'empty-note wide' },
    h('p', {}, 'Nothing saved yet. Tap the bookmark on a card to keep it here.'),
    h('a', { href: '#/deck', class: 'button primary small' }, 'Discover')));

  const item = (bookmark, market) => {
    const { listing } = bookmark;
    const row = h('li', { class: 'saved', testid: 'saved-item', dataset: { listingId: listing.id } },
      h('a', { href: `#/listings/${listing.id}`, class: 'card-link', 'aria-label': `Open ${listing.title}` }, listingCard(listing, market, { compact: true })),
      h('button', {
        type: 'button',
        class: 'button ghost small',
        testid: 'unsave',
        onclick: async () => {
          try {
            await api(`/v1/bookmarks/${enc(listing.id)}`, { method: 'DELETE' });
            row.remove();
            shown -= 1;
            if (!shown) empty();
            toast(`Removed ${listing.title} from saved.`);
          } catch (error) {
            toastError(error);
          }
        },
      }, 'Remove'));
    return row;
  };

  more.addEventListener('click', () => load(cursor));
  load(null);
}

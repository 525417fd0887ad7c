// The grid beside the deck: search the other side's live listings by words, a category (any
// category field of the market), a price range and a sort; open one to like it or make an offer.
import { api, enc } from '../api.js';
import { h, mount } from '../dom.js';
import { getMarket, counterpartOf, listingFields, allowedValues, label, valueLabel } from '../markets.js';
import { currentProfile } from '../session.js';
import { listingCard } from '../card.js';
import { toastError } from '../ui.js';

const PAGE = 24;

/** "Cards | Grid": the deck and the search grid are two views of the same market. */
export function viewSwitch(current) {
  return h('nav', { class: 'view-switch', 'aria-label': 'View' },
    h('a', { href: '#/deck', testid: 'to-deck', 'aria-current': current === 'deck' ? 'page' : null }, 'Cards'),
    h('a', { href: '#/browse', testid: 'to-grid', 'aria-current': current === 'grid' ? 'page' : null }, 'Grid'));
}

/** Whether a member of this side has something to search: the other side shows cards or listings. */
export function searchable(market, sideId) {
  return (counterpartOf(market, sideId)?.presentation ?? 'none') !== 'none';
}

export async function show(main) {
  const profile = currentProfile();
  const market = await getMarket(profile.market);
  const side = counterpartOf(market, profile.side);
  const fields = listingFields(market, side.id).filter((f) => f.type === 'category');
  const priced = side.presentation === 'listings' && !(side.listings?.hide ?? []).includes('price');
  const saved = JSON.parse(sessionStorage.getItem(`search:${market.id}`) ?? '{}');

  const q = h('input', { type: 'search', id: 'search-q', testid: 'search-q', placeholder: 'Search', value: saved.q ?? '', autocomplete: 'off' });
  const selects = fields.map((f) => h('select', { id: `search-${f.name}`, testid: `search-${f.name}`, dataset: { name: f.name } },
    h('option', { value: '' }, `Any ${label(f).toLowerCase()}`),
    allowedValues(market, f).map((v) => h('option', { value: v, selected: saved[f.name] === v }, valueLabel(market, v)))));
  const min = priced ? h('input', { type: 'number', min: 0, class: 'price', testid: 'search-min', placeholder: 'Min', value: saved.minPrice ?? '' }) : null;
  const max = priced ? h('input', { type: 'number', min: 0, class: 'price', testid: 'search-max', placeholder: 'Max', value: saved.maxPrice ?? '' }) : null;
  const sorts = [['', 'Best match'], ['newest', 'Newest'], ...(priced ? [['price', 'Price: low to high'], ['-price', 'Price: high to low']] : [])];
  const sort = h('select', { id: 'search-sort', testid: 'search-sort' }, sorts.map(([v, text]) => h('option', { value: v, selected: saved.sort === v }, text)));
  const count = h('p', { class: 'search-count muted small', testid: 'search-count', 'aria-live': 'polite' });
  const grid = h('ul', { class: 'grid', testid: 'search-results', 'aria-label': 'Results' });
  const more = h('button', { type: 'button', class: 'button ghost', hidden: true, onclick: () => load(cursor) }, 'Show more');
  let cursor = null;
  let asked = 0;

  const query = () => {
    const wanted = { q: q.value.trim() || undefined, sort: sort.value || undefined, side: side.id, limit: PAGE };
    for (const select of selects) if (select.value) wanted[select.dataset.name] = select.value;
    if (min?.value) wanted.minPrice = min.value;
    if (max?.value) wanted.maxPrice = max.value;
    return wanted;
  };

  const load = async (from) => {
    const wanted = query();
    const ask = ++asked;
    sessionStorage.setItem(`search:${market.id}`, JSON.stringify(wanted));
    try {
      const page = await api(`/v1/markets/${enc(market.id)}/search`, { query: { ...wanted, cursor: from ?? undefined } });
      if (ask !== asked) return;
      if (!from) grid.replaceChildren();
      grid.append(...page.items.map((listing) => h('li', { testid: 'search-item', dataset: { listingId: listing.id } },
        h('a', { href: `#/listings/${listing.id}`, class: 'card-link', 'aria-label': `Open ${listing.title}` }, listingCard(listing, market, { compact: true })))));
      count.textContent = page.total === 0 ? 'Nothing matches. Try fewer words or another category.'
        : `${page.total} ${page.total === 1 ? 'result' : 'results'}`;
      cursor = page.nextCursor;
      more.hidden = !cursor;
    } catch (error) {
      if (ask === asked) toastError(error);
    }
  };

  let typing;
  q.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => load(), 250);
  });
  for (const control of [...selects, sort, min, max].filter(Boolean)) control.addEventListener('change', () => load());

  mount(main, h('div', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', {}, `Search ${side.listings?.kind ? `${side.listings.kind}s` : side.name.toLowerCase()}`), viewSwitch('grid')),
    h('form', { class: 'search-bar', role: 'search', onsubmit: (event) => { event.preventDefault(); load(); } },
      h('label', { class: 'grow' }, h('span', { class: 'visually-hidden' }, 'Words'), q),
      fields.map((f, i) => h('label', {}, h('span', { class: 'visually-hidden' }, label(f)), selects[i])),
      min ? h('label', {}, h('span', { class: 'visually-hidden' }, 'Lowest price'), min) : null,
      max ? h('label', {}, h('span', { class: 'visually-hidden' }, 'Highest price'), max) : null,
      h('label', {}, h('span', { class: 'visually-hidden' }, 'Sort'), sort)),
    count, grid, more));
  load();
}

// Following: the aggregated feed, newest first (posts of the profiles I follow, of the accounts my
// linked accounts follow, and of my linked feeds), with the composer for my own profiles on top.
import { api } from '../api.js';
import { h, mount, icon } from '../dom.js';
import { feedItem, asFeedItem } from '../post.js';
import { providerNames } from '../social.js';
import { toastError } from '../ui.js';
import { composer } from './composer.js';

const PAGE = 20;

export function show(main) {
  const list = h('ol', { class: 'posts', testid: 'social-feed', 'aria-label': 'Posts', 'aria-busy': 'true' });
  const loading = h('p', { class: 'muted' }, 'Loading…');
  const health = h('div', { class: 'notice', testid: 'feed-health', hidden: true });
  const more = h('button', { type: 'button', class: 'button ghost wide', testid: 'feed-more', hidden: true }, 'Load more');
  const empty = h('div', { class: 'feed-empty', testid: 'feed-empty', hidden: true },
    h('div', { class: 'empty-art', 'aria-hidden': 'true' }, icon('heart')),
    h('h2', {}, 'Nothing to read yet'),
    h('p', { class: 'muted' }, 'Follow startups, shops and people with the Follow button on their cards in Discover, '
      + 'or link your Bluesky account or a blog’s feed. Their posts gather here, newest first.'),
    h('div', { class: 'row wrap' },
      h('a', { href: '#/deck', class: 'button primary small' }, 'Discover'),
      h('a', { href: '#/linked-accounts', class: 'button ghost small' }, 'Link an account')));
  const watched = new Set();
  let cursor = null;
  let gone = false;

  const row = (item) => h('li', {}, feedItem(item, { watched, onRemoved: (article) => { article.closest('li')?.remove(); drawEmpty(); } }));
  const drawEmpty = () => {
    empty.hidden = list.childElementCount > 0 || Boolean(cursor);
  };

  /** Adds items not shown yet; an item shown already (my post, with its images now) is replaced in place. */
  const add = (items, { atTop = false } = {}) => {
    const fresh = [];
    for (const item of items) {
      const shown = list.querySelector(`[data-item-id="${CSS.escape(item.id)}"]`);
      if (shown) shown.closest('li').replaceWith(row(item));
      else fresh.push(row(item));
    }
    if (atTop) list.prepend(...fresh);
    else list.append(...fresh);
    drawEmpty();
  };

  const drawHealth = (sources) => {
    const stale = sources.filter((s) => s.stale);
    health.hidden = !stale.length;
    mount(health,
      h('p', {}, stale.length === 1 ? 'A linked account could not be read lately: its newest posts may be missing.'
        : `${stale.length} linked accounts could not be read lately: their newest posts may be missing.`),
      h('ul', {}, stale.map((s) => h('li', {}, `${providerNames[s.provider] ?? s.provider} ${s.handle}: ${s.error ?? 'unreachable'}`))),
      h('a', { href: '#/linked-accounts' }, 'Check linked accounts'));
  };

  const load = async () => {
    more.disabled = true;
    try {
      // A page may come back short (posts deleted since): go on while the server says there is more.
      for (let pages = 0; pages < 5; pages++) {
        const page = await api('/v1/social/feed', { query: { limit: PAGE, cursor } });
        if (gone) return;
        if (!cursor) drawHealth(page.sources);
        cursor = page.nextCursor;
        add(page.items);
        if (page.items.length || !cursor) break;
      }
    } catch (error) {
      toastError(error);
    } finally {
      loading.remove();
      list.setAttribute('aria-busy', 'false');
      more.hidden = !cursor;
      more.disabled = false;
      drawEmpty();
    }
  };

  mount(main, h('div', { class: 'page narrow stack', testid: 'following' },
    h('div', { class: 'page-head' },
      h('h1', {}, 'Following'),
      h('a', { href: '#/linked-accounts', class: 'button ghost small', testid: 'manage-linked' }, icon('link'), 'Linked accounts')),
    composer({ onPosted: (post) => add([asFeedItem(post)], { atTop: true }) }),
    health, loading, list, empty, more));
  more.addEventListener('click', load);

  // The bells reflect what I watch before the first item is drawn.
  api('/v1/me/watches')
    .then((page) => page.items.forEach((w) => watched.add(w.sourceId)), () => {})
    .then(() => !gone && load());
  return { destroy: () => { gone = true; } };
}

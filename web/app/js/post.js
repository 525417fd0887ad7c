// One item of the Following feed: who wrote it, where it came from (Pairwise, Bluesky, a linked
// feed), its text (always as text), link and images, and the bookmark and watch toggles.
import { api, enc } from './api.js';
import { h, avatar, icon, iconButton, timeAgo } from './dom.js';
import { providerNames, webAddress, isMine } from './social.js';
import { toast, toastError, confirmDialog } from './ui.js';

/** A post as POST /v1/posts answers it, shaped as an item of the feed. */
export function asFeedItem(post) {
  return {
    id: post.id,
    source: { kind: 'pairwise', id: post.profileId, profileId: post.profileId, market: post.market, stale: false },
    author: post.author,
    text: post.text,
    url: post.link,
    images: post.images,
    listingId: post.listingId,
    publishedAt: post.createdAt,
    bookmarked: false,
  };
}

/** options: { watched: the Set of source ids watched (shared by the page), onRemoved(element) } */
export function feedItem(item, { watched, onRemoved }) {
  const { source, author } = item;
  const name = author.name || author.handle || 'Someone';
  const mine = source.kind === 'pairwise' && isMine(source.profileId);
  const authorHref = webAddress(author.url);
  const link = item.url ? webAddress(item.url) : null;
  const shown = (item.images ?? []).filter((image) => sameOrigin(image.url));
  const article = h('article', { class: 'post', testid: 'feed-item', dataset: { itemId: item.id, source: source.kind }, 'aria-label': `${name}, ${timeAgo(item.publishedAt)}` },
    h('header', { class: 'post-head' },
      avatar(name, source.profileId ?? source.id),
      h('div', { class: 'post-who' },
        h('p', { class: 'post-author' },
          authorHref ? h('a', { href: authorHref, target: '_blank', rel: 'noopener noreferrer' }, name) : h('strong', {}, name),
          author.handle && author.handle !== name ? h('span', { class: 'muted' }, ` @${author.handle.replace(/^@/, '')}`) : null),
        h('p', { class: 'post-meta' },
          sourceBadge(source),
          h('time', { datetime: item.publishedAt, title: new Date(item.publishedAt).toLocaleString() }, timeAgo(item.publishedAt)),
          source.stale ? staleNote(source) : null)),
      h('div', { class: 'post-actions' },
        mine ? null : watchButton(source, source.kind === 'feed' ? source.account ?? name : name, watched),
        bookmarkButton(item),
        mine ? deleteButton(item, () => onRemoved?.(article)) : null)),
    item.text ? h('p', { class: 'post-text', testid: 'post-text' }, item.text) : null,
    link ? h('a', { class: 'post-link', href: link, target: '_blank', rel: 'noopener noreferrer ugc', testid: 'post-link' },
      icon('link'), h('span', {}, link.replace(/^https?:\/\//, '').replace(/\/$/, ''))) : null,
    shown.length ? images(shown, name) : null,
    item.listingId ? h('a', { href: `#/listings/${item.listingId}`, class: 'button ghost small post-listing' }, 'View the listing') : null);
  return article;
}

function sourceBadge(source) {
  const provider = providerNames[source.kind] ?? source.kind;
  const via = source.kind === 'pairwise' ? null : source.account;
  return h('span', {
    class: `source-badge ${source.kind}`,
    testid: 'source-badge',
    title: source.kind === 'pairwise' ? 'Posted on Pairwise by a profile you follow' : `From your linked ${provider} account${via ? ` ${via}` : ''}`,
  }, via ? `${provider} · ${via}` : provider);
}

function staleNote(source) {
  return h('span', { class: 'stale', testid: 'stale-source', title: 'Its last read failed: newer posts may be missing. See Linked accounts.' },
    source.fetchedAt ? `Stale · read ${timeAgo(source.fetchedAt)}` : 'Stale');
}

// The app's content policy loads images from this origin only (Pairwise posts' images are).
function sameOrigin(url) {
  try {
    return new URL(url, location.href).origin === location.origin;
  } catch {
    return false;
  }
}

function images(list, name) {
  return h('div', { class: `post-images count-${Math.min(list.length, 4)}` }, list.map((image, i) => h('img', {
    src: image.url,
    srcset: image.srcset ?? '',
    sizes: list.length > 1 ? '(max-width: 640px) 50vw, 300px' : '(max-width: 640px) 100vw, 600px',
    alt: list.length > 1 ? `Image ${i + 1} of ${list.length} posted by ${name}` : `Image posted by ${name}`,
    width: image.width,
    height: image.height,
    loading: 'lazy',
    decoding: 'async',
    testid: 'post-image',
  })));
}

function bookmarkButton(item) {
  const button = iconButton('bookmark', 'Bookmark', { class: 'toggle', testid: 'bookmark-post', 'aria-pressed': String(Boolean(item.bookmarked)) });
  button.addEventListener('click', async () => {
    const on = button.getAttribute('aria-pressed') !== 'true';
    button.disabled = true;
    try {
      await api(`/v1/bookmarks/posts/${enc(item.id)}`, { method: on ? 'PUT' : 'DELETE' });
      item.bookmarked = on;
      button.setAttribute('aria-pressed', String(on));
      toast(on ? 'Bookmarked.' : 'Bookmark removed.');
    } catch (error) {
      toastError(error);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** The bell: a notification for each new post of this source (every button for the source follows). */
function watchButton(source, name, watched) {
  const button = iconButton('bell', `Notify me of new posts from ${name}`, {
    class: 'toggle', testid: 'watch-source', dataset: { watchSource: source.id }, 'aria-pressed': String(watched.has(source.id)),
  });
  button.addEventListener('click', async () => {
    const on = !watched.has(source.id);
    button.disabled = true;
    try {
      await api(`/v1/watches/${enc(source.id)}`, { method: on ? 'PUT' : 'DELETE' });
      if (on) watched.add(source.id);
      else watched.delete(source.id);
      for (const other of document.querySelectorAll(`[data-watch-source="${CSS.escape(source.id)}"]`)) other.setAttribute('aria-pressed', String(on));
      toast(on ? `You will be notified of new posts from ${name}.` : `No more notifications of ${name}’s posts.`);
    } catch (error) {
      toastError(error);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

function deleteButton(item, removed) {
  return iconButton('trash', 'Delete this post', {
    testid: 'delete-post',
    onclick: async () => {
      if (!await confirmDialog('Delete this post? It leaves every feed at once.')) return;
      try {
        await api(`/v1/posts/${enc(item.id)}`, { method: 'DELETE' });
        removed();
        toast('Post deleted.');
      } catch (error) {
        toastError(error);
      }
    },
  });
}

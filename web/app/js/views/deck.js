// The swipe deck: one card at a time from the ranked feed; like, pass and super-like by button,
// keyboard or drag; undo a pass; save; the next page loads before the cards run out.
import { api, enc } from '../api.js';
import { h, mount, icon, isTyping } from '../dom.js';
import { getMarket, sideOf, counterpartOf, ownsListings } from '../markets.js';
import { listingCard, actionButton, likeLabel } from '../card.js';
import { currentProfile } from '../session.js';
import { showMatch } from '../match.js';
import { profileBar, ownerName } from '../social.js';
import { toast, toastError } from '../ui.js';
import { safetyMenu } from '../safety.js';
import { viewSwitch, searchable } from './browse.js';

const PAGE = 10;
const REFILL_BELOW = 3;

export function show(main) {
  const profile = currentProfile();
  const deck = new Deck(main, profile);
  deck.start();
  return { destroy: () => deck.destroy() };
}

class Deck {
  constructor(main, profile) {
    this.profile = profile;
    this.queue = [];
    this.cursor = null;
    this.loading = null;
    this.lastPass = null;
    this.saved = new Set();
    this.forListing = null;
    this.onKey = (event) => this.key(event);

    this.stack = h('div', { class: 'stack' });
    this.empty = h('div', { class: 'deck-empty', testid: 'deck-empty', hidden: true });
    this.status = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
    this.toolbar = h('div', { class: 'deck-toolbar' });
    this.buttons = {
      undo: actionButton('undo', 'Undo pass', () => this.undo(), { testid: 'swipe-undo' }),
      pass: actionButton('pass', 'Pass', () => this.swipe('pass'), { testid: 'swipe-pass' }),
      superlike: actionButton('superlike', 'Super-like', () => this.swipe('superlike'), { testid: 'swipe-superlike' }),
      like: actionButton('like', 'Like', () => this.swipe('like'), { testid: 'swipe-like' }),
      save: actionButton('save', 'Save', () => this.toggleSave(), { testid: 'save-listing' }),
    };
    this.buttons.undo.hidden = true;
    this.actions = h('div', { class: 'deck-actions', role: 'group', 'aria-label': 'Card actions' }, Object.values(this.buttons));
    mount(main, h('div', { class: 'deck-page' },
      h('h1', { class: 'visually-hidden' }, 'Discover'),
      this.toolbar,
      h('div', { class: 'deck', testid: 'deck', 'aria-busy': 'true' }, this.stack, this.empty),
      this.actions,
      h('p', { class: 'shortcuts', id: 'deck-shortcuts' },
        h('span', {}, h('kbd', {}, '←'), ' pass'), h('span', {}, h('kbd', {}, '→'), ' like'),
        h('span', {}, h('kbd', {}, '↑'), ' super-like'), h('span', {}, h('kbd', {}, 'Z'), ' undo')),
      this.status));
    this.deckElement = main.querySelector('[data-testid="deck"]');
    document.addEventListener('keydown', this.onKey);
  }

  destroy() {
    this.gone = true;
    document.removeEventListener('keydown', this.onKey);
    clearTimeout(this.shownTimer);
    this.reportShown();
  }

  async start() {
    try {
      const [market, bookmarks] = await Promise.all([
        getMarket(this.profile.market),
        api('/v1/bookmarks', { query: { limit: 100 } }).catch(() => ({ items: [] })),
      ]);
      this.market = market;
      this.side = sideOf(market, this.profile.side);
      this.saved = new Set(bookmarks.items.map((b) => b.listing.id));
      const like = likeLabel(market, counterpartOf(market, this.profile.side).id);
      this.buttons.like.setAttribute('aria-label', like);
      this.buttons.like.title = like;
      if (searchable(market, this.profile.side) && !ownsListings(market, this.profile.side)) this.toolbar.append(viewSwitch('deck'));
      const blocked = await this.nothingToRank();
      if (blocked) {
        this.problem = { message: blocked, needsListing: ownsListings(market, this.profile.side) };
        this.draw();
        return;
      }
      await this.load();
    } catch (error) {
      toastError(error);
    }
  }

  /**
   * Why this side has no feed, if it has none: nobody is shown to it (a seller's buyers browse),
   * or it ranks members for a listing of its own and has no live one yet.
   */
  async nothingToRank() {
    const counterpart = counterpartOf(this.market, this.profile.side);
    if (counterpart.presentation === 'none') {
      return `${counterpart.name}s are not shown as cards: they find your listings in their own feeds.`;
    }
    if (!ownsListings(this.market, this.profile.side)) return null;
    const mine = await api('/v1/me/listings', { query: { limit: 100 } });
    const live = mine.items.filter((l) => l.market === this.market.id && l.side === this.profile.side && l.status === this.side.listings?.statuses[0]);
    if (!live.length) return `Post a live ${this.side.listings?.kind ?? 'listing'} to see who fits it.`;
    this.forListing = live[0].id;
    if (live.length > 1) this.listingPicker(live);
    return null;
  }

  /** Members who own listings (an employer's jobs) rank the other side for one listing at a time. */
  listingPicker(live) {
    const select = h('select', { id: 'deck-for' }, live.map((l) => h('option', { value: l.id }, l.title)));
    select.addEventListener('change', () => {
      this.forListing = select.value;
      this.reset();
    });
    mount(this.toolbar, h('label', { for: 'deck-for' }, 'Ranking for'), select);
  }

  reset() {
    this.queue = [];
    this.cursor = null;
    this.lastPass = null;
    this.load();
  }

  /** Loads the next page (or the first); concurrent calls share one request. */
  load() {
    this.loading ??= this.fetchPage().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  async fetchPage() {
    this.fetching = true;
    if (!this.queue.length) this.draw();
    try {
      const page = await api(`/v1/markets/${enc(this.profile.market)}/feed`, {
        query: { side: this.profile.side, limit: PAGE, cursor: this.cursor, for: this.forListing },
      });
      if (this.gone) return;
      const known = new Set(this.queue.map((e) => e.listing.id));
      this.queue.push(...page.items.filter((e) => !known.has(e.listing.id)));
      this.cursor = page.nextCursor;
      this.problem = null;
      this.preload();
    } catch (error) {
      if (error.status === 503) {
        // The ranking index is still loading after a restart.
        setTimeout(() => !this.gone && this.load(), 2000);
        return;
      }
      this.problem = error;
    } finally {
      this.fetching = false;
    }
    this.draw();
  }

  preload() {
    for (const entry of this.queue.slice(1, 3)) {
      const cover = entry.listing.images?.[0];
      if (cover) new Image().src = cover.url;
    }
  }

  draw() {
    this.deckElement.setAttribute('aria-busy', String(Boolean(this.fetching) && !this.queue.length));
    const [current, next] = this.queue;
    this.stack.replaceChildren(...[next && this.cardFor(next, false), current && this.cardFor(current, true)].filter(Boolean));
    const waiting = !current && (this.fetching || this.cursor);
    this.empty.hidden = Boolean(current) || Boolean(waiting);
    if (!current && !waiting) this.drawEmpty();
    if (!current && waiting) this.stack.append(h('div', { class: 'card skeleton', 'aria-hidden': 'true' }));
    for (const key of ['pass', 'superlike', 'like', 'save']) this.buttons[key].disabled = !current;
    this.buttons.undo.hidden = !this.lastPass;
    const isSaved = current && this.saved.has(current.listing.id);
    this.buttons.save.setAttribute('aria-pressed', String(Boolean(isSaved)));
    this.buttons.save.setAttribute('aria-label', isSaved ? 'Saved (remove from saved)' : 'Save');
    if (current && !current.seenBefore) {
      current.seenBefore = true;
      this.status.textContent = `Showing ${current.listing.title}.`;
      this.shown(current.listing.id);
    }
  }

  /**
   * Tells the server which cards were on screen, a few at a time (fetching a page marks nothing):
   * a reload shows the same next card, and what was shown and left counts as seen from the next session.
   */
  shown(id) {
    this.shownIds ??= new Set();
    this.shownIds.add(id);
    clearTimeout(this.shownTimer);
    this.shownTimer = setTimeout(() => this.reportShown(), 1000);
  }

  reportShown() {
    const ids = [...(this.shownIds ?? [])];
    this.shownIds = new Set();
    if (!ids.length) return;
    api(`/v1/markets/${enc(this.profile.market)}/feed/seen`, { method: 'POST', query: { side: this.profile.side }, body: { listingIds: ids } })
      .catch(() => { /* a lost mark only makes the card look new again */ });
  }

  drawEmpty() {
    const problem = this.problem;
    const needsListing = problem?.needsListing || (problem?.status === 409 && ownsListings(this.market, this.profile.side));
    mount(this.empty,
      h('div', { class: 'empty-art', 'aria-hidden': 'true' }, icon('refresh')),
      h('h2', {}, problem ? 'Nothing to show here yet' : 'You have seen everyone for now'),
      h('p', { class: 'muted' }, problem ? problem.message : 'New people and listings arrive all the time. Check again later, or ask for fresh recommendations.'),
      needsListing
        ? h('a', { class: 'button primary', href: '#/listings/new' }, 'Post a listing')
        : h('button', { type: 'button', class: 'button primary', testid: 'deck-refresh', onclick: () => this.refresh() }, icon('refresh'), 'Refresh'));
  }

  async refresh() {
    try {
      await api(`/v1/markets/${enc(this.profile.market)}/feed/refresh`, { method: 'POST', query: { side: this.profile.side } });
    } catch (error) {
      if (error.status !== 409) toastError(error);
    }
    this.reset();
  }

  cardFor(entry, isCurrent) {
    const card = listingCard(entry.listing, this.market, {
      explanation: entry.explanation,
      viewerSide: this.profile.side,
      testid: isCurrent ? 'deck-card' : 'deck-card-next',
    });
    card.classList.add(isCurrent ? 'current' : 'next');
    if (isCurrent) {
      card.setAttribute('aria-describedby', 'deck-shortcuts');
      card.append(h('span', { class: 'stamp like', 'aria-hidden': 'true' }, 'Like'), h('span', { class: 'stamp pass', 'aria-hidden': 'true' }, 'Nope'),
        h('span', { class: 'stamp superlike', 'aria-hidden': 'true' }, 'Super'));
      // Who is behind the card: follow them, see where else they are.
      const owner = ownerName(entry.listing, this.market);
      const bar = profileBar(entry.listing.ownerProfileId, owner);
      bar.append(safetyMenu({ name: owner, profileId: entry.listing.ownerProfileId }, (what) => what === 'blocked' && this.drop(entry.listing.ownerProfileId)));
      card.querySelector('.card-heading').after(bar);
      this.draggable(card);
    } else card.setAttribute('aria-hidden', 'true');
    return card;
  }

  /** Someone blocked from their card: every card of theirs leaves the deck at once. */
  drop(ownerProfileId) {
    this.queue = this.queue.filter((e) => e.listing.ownerProfileId !== ownerProfileId);
    this.draw();
    if (this.queue.length < REFILL_BELOW && this.cursor) this.load();
  }

  /** Pointer events, so mouse, pen and touch drag alike; a drag past the threshold swipes. */
  draggable(card) {
    let start = null;
    const moved = (event) => ({ dx: event.clientX - start.x, dy: event.clientY - start.y });
    card.addEventListener('pointerdown', (event) => {
      if (event.button !== 0 || event.target.closest('button, a, summary')) return;
      start = { x: event.clientX, y: event.clientY };
      card.setPointerCapture(event.pointerId);
      card.classList.add('dragging');
    });
    card.addEventListener('pointermove', (event) => {
      if (!start) return;
      const { dx, dy } = moved(event);
      card.style.transform = `translate(${dx}px, ${dy}px) rotate(${dx / 18}deg)`;
      card.style.setProperty('--drag-like', Math.max(0, Math.min(1, dx / 120)));
      card.style.setProperty('--drag-pass', Math.max(0, Math.min(1, -dx / 120)));
      card.style.setProperty('--drag-superlike', Math.max(0, Math.min(1, -dy / 120)) * (Math.abs(dx) < 80 ? 1 : 0));
    });
    const end = (event, cancelled) => {
      if (!start) return;
      const { dx, dy } = moved(event);
      start = null;
      card.classList.remove('dragging');
      const threshold = Math.min(120, card.offsetWidth * 0.3);
      const action = cancelled ? null
        : dx > threshold ? 'like'
          : dx < -threshold ? 'pass'
            : dy < -threshold && Math.abs(dx) < threshold ? 'superlike' : null;
      if (action) this.swipe(action, { dx, dy });
      else {
        card.style.transform = '';
        ['--drag-like', '--drag-pass', '--drag-superlike'].forEach((p) => card.style.removeProperty(p));
      }
    };
    card.addEventListener('pointerup', (event) => end(event, false));
    card.addEventListener('pointercancel', (event) => end(event, true));
  }

  key(event) {
    if (isTyping(event) || event.ctrlKey || event.metaKey || event.altKey || document.querySelector('dialog[open]')) return;
    const action = { ArrowRight: 'like', ArrowLeft: 'pass', ArrowUp: 'superlike' }[event.key];
    if (action) {
      event.preventDefault();
      this.swipe(action);
    } else if (event.key === 'z' || event.key === 'Z' || event.key === 'Backspace') {
      event.preventDefault();
      this.undo();
    }
  }

  /** The card leaves at once (optimistic); if the API refuses, it comes back. */
  async swipe(action, drag = null) {
    const entry = this.queue[0];
    if (!entry) return;
    this.flyOut(action, drag);
    this.queue.shift();
    this.lastPass = null;
    this.draw();
    const title = entry.listing.title;
    this.status.textContent = `${{ like: 'Liked', pass: 'Passed on', superlike: 'Super-liked' }[action]} ${title}.`;
    if (this.queue.length < REFILL_BELOW && this.cursor) this.load();
    try {
      const result = await api(`/v1/listings/${enc(entry.listing.id)}/swipe`, { method: 'POST', body: { action, side: this.profile.side } });
      if (action === 'pass') {
        this.lastPass = entry;
        this.buttons.undo.hidden = false;
      }
      if (result.matched) {
        showMatch({ matchId: result.matchId, conversationId: result.conversationId, kind: this.market.matchRule === 'instant' ? 'offer' : 'mutual', name: title });
      } else if (action !== 'pass' && this.market.matchRule === 'selection') {
        toast(`You responded to ${title}. The employer picks within the matching window.`, { action: { label: 'My shifts', run: () => { location.hash = '#/shifts'; } } });
      }
    } catch (error) {
      toastError(error);
      if (error.status !== 404 && error.status !== 409) {
        this.queue.unshift(entry);
        this.draw();
      }
    }
  }

  flyOut(action, drag) {
    const card = this.stack.querySelector('.card.current');
    if (!card) return;
    card.removeAttribute('data-testid');
    card.setAttribute('aria-hidden', 'true');
    card.classList.add('leaving', action);
    const x = action === 'like' ? 1 : action === 'pass' ? -1 : 0;
    const y = action === 'superlike' ? -1 : 0;
    card.style.transform = `translate(${x * 140 + (drag?.dx ?? 0) / 4}%, ${y * 140}%) rotate(${x * 24}deg)`;
    this.deckElement.append(card);
    setTimeout(() => card.remove(), 350);
  }

  async undo() {
    const entry = this.lastPass;
    if (!entry) return;
    this.lastPass = null;
    this.buttons.undo.hidden = true;
    try {
      await api(`/v1/listings/${enc(entry.listing.id)}/swipe`, { method: 'DELETE', query: { side: this.profile.side } });
      entry.seenBefore = false;
      this.queue.unshift(entry);
      this.draw();
      this.stack.querySelector('.card.current')?.classList.add('returning');
    } catch (error) {
      toastError(error);
    }
  }

  async toggleSave() {
    const entry = this.queue[0];
    if (!entry) return;
    const id = entry.listing.id;
    const saving = !this.saved.has(id);
    try {
      await api(`/v1/bookmarks/${enc(id)}`, { method: saving ? 'PUT' : 'DELETE' });
      if (saving) this.saved.add(id);
      else this.saved.delete(id);
      this.draw();
      toast(saving ? `Saved ${entry.listing.title}.` : `Removed ${entry.listing.title} from saved.`);
    } catch (error) {
      toastError(error);
    }
  }
}

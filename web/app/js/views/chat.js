// One conversation: history (older pages on scroll up), optimistic sends reconciled with the
// API's answer and the live echo, typing both ways, read markers, catch-up after a reconnect.
import { api, enc, clientId } from '../api.js';
import { h, mount, avatar, clockTime, icon, iconButton } from '../dom.js';
import { on } from '../events.js';
import { sendTyping } from '../realtime.js';
import { session } from '../session.js';
import { setOnScreen } from '../badges.js';
import { toastError } from '../ui.js';
import { profileBar } from '../social.js';
import { otherMember } from './inbox.js';
import { safetyMenu } from '../safety.js';
import { pinnedContext, openers } from '../context.js';
import { getMarket } from '../markets.js';
import { dealBar } from '../deal.js';
import { reviewDialog } from '../review.js';

const PAGE = 30;
const TYPING_EVERY = 3000;
const TYPING_SHOWN_FOR = 5000;

export class Chat {
  constructor(pane, id) {
    this.id = id;
    this.pane = pane;
    this.messages = [];
    this.elements = new Map(); // message id or client id → element
    this.olderCursor = null;
    this.theirReadUpTo = null;
    this.myReadUpTo = null;
    this.lastTypingSent = 0;
    setOnScreen(id);
    this.off = [
      on('rt:message', (message) => message.conversationId === id && this.arrived(message)),
      on('rt:read', (marker) => marker.conversationId === id && this.readMoved(marker)),
      on('rt:typing', (event) => event.conversationId === id && event.userId !== session.me?.userId && this.showTyping()),
      on('rt:reconnected', () => this.catchUp()),
      on('rt:closed', (event) => event.conversationId === id && this.closed(event.reason)),
    ];
    this.onVisible = () => document.visibilityState === 'visible' && this.markRead();
    document.addEventListener('visibilitychange', this.onVisible);
    window.addEventListener('focus', this.onVisible);
    mount(pane, h('p', { class: 'muted chat-loading' }, 'Loading the conversation…'));
    this.load();
  }

  destroy() {
    this.gone = true;
    this.deal?.destroy();
    setOnScreen(null);
    this.off.forEach((off) => off());
    document.removeEventListener('visibilitychange', this.onVisible);
    window.removeEventListener('focus', this.onVisible);
    clearTimeout(this.typingTimer);
  }

  async load() {
    try {
      const [conversation, page] = await Promise.all([
        api(`/v1/conversations/${enc(this.id)}`),
        api(`/v1/conversations/${enc(this.id)}/messages`, { query: { limit: PAGE } }),
      ]);
      if (this.gone) return;
      this.conversation = conversation;
      this.other = otherMember(conversation);
      this.theirReadUpTo = this.other.readUpTo;
      this.myReadUpTo = conversation.readUpTo;
      this.olderCursor = page.nextCursor;
      this.build();
      this.add([...page.items].reverse());
      this.addContext();
      this.scrollToEnd();
      this.markRead();
    } catch (error) {
      if (this.gone) return;
      mount(this.pane, h('div', { class: 'chat-placeholder' }, h('p', {}, error.status === 404 ? 'This conversation does not exist.' : error.message),
        h('a', { href: '#/matches', class: 'button ghost small' }, 'Back to matches')));
    }
  }

  build() {
    const other = this.other;
    this.list = h('div', { class: 'messages', testid: 'message-list', tabindex: '0', 'aria-label': `Messages with ${other.displayName ?? 'your match'}` });
    this.list.addEventListener('scroll', () => this.list.scrollTop < 80 && this.loadOlder(), { passive: true });
    this.older = h('button', { type: 'button', class: 'link-button small older', hidden: !this.olderCursor, onclick: () => this.loadOlder() }, 'Load older messages');
    this.list.append(this.older);
    this.seen = h('p', { class: 'read-marker', testid: 'read-marker', hidden: true }, 'Seen');
    this.typing = h('p', { class: 'typing-indicator', testid: 'typing-indicator', hidden: true },
      h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')), `${other.displayName ?? 'They'} is typing…`);
    this.announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
    this.input = h('textarea', {
      testid: 'message-input',
      id: `composer-${this.id}`,
      rows: 1,
      maxLength: 4000,
      placeholder: this.conversation.closed ? 'This conversation is closed.' : 'Write a message',
      disabled: this.conversation.closed,
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener('input', () => this.typed());
    const form = h('form', { class: 'composer', onsubmit: (event) => { event.preventDefault(); this.submit(); } },
      h('label', { for: this.input.id, class: 'visually-hidden' }, 'Message'),
      this.input,
      iconButton('send', 'Send', { type: 'submit', class: 'send primary', testid: 'message-send', disabled: this.conversation.closed }));
    const face = h('span', {}, avatar(other.displayName, other.profileId));
    const trust = h('p', { class: 'trust muted small', testid: 'trust' });
    this.closedNote = h('p', { class: 'muted small', testid: 'chat-closed', hidden: !this.conversation.closed }, 'Closed: you can read but not send.');
    const name = other.displayName ?? 'your match';
    const review = () => getMarket(this.conversation.market).then((market) =>
      reviewDialog({ userId: other.userId, name, contextId: this.conversation.matchId, market })).catch(toastError);
    const menu = safetyMenu({ name, userId: other.userId, profileId: other.profileId, matchId: this.conversation.closed ? null : this.conversation.matchId, review },
      (what) => what !== 'reported' && this.closed(what));
    mount(this.pane,
      h('header', { class: 'chat-head' },
        h('a', { href: '#/matches', class: 'icon-button back', 'aria-label': 'Back to matches' }, icon('back')),
        face,
        h('div', { class: 'chat-who' }, h('h2', {}, other.displayName ?? 'Your match'), trust, profileBar(other.profileId, name), this.closedNote),
        menu),
      this.list,
      this.typing,
      form,
      this.announcer);
    // What others can check about who they talk to: photo, verified contacts, verified shop, reviews.
    api(`/v1/profiles/${enc(other.profileId)}`).then((profile) => {
      // The name as the profile has it now (a rename after the match shows here too).
      const heading = this.pane.querySelector('.chat-who h2');
      if (profile.displayName && profile.displayName !== other.displayName) heading.textContent = profile.displayName;
      // Their card is their profile as others see it: the name opens it.
      if (profile.cardId) mount(heading, h('a', { href: `#/listings/${profile.cardId}`, testid: 'chat-profile-link' }, heading.textContent));
      if (profile.photo) mount(face, h('img', { class: 'chat-photo', src: profile.photo.url, srcset: profile.photo.srcset, sizes: '40px', alt: '', width: 40, height: 40 }));
      const t = profile.trust;
      const signs = [
        t.verifiedShop ? 'Verified shop' : null,
        t.emailVerified ? 'E-mail verified' : null,
        t.phoneVerified ? 'Phone verified' : null,
        `Member since ${new Date(t.memberSince).toLocaleDateString(undefined, { year: 'numeric', month: 'short' })}`,
        t.reviews.count ? `${t.reviews.good} of ${t.reviews.count} reviews good` : null,
      ].filter(Boolean);
      trust.textContent = signs.join(' · ');
    }).catch(() => {});
  }

  /** What the chat is about, pinned under the header; and, while it is empty, a few first lines to pick from. */
  async addContext() {
    const [pinned, market] = await Promise.all([
      pinnedContext(this.conversation, this.other).catch(() => null),
      getMarket(this.conversation.market).catch(() => null),
    ]);
    if (this.gone) return;
    if (pinned) this.pane.querySelector('.chat-head').after(pinned);
    if (!this.messages.length && !this.conversation.closed) {
      this.suggestions = h('div', { class: 'openers', testid: 'openers' },
        h('p', { class: 'muted small' }, 'Start with:'),
        openers(market).map((text) => h('button', { type: 'button', class: 'chip', onclick: () => {
          this.input.value = text;
          this.input.focus();
        } }, text)));
      this.list.append(this.suggestions);
    }
    if (market?.matchRule === 'instant' && this.conversation.matchId && this.conversation.listingId) {
      // A chat about something for sale carries its deal: offers, counter-offers, reserved, sold
      // (and once a price is on the table, first lines are no longer needed).
      this.deal = dealBar(this.conversation, market, this.other, () => this.suggestions?.remove());
      (pinned ?? this.pane.querySelector('.chat-head')).after(this.deal.element);
    }
  }

  /** The conversation closed (here, or live from the other side): read-only from now on. */
  closed(reason) {
    if (!this.input) return;
    this.conversation.closed = true;
    this.input.disabled = true;
    this.input.placeholder = 'This conversation is closed.';
    this.pane.querySelector('[data-testid="message-send"]').disabled = true;
    this.closedNote.hidden = false;
    this.closedNote.textContent = reason === 'blocked' ? 'Closed after a block: you can read but not send.'
      : reason === 'unmatched' ? 'Closed: the match ended. You can read but not send.' : 'Closed: you can read but not send.';
    this.pane.querySelector('[data-testid="unmatch"]')?.remove();
  }

  /** Adds messages (oldest first) that are not on screen yet, in id order. */
  add(messages, { prepend = false } = {}) {
    const fresh = messages.filter((m) => !this.elements.has(m.id) && !this.reconcile(m));
    if (!fresh.length) return;
    this.suggestions?.remove();
    const nodes = fresh.map((m) => this.element(m));
    if (prepend) {
      this.messages = [...fresh, ...this.messages];
      this.older.after(...nodes);
    } else {
      this.messages.push(...fresh);
      this.list.append(...nodes);
    }
    this.drawSeen();
  }

  element(message, pending = false) {
    const mine = message.senderId === session.me?.userId;
    const element = h('div', {
      class: `message ${mine ? 'mine' : 'theirs'} ${pending ? 'pending' : ''}`,
      testid: 'message',
      dataset: message.id ? { messageId: message.id, clientId: message.clientMessageId } : { clientId: message.clientMessageId },
    },
    h('p', { class: 'message-text', testid: 'message-text' }, message.text),
    h('time', { datetime: message.sentAt, title: new Date(message.sentAt).toLocaleString() }, clockTime(message.sentAt)));
    if (message.id) this.elements.set(message.id, element);
    if (message.clientMessageId) this.elements.set(`client:${message.clientMessageId}`, element);
    return element;
  }

  /** Gives an optimistic message its stored id; true when `message` was one of ours on screen. */
  reconcile(message) {
    const element = this.elements.get(`client:${message.clientMessageId}`);
    if (!element || message.senderId !== session.me?.userId) return false;
    if (!element.dataset.messageId) {
      element.dataset.messageId = message.id;
      element.classList.remove('pending', 'failed');
      element.querySelector('.retry')?.remove();
      this.elements.set(message.id, element);
      const local = this.messages.find((m) => m.clientMessageId === message.clientMessageId);
      if (local) Object.assign(local, message);
      this.drawSeen();
    }
    return true;
  }

  submit() {
    const text = this.input.value.trim();
    if (!text || this.conversation.closed) return;
    this.input.value = '';
    const message = { id: null, clientMessageId: clientId(), senderId: session.me.userId, text, sentAt: new Date().toISOString() };
    this.messages.push(message);
    this.suggestions?.remove();
    this.list.append(this.element(message, true));
    this.scrollToEnd();
    this.deliver(message);
  }

  /** Sends (or re-sends: the same clientMessageId makes a retry safe). */
  async deliver(message) {
    const element = this.elements.get(`client:${message.clientMessageId}`);
    try {
      const stored = await api(`/v1/conversations/${enc(this.id)}/messages`, {
        method: 'POST',
        body: { text: message.text, clientMessageId: message.clientMessageId },
      });
      this.reconcile(stored);
    } catch (error) {
      toastError(error);
      element.classList.add('failed');
      if (!element.querySelector('.retry')) {
        element.append(h('button', {
          type: 'button',
          class: 'link-button small retry',
          onclick: () => { element.classList.remove('failed'); this.deliver(message); },
        }, 'Not sent. Retry'));
      }
    }
  }

  arrived(message) {
    if (this.reconcile(message) || !this.list) return;
    const nearEnd = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 120;
    this.add([message]);
    if (message.senderId !== session.me?.userId) {
      this.typing.hidden = true;
      this.announcer.textContent = `${this.other.displayName ?? 'Your match'}: ${message.text}`;
      this.markRead();
    }
    if (nearEnd) this.scrollToEnd();
  }

  async loadOlder() {
    if (!this.olderCursor || this.loadingOlder) return;
    this.loadingOlder = true;
    try {
      const page = await api(`/v1/conversations/${enc(this.id)}/messages`, { query: { limit: PAGE, cursor: this.olderCursor } });
      const before = this.list.scrollHeight;
      this.olderCursor = page.nextCursor;
      this.older.hidden = !this.olderCursor;
      this.add([...page.items].reverse(), { prepend: true });
      // Keep the message the reader was looking at in place.
      this.list.scrollTop += this.list.scrollHeight - before;
    } catch (error) {
      toastError(error);
    } finally {
      this.loadingOlder = false;
    }
  }

  /** After a reconnect: everything after the newest stored message we have, and fresh markers. */
  async catchUp() {
    if (!this.list) return;
    const last = [...this.messages].reverse().find((m) => m.id)?.id;
    try {
      let cursor = null;
      const missed = [];
      do {
        const page = await api(`/v1/conversations/${enc(this.id)}/messages`, { query: last ? { after: last, cursor, limit: 200 } : { cursor, limit: PAGE } });
        missed.push(...page.items);
        cursor = last ? page.nextCursor : null;
      } while (cursor);
      this.add(missed.reverse());
      const conversation = await api(`/v1/conversations/${enc(this.id)}`);
      this.theirReadUpTo = otherMember(conversation).readUpTo;
      this.drawSeen();
      this.markRead();
    } catch (error) {
      toastError(error);
    }
  }

  /** Moves my read marker to the newest message, while the conversation is actually visible. */
  async markRead() {
    const latest = [...this.messages].reverse().find((m) => m.id)?.id;
    if (!latest || document.visibilityState !== 'visible' || (this.myReadUpTo && this.myReadUpTo >= latest)) return;
    this.myReadUpTo = latest;
    try {
      await api(`/v1/conversations/${enc(this.id)}/read`, { method: 'POST', body: { upToMessageId: latest } });
    } catch {
      this.myReadUpTo = null;
    }
  }

  readMoved(marker) {
    if (marker.userId === session.me?.userId) {
      if (!this.myReadUpTo || marker.upToMessageId > this.myReadUpTo) this.myReadUpTo = marker.upToMessageId;
      return;
    }
    this.theirReadUpTo = marker.upToMessageId;
    this.drawSeen();
  }

  /** "Seen" sits under my newest message once the other member's marker has reached it. */
  drawSeen() {
    if (!this.seen) return;
    const me = session.me?.userId;
    const newest = this.messages[this.messages.length - 1];
    const seen = newest?.senderId === me && newest.id && this.theirReadUpTo && this.theirReadUpTo >= newest.id;
    this.seen.hidden = !seen;
    if (seen) this.elements.get(newest.id)?.after(this.seen);
  }

  typed() {
    const now = Date.now();
    if (now - this.lastTypingSent < TYPING_EVERY || !this.input.value.trim()) return;
    this.lastTypingSent = now;
    if (!sendTyping(this.id)) api(`/v1/conversations/${enc(this.id)}/typing`, { method: 'POST' }).catch(() => {});
  }

  showTyping() {
    if (!this.typing) return;
    this.typing.hidden = false;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => { this.typing.hidden = true; }, TYPING_SHOWN_FOR);
  }

  scrollToEnd() {
    requestAnimationFrame(() => { this.list.scrollTop = this.list.scrollHeight; });
  }
}

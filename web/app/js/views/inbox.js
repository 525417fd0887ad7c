// Matches and conversations: the list (#/matches) and, beside it on wide screens, the chat (#/chat/:id).
import { api } from '../api.js';
import { h, mount, avatar, timeAgo } from '../dom.js';
import { on } from '../events.js';
import { listMarkets } from '../markets.js';
import { session } from '../session.js';
import { trackConversations, unreadIn } from '../badges.js';
import { toastError } from '../ui.js';
import { Chat } from './chat.js';
import { threadLabel } from '../context.js';

export function show(main, params) {
  const inbox = new Inbox(main);
  inbox.open(params.id ?? null);
  return { update: (next) => inbox.open(next.id ?? null), destroy: () => inbox.destroy() };
}

/** The other member of a conversation, as the list and the chat name them. */
export function otherMember(conversation) {
  return conversation.members.find((m) => m.userId !== session.me?.userId) ?? conversation.members[0];
}

class Inbox {
  constructor(main) {
    this.conversations = [];
    this.chat = null;
    this.list = h('ul', { class: 'conversations', 'aria-label': 'Conversations' });
    this.strip = h('div', { class: 'new-matches' });
    this.pane = h('section', { class: 'chat-pane', 'aria-label': 'Conversation' });
    this.root = h('div', { class: 'inbox' },
      h('aside', { class: 'inbox-list' }, h('h1', {}, 'Matches'), this.strip, this.list),
      this.pane);
    mount(main, this.root);
    this.off = [
      on('rt:message', (message) => this.messageArrived(message)),
      on('rt:match', () => this.load()),
      on('rt:reconnected', () => this.load()),
      on('unread', () => this.drawBadges()),
    ];
    this.markets = listMarkets().catch(() => []);
    this.load();
  }

  destroy() {
    this.off.forEach((off) => off());
    this.chat?.destroy();
  }

  async load() {
    try {
      const [conversations, matches, markets] = await Promise.all([
        api('/v1/conversations', { query: { limit: 50 } }),
        api('/v1/matches', { query: { limit: 20 } }),
        this.markets,
      ]);
      this.marketNames = new Map(markets.map((m) => [m.id, m.name]));
      this.conversations = conversations.items;
      trackConversations(this.conversations);
      this.drawStrip(matches.items);
      this.drawList();
    } catch (error) {
      toastError(error);
    }
  }

  open(conversationId) {
    this.root.classList.toggle('has-chat', Boolean(conversationId));
    if (this.chat?.id === conversationId && conversationId) return;
    this.chat?.destroy();
    this.chat = null;
    if (conversationId) {
      this.chat = new Chat(this.pane, conversationId);
    } else {
      mount(this.pane, h('div', { class: 'chat-placeholder' }, h('p', { class: 'muted' }, 'Choose a conversation to read it here.')));
    }
    this.drawList();
  }

  /** Recent matches that have no messages yet, as a row of faces. */
  drawStrip(matches) {
    const quiet = matches.filter((m) => !this.conversations.find((c) => c.id === m.conversationId)?.lastMessage);
    mount(this.strip, quiet.length ? [
      h('h2', { class: 'small-heading' }, 'New matches'),
      h('ul', { class: 'faces' }, quiet.map((m) => h('li', {},
        h('a', { href: `#/chat/${m.conversationId}`, class: 'face' }, avatar(m.with.displayName, m.with.profileId, 'large'),
          h('span', {}, m.with.displayName ?? 'Your match'))))),
    ] : []);
  }

  drawList() {
    if (!this.conversations.length) {
      mount(this.list, h('li', { class: 'empty-note' }, h('p', {}, 'No matches yet.'), h('a', { href: '#/deck', class: 'button primary small' }, 'Start swiping')));
      return;
    }
    mount(this.list, this.conversations.map((c) => this.item(c)));
  }

  item(conversation) {
    const other = otherMember(conversation);
    const last = conversation.lastMessage;
    const mine = last?.senderId === session.me?.userId;
    const unread = unreadIn(conversation.id);
    const current = this.chat?.id === conversation.id;
    return h('li', {},
      h('a', {
        href: `#/chat/${conversation.id}`,
        class: `conversation ${unread ? 'unread' : ''}`,
        testid: 'conversation-item',
        dataset: { conversationId: conversation.id },
        'aria-current': current ? 'page' : null,
      },
      avatar(other.displayName, other.profileId),
      h('span', { class: 'conversation-main' },
        h('span', { class: 'conversation-top' },
          h('strong', {}, other.displayName ?? 'Your match'),
          h('time', { datetime: conversation.lastActivityAt }, timeAgo(conversation.lastActivityAt))),
        h('span', { class: 'preview' }, last ? `${mine ? 'You: ' : ''}${last.text}` : conversation.closed ? 'Conversation closed' : 'Say hello 👋'),
        this.label(conversation),
        h('span', { class: 'market-tag' }, this.marketNames?.get(conversation.market) ?? conversation.market)),
      h('span', { class: 'count-badge', testid: 'unread-badge', hidden: unread === 0, 'aria-label': `${unread} unread` }, String(unread))));
  }

  /** What the thread is about (the job, the product), filled in when known: two jobs, two labelled threads. */
  label(conversation) {
    const about = h('span', { class: 'thread-label', testid: 'thread-label', hidden: true });
    threadLabel(conversation).then((title) => {
      if (title) {
        about.textContent = title;
        about.hidden = false;
      }
    }, () => {});
    return about;
  }

  drawBadges() {
    for (const link of this.list.querySelectorAll('[data-testid="conversation-item"]')) {
      const unread = unreadIn(link.dataset.conversationId);
      const badge = link.querySelector('[data-testid="unread-badge"]');
      badge.textContent = String(unread);
      badge.hidden = unread === 0;
      badge.setAttribute('aria-label', `${unread} unread`);
      link.classList.toggle('unread', unread > 0);
    }
  }

  messageArrived(message) {
    const conversation = this.conversations.find((c) => c.id === message.conversationId);
    if (!conversation) {
      this.load();
      return;
    }
    conversation.lastMessage = { id: message.id, senderId: message.senderId, text: message.text, sentAt: message.sentAt };
    conversation.lastActivityAt = message.sentAt;
    this.conversations = [conversation, ...this.conversations.filter((c) => c !== conversation)];
    this.drawList();
  }
}

// The unread counts behind the badges: per conversation (summed on the nav) and the bell's.
import { api } from './api.js';
import { emit, on } from './events.js';
import { session } from './session.js';

const unread = new Map();
let notifications = 0;
let onScreen = null;

export async function loadCounts() {
  const [conversations, tray] = await Promise.all([
    api('/v1/conversations', { query: { limit: 100 } }),
    api('/v1/notifications', { query: { limit: 1 } }),
  ]);
  unread.clear();
  trackConversations(conversations.items);
  setNotificationCount(tray.unreadCount);
}

export function trackConversations(items) {
  for (const conversation of items) unread.set(conversation.id, conversation.unreadCount);
  changed();
}

export function unreadIn(conversationId) {
  return unread.get(conversationId) ?? 0;
}

/** The conversation the user is reading right now: its new messages are not counted as unread. */
export function setOnScreen(conversationId) {
  onScreen = conversationId;
}

export function setNotificationCount(count) {
  notifications = Math.max(0, count);
  showCount(document.getElementById('bell-count'), notifications);
  document.getElementById('bell')?.setAttribute('aria-label', notifications ? `Notifications, ${notifications} unread` : 'Notifications');
}

export function notificationCount() {
  return notifications;
}

export function reset() {
  unread.clear();
  onScreen = null;
  changed();
  setNotificationCount(0);
}

function changed() {
  let total = 0;
  for (const count of unread.values()) total += count;
  showCount(document.getElementById('unread-total'), total);
  document.querySelector('[data-nav="matches"]')?.setAttribute('aria-label', total ? `Matches, ${total} unread` : 'Matches');
  document.title = total ? `(${total}) Pairwise` : 'Pairwise';
  emit('unread', unread);
}

function showCount(element, count) {
  if (!element) return;
  element.textContent = count > 99 ? '99+' : String(count);
  element.hidden = count === 0;
}

on('rt:message', (message) => {
  if (message.senderId === session.me?.userId) return;
  if (message.conversationId === onScreen && document.visibilityState === 'visible') return;
  unread.set(message.conversationId, unreadIn(message.conversationId) + 1);
  changed();
});

// My own read marker moved (here or in another tab): the server recounted what is left.
on('rt:read', (marker) => {
  if (marker.userId !== session.me?.userId) return;
  unread.set(marker.conversationId, marker.unreadCount);
  changed();
  // Read to the end: the server marked its "new message" notification read too.
  if (marker.unreadCount === 0) {
    api('/v1/notifications', { query: { limit: 1 } }).then((page) => setNotificationCount(page.unreadCount), () => {});
  }
});

on('rt:notification', (notification) => {
  if (notification.state === 'unread') setNotificationCount(notifications + 1);
});

on('rt:reconnected', () => {
  if (session.me) loadCounts().catch(() => {});
});

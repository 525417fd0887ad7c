// The notification tray: a popover under the bell (or the #/tray page). Following an item marks
// it read and opens what it is about; dismissing marks it actioned, which takes it off the tray.
import { api, enc } from '../api.js';
import { h, mount, timeAgo, iconButton, icon } from '../dom.js';
import { on } from '../events.js';
import { navigate } from '../router.js';
import { setNotificationCount, notificationCount } from '../badges.js';
import { toastError } from '../ui.js';

export function show(main) {
  const panel = trayPanel();
  mount(main, h('div', { class: 'page narrow' }, panel.element));
  return { destroy: panel.destroy };
}

let popover = null;

export function toggleTray(bell) {
  if (popover) closeTray();
  else if (location.hash === '#/tray') document.querySelector('[data-testid="tray"] button')?.focus();
  else openTray(bell);
}

function openTray(bell) {
  const panel = trayPanel({ onFollow: closeTray });
  const element = h('div', { class: 'tray-popover', role: 'dialog', 'aria-label': 'Notifications' }, panel.element);
  const onKey = (event) => {
    if (event.key === 'Escape') {
      closeTray();
      bell.focus();
    }
  };
  const onOutside = (event) => {
    if (!element.contains(event.target) && !bell.contains(event.target)) closeTray();
  };
  document.addEventListener('keydown', onKey);
  document.addEventListener('pointerdown', onOutside);
  document.body.append(element);
  bell.setAttribute('aria-expanded', 'true');
  popover = {
    close: () => {
      panel.destroy();
      element.remove();
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onOutside);
      bell.setAttribute('aria-expanded', 'false');
    },
  };
  element.querySelector('h2').focus();
}

export function closeTray() {
  popover?.close();
  popover = null;
}

/** Where a notification leads, from the ids in its data. */
function target(notification) {
  const data = notification.data ?? {};
  // "The job is complete. Rate your employer": the worker rates from their shifts.
  if (notification.type === 'review' && data.listingId) return '/shifts';
  if (data.conversationId) return `/chat/${data.conversationId}`;
  if (data.listingId) return `/listings/${data.listingId}`;
  if (data.cardId) return `/listings/${data.cardId}`;
  if (data.matchId) return '/matches';
  if (data.postId || data.sourceId) return '/following';
  return null;
}

/** Marks read and opens what the notification is about. */
export async function follow(notification) {
  if (notification.state === 'unread') {
    notification.state = 'read';
    setNotificationCount(notificationCount() - 1);
    api(`/v1/notifications/${enc(notification.id)}/read`, { method: 'POST' }).catch(toastError);
  }
  const path = target(notification);
  if (path) navigate(path);
}

function trayPanel({ onFollow } = {}) {
  let items = [];
  let cursor = null;
  const list = h('ul', { class: 'notifications' });
  const more = h('button', { type: 'button', class: 'link-button small', hidden: true, onclick: () => load(cursor) }, 'Show older');
  const readAll = h('button', {
    type: 'button',
    class: 'link-button small',
    testid: 'tray-read-all',
    onclick: async () => {
      try {
        await api('/v1/notifications/read-all', { method: 'POST' });
        items.forEach((n) => { if (n.state === 'unread') n.state = 'read'; });
        setNotificationCount(0);
        draw();
      } catch (error) {
        toastError(error);
      }
    },
  }, 'Mark all read');
  const element = h('section', { class: 'tray', testid: 'tray', 'aria-label': 'Notifications' },
    h('div', { class: 'tray-head' }, h('h2', { tabindex: '-1' }, 'Notifications'), readAll),
    list,
    more);

  const draw = () => {
    if (!items.length) {
      mount(list, h('li', { class: 'empty-note' }, 'Nothing new. Matches, messages and interest in you show up here.'));
      return;
    }
    mount(list, items.map((n) => h('li', { class: `notification-row ${n.state}` },
      h('button', {
        type: 'button',
        class: 'notification',
        testid: 'notification-item',
        dataset: { state: n.state, type: n.type, action: n.data?.action ?? '' },
        onclick: () => {
          follow(n);
          draw();
          if (target(n)) onFollow?.();
        },
      },
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      n.data?.action === 'superlike' ? h('span', { class: 'super-mark', title: 'Super-like' }, icon('star')) : null,
      h('span', { class: 'notification-body' }, n.body),
      h('time', { datetime: n.createdAt }, timeAgo(n.createdAt)),
      n.state === 'unread' ? h('span', { class: 'visually-hidden' }, ' (unread)') : null),
      iconButton('close', 'Dismiss', { class: 'small', onclick: () => dismiss(n) }))));
  };

  const dismiss = async (notification) => {
    try {
      await api(`/v1/notifications/${enc(notification.id)}/actioned`, { method: 'POST' });
      if (notification.state === 'unread') setNotificationCount(notificationCount() - 1);
      notification.state = 'actioned';
      items = items.filter((n) => n !== notification);
      draw();
    } catch (error) {
      toastError(error);
    }
  };

  const load = async (from = null) => {
    try {
      const page = await api('/v1/notifications', { query: { limit: 20, cursor: from } });
      items = from ? [...items, ...page.items] : page.items;
      cursor = page.nextCursor;
      more.hidden = !cursor;
      setNotificationCount(page.unreadCount);
      draw();
    } catch (error) {
      toastError(error);
    }
  };

  const off = on('rt:notification', (notification) => {
    items = [notification, ...items.filter((n) => n.id !== notification.id)];
    draw();
  });
  mount(list, h('li', { class: 'empty-note' }, 'Loading…'));
  load();
  return { element, destroy: off };
}

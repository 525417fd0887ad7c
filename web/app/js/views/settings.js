// Settings for what the API already keeps: the daily digest, which notifications reach me where,
// and the people I blocked.
import { api, enc } from '../api.js';
import { h, mount, timeAgo } from '../dom.js';
import { toast, toastError } from '../ui.js';

// What each notification type is, in words; a type the server adds later still shows, by its name.
const TYPES = {
  match: 'New matches',
  message: 'New messages',
  interested: 'Someone is interested in you',
  review: 'Reviews of you',
  job: 'Jobs and responses',
  offer: 'Offers and counter-offers on things for sale',
  recommendations: 'Recommendations',
  post: 'Posts from people you follow',
  account: 'Your account (sign-ins, exports)',
  marketing: 'News from us',
};
const CHANNELS = [['inApp', 'In the app'], ['email', 'E-mail'], ['push', 'Push']];

export function show(main) {
  mount(main, h('div', { class: 'page narrow stack', testid: 'settings' },
    h('h1', {}, 'Settings'), digestSection(), notificationsSection(), blockedSection()));
}

function section(title, ...children) {
  return h('section', { class: 'account-section stack' }, h('h2', {}, title), ...children);
}

/** The daily digest: on or off, at a time on my own clock, in my time zone. */
function digestSection() {
  const enabled = h('input', { type: 'checkbox', id: 'digest-enabled', testid: 'digest-enabled' });
  const time = h('input', { type: 'time', id: 'digest-time', testid: 'digest-time', required: true });
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const zone = h('select', { id: 'digest-zone', testid: 'digest-zone' }, zones.map((z) => h('option', { value: z }, z.replaceAll('_', ' '))));
  const next = h('p', { class: 'muted small', testid: 'digest-next' });
  const draw = (settings) => {
    enabled.checked = settings.enabled;
    time.value = settings.localTime;
    if (![...zone.options].some((o) => o.value === settings.timeZone)) zone.append(h('option', { value: settings.timeZone }, settings.timeZone));
    zone.value = settings.timeZone;
    drawNext(settings);
  };
  // After a save only the line changes: the controls already say what was saved, and may have moved on.
  const drawNext = (settings) => {
    next.textContent = settings.enabled && settings.nextAt
      ? `Next one: ${new Date(settings.nextAt).toLocaleString(undefined, { weekday: 'long', hour: '2-digit', minute: '2-digit', timeZone: settings.timeZone })} (${settings.timeZone.replaceAll('_', ' ')}).`
      : 'Off: no daily e-mail.';
  };
  // One save at a time, in the order made, each with the controls as they are then.
  let saving = Promise.resolve();
  const save = () => { saving = saving.then(store); };
  const store = async () => {
    try {
      drawNext(await api('/v1/me/digest', { method: 'PUT', body: { enabled: enabled.checked, localTime: time.value, timeZone: zone.value } }));
      toast(enabled.checked ? 'Daily digest saved.' : 'Daily digest turned off.');
    } catch (error) {
      toastError(error);
    }
  };
  [enabled, time, zone].forEach((control) => control.addEventListener('change', save));
  // Nothing can be changed before the stored settings are drawn (else they would overwrite the change).
  [enabled, time, zone].forEach((control) => { control.disabled = true; });
  api('/v1/me/digest').then((settings) => {
    // A first visit proposes this device's zone instead of the server's default.
    if (!settings.enabled) settings.timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone ?? settings.timeZone;
    draw(settings);
    [enabled, time, zone].forEach((control) => { control.disabled = false; });
  }, toastError);
  return section('Daily digest',
    h('p', { class: 'muted small' }, 'An e-mail with your best new recommendations, once a day.'),
    h('label', { class: 'check', for: 'digest-enabled' }, enabled, ' Send me the daily digest'),
    h('div', { class: 'pair' },
      h('label', { for: 'digest-time' }, h('span', {}, 'At'), time),
      h('label', { for: 'digest-zone' }, h('span', {}, 'Time zone'), zone)),
    next);
}

/** A grid of notification types × channels; each tick is saved at once. */
function notificationsSection() {
  const table = h('table', { class: 'preferences', testid: 'notification-preferences' });
  const previews = h('input', { type: 'checkbox', id: 'previews', testid: 'previews' });
  const save = async (body) => {
    try {
      await api('/v1/me/notification-preferences', { method: 'PUT', body });
      toast('Saved.');
    } catch (error) {
      toastError(error);
    }
  };
  api('/v1/me/notification-preferences').then((preferences) => {
    previews.checked = preferences.previews;
    mount(table,
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Tell me about'), CHANNELS.map(([, name]) => h('th', { scope: 'col' }, name)))),
      h('tbody', {}, Object.entries(preferences.types).map(([type, channels]) => h('tr', {},
        h('th', { scope: 'row' }, TYPES[type] ?? type),
        CHANNELS.map(([channel, name]) => {
          const box = h('input', { type: 'checkbox', checked: channels[channel], 'aria-label': `${TYPES[type] ?? type}: ${name}`, testid: `pref-${type}-${channel}` });
          box.addEventListener('change', () => {
            channels[channel] = box.checked;
            save({ types: { [type]: channels } });
          });
          return h('td', {}, box);
        })))));
  }, toastError);
  previews.addEventListener('change', () => save({ previews: previews.checked }));
  return section('Notifications', table,
    h('label', { class: 'check', for: 'previews' }, previews, ' Show message text in pushes and e-mails'));
}

/** The people I blocked, each with a way back. */
function blockedSection() {
  const list = h('ul', { class: 'plain-list', testid: 'blocked-people' });
  const draw = async () => {
    const { items } = await api('/v1/me/blocks');
    if (!items.length) {
      mount(list, h('li', { class: 'muted' }, 'Nobody. Block someone from a chat or a card with ⋯.'));
      return;
    }
    mount(list, items.map((b) => h('li', { class: 'row' },
      h('span', {}, b.displayName ?? 'A deleted account', ' · ', h('span', { class: 'muted' }, `blocked ${timeAgo(b.blockedAt)}`)),
      h('button', { type: 'button', class: 'button small', onclick: () => api(`/v1/users/${enc(b.userId)}/block`, { method: 'DELETE' }).then(draw, toastError) }, 'Unblock'))));
  };
  draw().catch(toastError);
  return section('Blocked people', h('p', { class: 'muted small' }, 'Unblocking lets you see each other again; closed conversations stay closed.'), list);
}

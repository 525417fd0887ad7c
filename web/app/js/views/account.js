// Account: name, password, devices (sessions), pushes on this device, linked sign-ins, the way to linked accounts, a copy of my data, and deleting the account.
import { api, enc } from '../api.js';
import { h, mount, timeAgo } from '../dom.js';
import { field, formError, showProblem, clearProblem, busy } from '../forms.js';
import { session, setMe } from '../session.js';
import { toast, toastError, confirmDialog } from '../ui.js';
import { signOut } from '../app.js';

export function show(main) {
  mount(main, h('div', { class: 'page narrow stack', testid: 'account' },
    h('h1', {}, 'Account'),
    h('p', {}, h('a', { href: '#/settings', testid: 'settings-link' }, 'Settings: daily digest, notifications, blocked people')),
    session.me?.isOperator ? operatorSection() : null,
    nameSection(), passwordSection(), sessionsSection(), pushSection(), identitiesSection(), linkedSection(), exportSection(), deleteSection()));
}

function operatorSection() {
  return section('Operator', h('p', {}, h('a', { href: '#/operator', testid: 'operator-link' }, 'Reports from members')));
}

function section(title, ...children) {
  return h('section', { class: 'account-section stack' }, h('h2', {}, title), ...children);
}

function nameSection() {
  const name = h('input', { type: 'text', maxLength: 80, required: true, value: session.me?.displayName ?? '', testid: 'account-name' });
  const form = h('form', { class: 'stack', novalidate: true },
    field({ label: 'Your name', control: name, errorKey: 'displayName' }), formError(),
    h('button', { type: 'submit', class: 'button' }, 'Save name'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit(form, async () => {
      setMe(await api('/v1/me', { method: 'PATCH', body: { displayName: name.value.trim() } }));
      toast('Name saved.');
    });
  });
  return section('Name', form);
}

function passwordSection() {
  const current = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const next = h('input', { type: 'password', autocomplete: 'new-password', minLength: 8, required: true });
  const form = h('form', { class: 'stack', novalidate: true },
    field({ label: 'Current password', control: current, errorKey: 'currentPassword' }),
    field({ label: 'New password', control: next, errorKey: 'newPassword', hint: 'At least 8 characters; a phrase is best.' }), formError(),
    h('button', { type: 'submit', class: 'button' }, 'Change password'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit(form, async () => {
      await api('/v1/me/password', { method: 'POST', body: { currentPassword: current.value, newPassword: next.value } });
      form.reset();
      toast('Password changed. Your other devices are signed out.');
    });
  });
  return section('Password', form);
}

function sessionsSection() {
  const list = h('ul', { class: 'plain-list', testid: 'sessions' });
  const draw = async () => {
    const { items } = await api('/v1/me/sessions');
    mount(list, items.map((s) => h('li', { class: 'row' },
      h('span', {}, s.userAgent || 'Unknown device', ' · ', h('span', { class: 'muted' }, s.current ? 'this device' : `used ${timeAgo(s.lastUsedAt)}`)),
      s.current ? '' : h('button', { type: 'button', class: 'button small', onclick: () => api(`/v1/me/sessions/${enc(s.id)}`, { method: 'DELETE' }).then(draw, toastError) }, 'Sign out'))));
  };
  draw().catch(toastError);
  const others = h('button', { type: 'button', class: 'button', onclick: () => api('/v1/me/sessions/end-others', { method: 'POST' }).then(draw, toastError) }, 'Sign out everywhere else');
  return section('Signed-in devices', list, others);
}

function pushSection() {
  const status = h('p', { class: 'muted', testid: 'push-status' });
  const button = h('button', { type: 'button', class: 'button' }, 'Turn on notifications on this device');
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) {
    status.textContent = 'This browser cannot receive notifications.';
    button.hidden = true;
  }
  // Asked here, when the person chooses it, never on first load.
  button.addEventListener('click', async () => {
    try {
      if (await Notification.requestPermission() !== 'granted') {
        status.textContent = 'Notifications are blocked for this site in the browser settings.';
        return;
      }
      const { publicKey } = await api('/v1/push/vapid-public-key', { auth: false });
      const registration = await navigator.serviceWorker.register('/sw.js');
      const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey });
      const { endpoint, keys } = subscription.toJSON();
      await api('/v1/me/push-subscriptions', { method: 'POST', body: { endpoint, keys } });
      status.textContent = 'Notifications are on for this device. Choose which ones in Settings.';
    } catch (error) {
      toastError(error);
    }
  });
  return section('Notifications on this device', status, button);
}

function identitiesSection() {
  const list = h('ul', { class: 'plain-list' });
  const buttons = h('div', { class: 'row wrap' });
  const draw = async () => {
    const [{ items: linked }, { items: providers }] = await Promise.all([api('/v1/me/identities'), api('/v1/auth/oidc', { auth: false })]);
    mount(list, linked.map((i) => h('li', { class: 'row' }, `${i.provider}${i.email ? ` · ${i.email}` : ''}`,
      h('button', { type: 'button', class: 'button small', onclick: () => api(`/v1/me/identities/${enc(i.id)}`, { method: 'DELETE' }).then(draw, toastError) }, 'Unlink'))));
    mount(buttons, providers.map((p) => h('button', {
      type: 'button',
      class: 'button',
      onclick: async () => {
        const { startUrl } = await api(`/v1/me/identities/${enc(p.name)}/link`, { method: 'POST' });
        location.assign(startUrl);
      },
    }, `Link ${p.displayName}`)));
  };
  draw().catch(() => {});
  return section('Sign-in with other accounts', list, buttons);
}

function linkedSection() {
  return section('Linked accounts',
    h('p', { class: 'muted' }, 'Bluesky accounts and feeds whose posts you read in Following, and which of them your profiles show.'),
    h('a', { href: '#/linked-accounts', class: 'button', testid: 'linked-accounts-link' }, 'Manage linked accounts'));
}

function exportSection() {
  const status = h('p', { class: 'muted' }, 'A zip of everything Pairwise keeps about you: account, profiles, listings with photos, messages you sent, reviews.');
  const button = h('button', { type: 'button', class: 'button', testid: 'export' }, 'Prepare a copy of my data');
  button.addEventListener('click', async () => {
    try {
      const { exportId } = await api('/v1/me/export', { method: 'POST' });
      status.textContent = 'Preparing… we will also e-mail you when it is ready.';
      for (let i = 0; i < 60; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const export_ = await api(`/v1/me/export/${enc(exportId)}`, { raw: true });
        if (export_.status === 200) {
          const link = h('a', { href: URL.createObjectURL(await export_.blob()), download: `pairwise-${exportId}.zip`, class: 'button' }, 'Download the zip');
          mount(status, link);
          return;
        }
      }
    } catch (error) {
      toastError(error);
    }
  });
  return section('Your data', status, button);
}

function deleteSection() {
  const password = h('input', { type: 'password', autocomplete: 'current-password' });
  const form = h('form', { class: 'stack', novalidate: true },
    h('p', { class: 'muted' }, 'Deleting erases your profiles, listings, swipes and matches. People you talked to keep the conversation, with your messages replaced by a notice.'),
    field({ label: 'Your password (if you have one)', control: password, errorKey: 'password' }), formError(),
    h('button', { type: 'submit', class: 'button danger', testid: 'delete-account' }, 'Delete my account'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!await confirmDialog('Delete your account and everything in it? This cannot be undone.', { confirm: 'Delete for good' })) return;
    submit(form, async () => {
      await api('/v1/me', { method: 'DELETE', body: { password: password.value || null } });
      toast('Your account is deleted.');
      await signOut();
    });
  });
  return section('Delete account', form);
}

async function submit(form, work) {
  clearProblem(form);
  await busy(form, async () => {
    try {
      await work();
    } catch (error) {
      showProblem(form, error);
    }
  });
}

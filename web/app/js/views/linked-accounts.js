// Linked accounts: my Bluesky accounts and feeds with their health, shown on my profiles or not,
// unlinked with a confirmation; and the forms that link new ones.
import { api, enc } from '../api.js';
import { h, mount, icon, timeAgo } from '../dom.js';
import { field, formError, showProblem, clearProblem, busy } from '../forms.js';
import { providerNames, webAddress } from '../social.js';
import { toast, toastError, confirmDialog } from '../ui.js';

export function show(main) {
  const list = h('ul', { class: 'plain-list linked-list', testid: 'linked-accounts', 'aria-label': 'Linked accounts' }, h('li', { class: 'muted' }, 'Loading…'));
  let accounts = [];

  const draw = () => {
    mount(list, accounts.length ? accounts.map((a) => accountRow(a, { changed, unlinked }))
      : h('li', { class: 'muted', testid: 'linked-empty' }, 'No linked accounts yet. Link one below: its posts, and those of the accounts it follows, appear in Following.'));
  };
  const changed = (account) => {
    accounts = accounts.map((a) => (a.id === account.id ? account : a));
    draw();
  };
  const unlinked = (account) => {
    accounts = accounts.filter((a) => a.id !== account.id);
    draw();
  };
  const linked = (account) => {
    accounts = [account, ...accounts.filter((a) => a.id !== account.id)];
    draw();
    toast(account.stale ? `Linked ${account.handle}, but it could not be read yet: ${account.error}` : `Linked ${account.handle}: its posts are in Following.`,
      { tone: account.stale ? 'error' : 'info' });
  };

  mount(main, h('div', { class: 'page narrow stack', testid: 'linked-accounts-page' },
    h('a', { href: '#/account', class: 'back-link' }, icon('back'), 'Account'),
    h('h1', {}, 'Linked accounts'),
    h('p', { class: 'muted' }, 'Read your Bluesky timeline and any blog or news feed in Following, beside the Pairwise profiles you follow. '
      + 'Accounts you make public are shown on your profiles, so people can see who you are elsewhere.'),
    h('section', { class: 'account-section stack' }, h('h2', {}, 'Your accounts'), list),
    blueskyForm(linked),
    feedForm(linked)));

  api('/v1/me/linked-accounts').then((page) => {
    accounts = page.items;
    draw();
  }, toastError);
}

function health(account) {
  if (account.stale) {
    return h('p', { class: 'stale small', testid: 'linked-health' },
      `Not updating: ${account.error ?? 'the last read failed'}.`, account.lastFetchedAt ? ` Last read ${timeAgo(account.lastFetchedAt)}.` : '');
  }
  const parts = [account.lastFetchedAt ? `Read ${timeAgo(account.lastFetchedAt)}` : 'Not read yet'];
  if (account.push) parts.push('updates arrive as they are published');
  if (account.provider === 'bluesky') parts.push(`follows ${account.follows.toLocaleString()}`);
  return h('p', { class: 'muted small', testid: 'linked-health' }, parts.join(' · '));
}

function accountRow(account, { changed, unlinked }) {
  const href = webAddress(account.profileUrl ?? account.address);
  const shown = h('input', { type: 'checkbox', checked: account.public, testid: 'linked-public' });
  shown.addEventListener('change', async () => {
    shown.disabled = true;
    try {
      changed(await api(`/v1/me/linked-accounts/${enc(account.id)}`, { method: 'PATCH', body: { public: shown.checked } }));
      toast(shown.checked ? `${account.handle} is shown on your profiles.` : `${account.handle} is no longer shown on your profiles.`);
    } catch (error) {
      shown.checked = !shown.checked;
      shown.disabled = false;
      toastError(error);
    }
  });
  const unlink = async () => {
    if (!await confirmDialog(`Unlink ${account.handle}? Its posts leave your feed and its sign-in is deleted.`, { confirm: 'Unlink' })) return;
    try {
      await api(`/v1/me/linked-accounts/${enc(account.id)}`, { method: 'DELETE' });
      unlinked(account);
      toast(`Unlinked ${account.handle}.`);
    } catch (error) {
      toastError(error);
    }
  };
  return h('li', { class: `linked-account ${account.stale ? 'is-stale' : ''}`, testid: 'linked-account', dataset: { provider: account.provider } },
    h('div', { class: 'linked-main' },
      h('p', { class: 'linked-name' },
        h('span', { class: `source-badge ${account.provider}` }, providerNames[account.provider] ?? account.provider), ' ',
        href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, account.handle) : h('strong', {}, account.handle)),
      account.provider === 'feed' ? h('p', { class: 'muted small linked-address' }, account.address) : null,
      health(account)),
    h('div', { class: 'linked-actions' },
      h('label', { class: 'switch small' }, shown, 'Show on my profiles'),
      h('button', { type: 'button', class: 'button danger small', testid: 'unlink', onclick: unlink }, 'Unlink')));
}

function publicBox() {
  return h('label', { class: 'switch' }, h('input', { type: 'checkbox', name: 'public' }), 'Show it on my profiles');
}

function linkForm({ title, intro, fields, submit, testid, body, linked }) {
  const form = h('form', { class: 'account-section stack', testid, novalidate: true },
    h('h2', {}, title), intro, fields, publicBox(), formError(),
    h('button', { type: 'submit', class: 'button primary' }, submit));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearProblem(form);
    busy(form, async () => {
      try {
        const account = await api('/v1/me/linked-accounts', { method: 'POST', body: { ...body(), public: form.elements.public.checked } });
        form.reset();
        linked(account);
      } catch (error) {
        showProblem(form, error);
      }
    });
  });
  return form;
}

function blueskyForm(linked) {
  const service = h('input', { type: 'url', value: 'https://bsky.social', required: true, testid: 'bluesky-service' });
  const identifier = h('input', { type: 'text', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true, placeholder: 'you.bsky.social', testid: 'bluesky-handle' });
  const password = h('input', { type: 'password', autocomplete: 'off', required: true, placeholder: 'xxxx-xxxx-xxxx-xxxx', testid: 'bluesky-app-password' });
  return linkForm({
    title: 'Link a Bluesky account',
    testid: 'link-bluesky',
    intro: h('p', { class: 'muted small' }, 'Posts of the accounts you follow on Bluesky appear in Following.'),
    fields: [
      field({ label: 'Server', control: service, errorKey: 'service', hint: 'https://bsky.social unless your account lives on another server.' }),
      field({ label: 'Handle or e-mail', control: identifier, errorKey: 'identifier' }),
      field({
        label: 'App password',
        control: password,
        errorKey: 'appPassword',
        hint: 'An app password, never your main password: create one in Bluesky under Settings → Privacy and security → App passwords. '
          + 'Pairwise keeps only the session it opens with it, encrypted, and you can revoke it there at any time.',
      }),
    ],
    submit: 'Link Bluesky',
    body: () => ({ provider: 'bluesky', service: service.value.trim() || null, identifier: identifier.value.trim(), appPassword: password.value }),
    linked: (account) => {
      service.value = 'https://bsky.social';
      linked(account);
    },
  });
}

function feedForm(linked) {
  const url = h('input', { type: 'url', inputMode: 'url', required: true, placeholder: 'https://blog.example.com/feed.xml', testid: 'feed-url' });
  return linkForm({
    title: 'Follow a feed',
    testid: 'link-feed',
    intro: h('p', { class: 'muted small' }, 'A blog, a newsletter or a news site: its posts appear in Following.'),
    fields: [field({ label: 'Feed address', control: url, errorKey: 'url', hint: 'The address of an RSS, Atom or JSON feed.' })],
    submit: 'Add feed',
    body: () => ({ provider: 'feed', url: url.value.trim() }),
    linked,
  });
}

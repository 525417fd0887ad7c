// Following and socials wherever a profile is shown (deck card, listing, chat): one follow state
// per profile, fetched once and redrawn on every button showing it, and the accounts it shows.
import { api, enc } from './api.js';
import { h, mount } from './dom.js';
import { on } from './events.js';
import { session } from './session.js';
import { toast, toastError } from './ui.js';

const follows = new Map(); // profileId → Promise<{ following, followers }>
const socials = new Map(); // profileId → Promise<[{ provider, handle, url }]>
let owner = session.me?.userId ?? null;

// Another person signed in on this tab: what the last one followed says nothing about them.
on('me', (me) => {
  if (me?.userId === owner) return;
  owner = me?.userId ?? null;
  follows.clear();
  socials.clear();
});

export const providerNames = { pairwise: 'Pairwise', bluesky: 'Bluesky', feed: 'Feed' };

/** An address safe to link to: http(s) only (a feed may carry anything, javascript: included). */
export function webAddress(url) {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

export function isMine(profileId) {
  return (session.me?.profiles ?? []).some((p) => p.id === profileId);
}

function followState(profileId) {
  if (!follows.has(profileId)) {
    const loading = api(`/v1/profiles/${enc(profileId)}/follow`)
      .then((state) => ({ following: state.following, followers: state.followers }));
    loading.catch(() => follows.delete(profileId));
    follows.set(profileId, loading);
  }
  return follows.get(profileId);
}

const followerText = (count) => (count === 1 ? '1 follower' : `${count.toLocaleString()} followers`);

function drawFollow(root, { following, followers }) {
  const button = root.querySelector('button');
  button.disabled = false;
  button.textContent = following ? 'Unfollow' : 'Follow';
  button.className = `button small ${following ? 'ghost' : 'primary'}`;
  button.setAttribute('aria-label', `${following ? 'Unfollow' : 'Follow'} ${root.dataset.name}`);
  root.dataset.following = String(following);
  root.querySelector('[data-testid="follower-count"]').textContent = followerText(followers);
}

async function toggleFollow(root) {
  const { followProfile: profileId, name } = root.dataset;
  const button = root.querySelector('button');
  button.disabled = true;
  try {
    const current = await followState(profileId);
    const result = await api(`/v1/profiles/${enc(profileId)}/follow`, { method: current.following ? 'DELETE' : 'PUT' });
    const next = { following: result.following, followers: result.followers };
    follows.set(profileId, Promise.resolve(next));
    for (const shown of document.querySelectorAll(`[data-follow-profile="${CSS.escape(profileId)}"]`)) drawFollow(shown, next);
    toast(next.following ? `You follow ${name}: their posts appear in Following.` : `You no longer follow ${name}.`);
  } catch (error) {
    button.disabled = false;
    toastError(error);
  }
}

/** Follow / Unfollow with the follower count; nothing for the user's own profiles. */
export function followControl(profileId, name) {
  if (!profileId || isMine(profileId)) return null;
  const root = h('div', { class: 'follow-control', testid: 'follow-control', dataset: { followProfile: profileId, name: name ?? 'this profile' } },
    h('button', { type: 'button', class: 'button small primary', testid: 'follow-button', disabled: true }, 'Follow'),
    h('span', { class: 'muted small', testid: 'follower-count' }));
  root.querySelector('button').addEventListener('click', () => toggleFollow(root));
  followState(profileId).then((state) => drawFollow(root, state), () => { root.hidden = true; });
  return root;
}

/** The linked accounts the profile's owner made public: links to them elsewhere. */
export function socialLinks(profileId) {
  const list = h('ul', { class: 'socials', testid: 'profile-socials', 'aria-label': 'Elsewhere', hidden: true });
  if (!profileId) return list;
  if (!socials.has(profileId)) {
    const loading = api(`/v1/profiles/${enc(profileId)}/socials`).then((page) => page.items);
    loading.catch(() => socials.delete(profileId));
    socials.set(profileId, loading);
  }
  socials.get(profileId).then((items) => {
    if (!items.length) return;
    mount(list, items.map((social) => {
      const href = webAddress(social.url);
      const text = [h('span', { class: `source-badge ${social.provider}` }, providerNames[social.provider] ?? social.provider), ' ', social.handle];
      return h('li', {}, href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer me' }, text) : text);
    }));
    list.hidden = false;
  }, () => {});
  return list;
}

/** Who is behind a listing, by name: a profile card is its profile; a job or product is its side's ("the employer"). */
export function ownerName(listing, market) {
  if (listing.isCard) return listing.title;
  const side = market?.sides.find((s) => s.id === listing.side);
  return side ? `the ${side.name.toLowerCase()}` : 'its owner';
}

/** On my own profile's page: how many follow it, the accounts it shows, and where to choose them. */
export function ownProfileSocial(profileId) {
  const count = h('p', { class: 'muted', testid: 'own-followers' });
  followState(profileId).then((state) => {
    count.textContent = `${followerText(state.followers)}. What you post as this profile in Following reaches them at once.`;
  }, () => {});
  return h('section', { class: 'panel stack', testid: 'profile-social' },
    h('h2', {}, 'Followers and accounts'), count, socialLinks(profileId),
    h('a', { href: '#/linked-accounts' }, 'Choose the linked accounts your profiles show'));
}

/** What a shown profile offers socially: follow, followers, and where else it is. */
export function profileBar(profileId, name) {
  if (!profileId) return null;
  return h('div', { class: 'profile-bar' }, followControl(profileId, name), socialLinks(profileId));
}

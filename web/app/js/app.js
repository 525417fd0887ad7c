// The shell: routes, the signed-in user, the header (profile switcher, bell, log-out) and the nav.
import { api, onSignedOut } from './api.js';
import { h, mount } from './dom.js';
import { on } from './events.js';
import { startRouter, navigate, render, currentPath } from './router.js';
import { session, tokens, saveTokens, clearTokens, setMe, currentProfile, setCurrentProfile } from './session.js';
import { connect, disconnect } from './realtime.js';
import { loadCounts, reset as resetCounts } from './badges.js';
import { listMarkets } from './markets.js';
import { toast } from './ui.js';
import { showMatch } from './match.js';

const routes = [
  { path: '/login', load: () => import('./views/auth.js'), public: true },
  { path: '/signup', load: () => import('./views/auth.js'), public: true },
  { path: '/verify', load: () => import('./views/auth.js') },
  { path: '/onboarding', load: () => import('./views/onboarding.js') },
  { path: '/profile', load: () => import('./views/onboarding.js'), nav: 'profile', needsProfile: true },
  { path: '/deck', load: () => import('./views/deck.js'), nav: 'deck', needsProfile: true },
  { path: '/browse', load: () => import('./views/browse.js'), nav: 'deck', needsProfile: true },
  { path: '/matches', load: () => import('./views/inbox.js'), nav: 'matches' },
  { path: '/chat/:id', load: () => import('./views/inbox.js'), nav: 'matches' },
  { path: '/saved', load: () => import('./views/saved.js'), nav: 'saved' },
  { path: '/following', load: () => import('./views/following.js'), nav: 'following' },
  { path: '/listings', load: () => import('./views/listings.js'), nav: 'listings' },
  { path: '/listings/new', load: () => import('./views/listings.js'), nav: 'listings' },
  { path: '/listings/:id', load: () => import('./views/listings.js'), nav: 'listings' },
  { path: '/tray', load: () => import('./views/tray.js') },
  { path: '/account', load: () => import('./views/account.js') },
  { path: '/operator', load: () => import('./views/operator.js') },
  { path: '/settings', load: () => import('./views/settings.js') },
  { path: '/shifts', load: () => import('./views/shifts.js'), nav: 'listings' },
  { path: '/linked-accounts', load: () => import('./views/linked-accounts.js') },
];

function guard(route, path) {
  if (!tokens() || !session.me) return route?.public ? null : '/login';
  if (route?.public) return '/deck';
  if (route?.needsProfile && !currentProfile()) return '/onboarding';
  if (!route) return currentProfile() ? '/deck' : '/onboarding';
  return path === '/' ? '/deck' : null;
}

/** Called by the auth views with the token pair from sign-up or log-in. */
export async function signedIn(pair) {
  saveTokens(pair);
  setMe(await api('/v1/me'));
  start();
  navigate(currentProfile() ? '/deck' : '/onboarding');
}

export async function signOut() {
  await api('/v1/auth/logout', { method: 'POST' }).catch(() => {});
  end();
  navigate('/login');
}

function start() {
  connect();
  loadCounts().catch(() => {});
  drawSwitcher();
}

function end() {
  disconnect();
  document.getElementById('connection').hidden = true;
  clearTokens();
  session.me = null;
  resetCounts();
}

onSignedOut(() => {
  if (!session.me) return;
  end();
  toast('Your session ended. Please log in again.');
  navigate('/login');
});

async function drawSwitcher() {
  const select = document.getElementById('profile-switcher');
  const profiles = session.me?.profiles ?? [];
  const names = new Map((await listMarkets().catch(() => [])).map((m) => [m.id, m]));
  const sideName = (p) => names.get(p.market)?.sides.find((s) => s.id === p.side)?.name ?? p.side;
  const current = currentProfile();
  mount(select,
    profiles.map((p) => h('option', { value: `${p.market}/${p.side}`, selected: p === current },
      `${names.get(p.market)?.name ?? p.market} · ${sideName(p)}`)),
    h('option', { value: 'new' }, profiles.length ? '+ Add a profile…' : 'Create a profile…'));
  if (!profiles.length) select.value = 'new';
}

let shownRoute = null;

function wireShell() {
  document.getElementById('profile-switcher').addEventListener('change', (event) => {
    const value = event.target.value;
    if (value === 'new') {
      drawSwitcher();
      navigate('/onboarding');
      return;
    }
    const [market, side] = value.split('/');
    setCurrentProfile(market, side);
  });
  document.getElementById('logout').addEventListener('click', signOut);
  const bell = document.getElementById('bell');
  bell.addEventListener('click', async () => {
    const { toggleTray } = await import('./views/tray.js');
    toggleTray(bell);
  });

  document.addEventListener('route', ({ detail: { route } }) => {
    shownRoute = route;
    const app = !route.public;
    document.getElementById('topbar').hidden = !app;
    document.getElementById('mainnav').hidden = !app;
    document.body.classList.toggle('signed-in', app);
    for (const link of document.querySelectorAll('[data-nav]')) {
      if (link.dataset.nav === route.nav) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    drawBanner(route);
  });

  on('me', () => {
    drawSwitcher();
    if (shownRoute) drawBanner(shownRoute);
  });
  on('profile', () => {
    drawSwitcher();
    if (['/deck', '/profile', '/listings'].includes(currentPath())) render();
  });
  // My own swipe's answer shows its dialog first; what arrives live about someone else's offer is a notice.
  on('rt:match', (event) => setTimeout(() => showMatch({ ...event, notice: true }), 400));
  on('rt:status', (status) => {
    document.getElementById('connection').hidden = status === 'online' || !session.me;
  });
  on('rt:notification', (notification) => {
    // A match has its own dialog, and a message for the chat on screen is already visible.
    if (notification.type === 'match') return;
    if (notification.data?.conversationId && currentPath() === `/chat/${notification.data.conversationId}`) return;
    toast(notification.body, {
      action: { label: 'View', run: () => import('./views/tray.js').then((tray) => tray.follow(notification)) },
    });
  });
}

async function drawBanner(route) {
  const banner = document.getElementById('verify-banner');
  const show = session.me && !session.me.emailVerified && !route.public && route.path !== '/verify';
  banner.hidden = !show;
  if (!show) {
    banner.replaceChildren();
    return;
  }
  if (banner.childElementCount) return;
  const { verifyForm } = await import('./views/auth.js');
  mount(banner, verifyForm({ compact: true }));
}

/** Back from an identity provider: the tokens (or the error) come in the address's fragment, never to a server. */
function takeSignInFromAddress() {
  if (!location.hash.startsWith('#accessToken=') && !location.hash.startsWith('#error=')) return;
  const values = new URLSearchParams(location.hash.slice(1));
  history.replaceState(null, '', location.pathname);
  if (values.get('error')) {
    location.hash = `#/login?error=${encodeURIComponent(values.get('error'))}`;
    return;
  }
  saveTokens({ userId: values.get('userId'), accessToken: values.get('accessToken'), refreshToken: values.get('refreshToken') });
  if (values.get('status') === 'linked') toast('The sign-in is linked to your account.');
}

async function boot() {
  takeSignInFromAddress();
  wireShell();
  if (tokens()) {
    try {
      setMe(await api('/v1/me'));
      start();
    } catch (error) {
      if (error.status !== 401) toast(error.message, { tone: 'error' });
    }
  }
  startRouter(routes, guard);
}

boot();

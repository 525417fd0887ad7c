// What survives a reload: the token pair and which profile the user is acting as.
import { emit } from './events.js';

const TOKENS = 'pairwise.tokens';
const CURRENT = 'pairwise.current';

export function tokens() {
  try {
    return JSON.parse(localStorage.getItem(TOKENS));
  } catch {
    return null;
  }
}

export function saveTokens({ userId, accessToken, refreshToken }) {
  localStorage.setItem(TOKENS, JSON.stringify({ userId, accessToken, refreshToken }));
}

export function clearTokens() {
  localStorage.removeItem(TOKENS);
}

/** Seconds until the access token expires, read from its payload (no verification needed here). */
export function accessTokenLifetime() {
  const token = tokens()?.accessToken;
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return payload.exp - Date.now() / 1000;
  } catch {
    return 0;
  }
}

/** The signed-in user as GET /v1/me returned it. */
export const session = { me: null };

export function setMe(me) {
  session.me = me;
  emit('me', me);
}

/** The current profile {market, side}: the stored choice if the user still has it, else their first profile. */
export function currentProfile() {
  const profiles = session.me?.profiles ?? [];
  let stored = null;
  try {
    stored = JSON.parse(localStorage.getItem(CURRENT));
  } catch {
    stored = null;
  }
  return profiles.find((p) => p.market === stored?.market && p.side === stored?.side) ?? profiles[0] ?? null;
}

export function setCurrentProfile(market, side) {
  localStorage.setItem(CURRENT, JSON.stringify({ market, side }));
  emit('profile', currentProfile());
}

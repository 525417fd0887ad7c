// The one way to call the API: bearer tokens, a single refresh on 401, problem details as errors.
import { tokens, saveTokens, clearTokens } from './session.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The request failed (${status}).`);
    this.status = status;
    this.problem = problem ?? {};
    /** Per-field messages, keyed by JSON path (e.g. "attributes.age"). */
    this.errors = problem?.errors ?? {};
  }
}

let signedOut = () => {};

/** Called when the session cannot be renewed; the app then shows the log-in page. */
export function onSignedOut(handler) {
  signedOut = handler;
}

let refreshing = null;

/** Renews the token pair once, however many requests ask at the same time. */
export function refreshTokens() {
  refreshing ??= renew().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function renew() {
  const used = tokens()?.refreshToken;
  if (!used) return false;
  // A refresh token works once, and presenting it twice revokes the session: tabs take turns.
  const exchange = async () => {
    const current = tokens();
    if (!current) return false;
    if (current.refreshToken !== used) return true;
    try {
      const response = await fetch('/v1/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken: used }),
      });
      if (!response.ok) return false;
      saveTokens(await response.json());
      return true;
    } catch {
      return false;
    }
  };
  return navigator.locks ? navigator.locks.request('pairwise-refresh', exchange) : exchange();
}

/**
 * Calls the API. Options: method, body (sent as JSON), form (FormData), query (object),
 * auth (default true), signal, raw (the Response itself when it succeeds, e.g. a file).
 */
export async function api(path, options = {}) {
  return send(path, options, true);
}

async function send(path, options, mayRetry) {
  const { method = 'GET', body, form, query, auth = true, signal } = options;
  const headers = { Accept: 'application/json, application/problem+json' };
  const accessToken = tokens()?.accessToken;
  if (auth && accessToken) headers.Authorization = `Bearer ${accessToken}`;
  let payload;
  if (form) payload = form;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(withQuery(path, query), { method, headers, body: payload, signal });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, { title: 'Offline', detail: 'The server cannot be reached. Check your connection and try again.' });
  }
  if (response.status === 401 && auth) {
    if (mayRetry && (await refreshTokens())) return send(path, options, false);
    clearTokens();
    signedOut();
  }
  if (options.raw && response.ok) return response;
  const text = await response.text();
  const data = text ? parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text };
  }
}

function withQuery(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, value);
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

/** Path segments are ids from the API, but encode them anyway. */
export const enc = encodeURIComponent;

/** A random id for idempotent sends. */
export function clientId() {
  return crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

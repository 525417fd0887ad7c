// The SignalR connection: server events are re-emitted on the app bus as "rt:<event>".
/* global signalR */
import { emit } from './events.js';
import { refreshTokens } from './api.js';
import { tokens, accessTokenLifetime } from './session.js';

const EVENTS = ['message', 'match', 'notification', 'read', 'typing', 'closed', 'deal'];

let connection = null;
let restartTimer = 0;
let restartDelay = 2000;
let lostContact = false;

async function accessToken() {
  if (accessTokenLifetime() < 30) await refreshTokens();
  return tokens()?.accessToken ?? '';
}

export function connect() {
  if (connection || typeof signalR === 'undefined') return;
  connection = new signalR.HubConnectionBuilder()
    .withUrl('/v1/realtime', { accessTokenFactory: accessToken })
    .withAutomaticReconnect()
    // The app shows the connection state itself (rt:status); the client's own log would only repeat it.
    .configureLogging(signalR.LogLevel.None)
    .build();
  for (const name of EVENTS) connection.on(name, (payload) => emit(`rt:${name}`, payload));
  connection.onreconnecting(() => {
    lostContact = true;
    emit('rt:status', 'reconnecting');
  });
  connection.onreconnected(connected);
  // Automatic reconnection gives up after a few tries; keep trying, more slowly.
  connection.onclose(() => {
    if (!connection) return;
    lostContact = true;
    emit('rt:status', 'offline');
    scheduleStart();
  });
  start();
}

async function start() {
  const current = connection;
  try {
    await current.start();
    if (current === connection) connected();
  } catch {
    if (current === connection) scheduleStart();
  }
}

function connected() {
  restartDelay = 2000;
  emit('rt:status', 'online');
  // Anything pushed while we were away is in the list endpoints: views catch up on this.
  if (lostContact) emit('rt:reconnected');
  lostContact = false;
}

function scheduleStart() {
  clearTimeout(restartTimer);
  restartTimer = setTimeout(start, restartDelay);
  restartDelay = Math.min(restartDelay * 2, 30000);
}

export async function disconnect() {
  clearTimeout(restartTimer);
  const closing = connection;
  connection = null;
  lostContact = false;
  await closing?.stop().catch(() => {});
}

/** Sends "typing" over the socket; false when not connected (the caller then uses HTTP). */
export function sendTyping(conversationId) {
  if (connection?.state !== 'Connected') return false;
  connection.invoke('Typing', conversationId).catch(() => {});
  return true;
}

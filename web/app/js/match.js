// "It's a match": one dialog per match, whether the swipe's answer or the live event told us first.
import { api, enc } from './api.js';
import { h } from './dom.js';
import { navigate } from './router.js';
import { session } from './session.js';
import { openDialog, toast } from './ui.js';

const shown = new Set();

const texts = {
  mutual: (name) => ({ title: "It's a match!", body: `You and ${name} like each other.` }),
  offer: (name) => ({ title: 'Offer opened', body: `You can now chat with ${name} about it.` }),
  selection: (name) => ({ title: 'Matched for the job', body: `You and ${name} can now arrange the details.` }),
};

/** A match this screen opened itself (an offer made from a listing's page): no notice about it when its live event comes. */
export function alreadyShown(matchId) {
  if (matchId) shown.add(matchId);
}

/**
 * event: {matchId, conversationId, kind?, name?, notice?}. A match is a dialog; an offer someone
 * made on my listing (`notice`: it came live, not from my own swipe) is a notice that does not stop
 * what I am doing: a seller may get many.
 */
export async function showMatch({ matchId, conversationId, kind = 'mutual', name, notice = false }) {
  if (!matchId || shown.has(matchId)) return;
  shown.add(matchId);
  if (notice && kind === 'offer') {
    const conversation = conversationId ? await api(`/v1/conversations/${enc(conversationId)}`).catch(() => null) : null;
    const buyer = conversation?.members.find((m) => m.userId !== session.me?.userId)?.displayName ?? 'A buyer';
    toast(`${buyer} made an offer on one of your listings.`, {
      action: { label: 'Open chat', run: () => navigate(`/chat/${conversationId}`) },
      timeout: 8000,
    });
    return;
  }
  if (!name && conversationId) {
    const conversation = await api(`/v1/conversations/${enc(conversationId)}`).catch(() => null);
    name = conversation?.members.find((m) => m.userId !== session.me?.userId)?.displayName;
  }
  const text = (texts[kind] ?? texts.mutual)(name ?? 'your match');
  const { close } = openDialog({
    title: text.title,
    testid: 'match-dialog',
    className: 'match-dialog',
    body: h('p', {}, text.body),
    actions: [
      h('button', { type: 'button', class: 'button ghost', onclick: () => close() }, 'Keep swiping'),
      h('button', {
        type: 'button',
        class: 'button primary',
        testid: 'match-open-chat',
        autofocus: true,
        onclick: () => {
          close();
          navigate(`/chat/${conversationId}`);
        },
      }, 'Open chat'),
    ],
  });
}

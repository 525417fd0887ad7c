// Block, report and unmatch, wherever another person is shown (a chat, a card in the deck): one
// "More" menu; every action asks first and says what it will do.
import { api, enc } from './api.js';
import { h } from './dom.js';
import { openDialog, confirmDialog, toast, toastError } from './ui.js';

const REASONS = {
  spam: 'Spam or advertising',
  harassment: 'Harassment or insults',
  inappropriate: 'Inappropriate content',
  scam: 'Scam or fraud',
  fake: 'Fake profile',
  underage: 'Under age',
  other: 'Something else',
};

/**
 * The menu for one person. `who` is { name, userId? , profileId?, matchId?, messageId?, review? } — the user id
 * is looked up from the profile when not given. `after` is told what happened: 'blocked', 'unmatched'
 * or 'reported'.
 */
export function safetyMenu(who, after = () => {}) {
  const item = (label, testid, run) => h('button', { type: 'button', role: 'menuitem', class: 'menu-item', testid, onclick: (event) => {
    event.currentTarget.closest('details').open = false;
    run();
  } }, label);
  return h('details', { class: 'safety-menu', testid: 'safety-menu' },
    h('summary', { class: 'icon-button', 'aria-label': `More about ${who.name}`, title: 'More' }, '⋯'),
    h('div', { class: 'menu', role: 'menu' },
      // Rating lives here too: the server says when it is not yet possible (both must have written, or the job be done).
      who.review ? item(`Rate ${who.name}`, 'rate', who.review) : null,
      who.matchId ? item('Unmatch', 'unmatch', () => unmatch(who, after)) : null,
      item(`Block ${who.name}`, 'block', () => block(who, after)),
      item('Report', 'report', () => report(who, after))));
}

async function userIdOf(who) {
  if (who.userId) return who.userId;
  const profile = await api(`/v1/profiles/${enc(who.profileId)}`);
  return profile.userId;
}

async function unmatch(who, after) {
  if (!await confirmDialog(`Unmatch ${who.name}?`, { confirm: 'Unmatch' })) return;
  try {
    await api(`/v1/matches/${enc(who.matchId)}`, { method: 'DELETE' });
    toast(`You unmatched ${who.name}. Neither of you will see the other again.`);
    after('unmatched');
  } catch (error) {
    toastError(error);
  }
}

async function block(who, after) {
  if (!await confirmDialog(`Block ${who.name}? You will not see each other again, and your conversations close.`, { confirm: 'Block' })) return;
  try {
    await api(`/v1/users/${enc(await userIdOf(who))}/block`, { method: 'POST' });
    toast(`You blocked ${who.name}. Unblock in Settings.`);
    after('blocked');
  } catch (error) {
    toastError(error);
  }
}

function report(who, after) {
  const reason = h('select', { id: 'report-reason', testid: 'report-reason', required: true },
    h('option', { value: '' }, 'Choose a reason'),
    Object.entries(REASONS).map(([value, label]) => h('option', { value }, label)));
  const details = h('textarea', { id: 'report-details', testid: 'report-details', rows: 3, maxLength: 2000, placeholder: 'What happened? (optional)' });
  const alsoBlock = h('input', { type: 'checkbox', id: 'report-block', testid: 'report-block' });
  const send = async () => {
    if (!reason.value) {
      reason.focus();
      return;
    }
    try {
      const target = who.messageId ? { messageId: who.messageId } : { targetUserId: await userIdOf(who) };
      await api('/v1/reports', { method: 'POST', body: { ...target, reason: reason.value, details: details.value.trim() || null } });
      close();
      toast('Thank you. Our team reviews every report.');
      after('reported');
      if (alsoBlock.checked) {
        await api(`/v1/users/${enc(await userIdOf(who))}/block`, { method: 'POST' });
        after('blocked');
      }
    } catch (error) {
      toastError(error);
    }
  };
  const { close } = openDialog({
    title: `Report ${who.name}`,
    testid: 'report-dialog',
    body: h('div', { class: 'stack-form' },
      h('label', { for: 'report-reason' }, 'Reason'), reason,
      h('label', { for: 'report-details' }, 'Details'), details,
      h('label', { class: 'check' }, alsoBlock, ` Also block ${who.name}`)),
    actions: [
      h('button', { type: 'button', class: 'button ghost', onclick: () => close() }, 'Cancel'),
      h('button', { type: 'button', class: 'button danger', testid: 'report-send', onclick: send }, 'Send report'),
    ],
  });
}

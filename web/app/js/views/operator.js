// For operators (the addresses in Pairwise:Operators): the reports members sent, newest first.
import { api } from '../api.js';
import { h, mount, timeAgo } from '../dom.js';
import { toastError } from '../ui.js';

export function show(main) {
  const list = h('ul', { class: 'plain-list reports', testid: 'reports' });
  const more = h('button', { type: 'button', class: 'button ghost', hidden: true }, 'Older reports');
  let cursor = null;
  const load = async () => {
    try {
      const page = await api('/v1/operator/reports', { query: { limit: 50, cursor } });
      cursor = page.nextCursor;
      more.hidden = !cursor;
      if (!page.items.length && !list.children.length) list.append(h('li', { class: 'muted' }, 'No reports.'));
      list.append(...page.items.map(item));
    } catch (error) {
      if (error.status === 403) mount(list, h('li', {}, 'Only operators see reports.'));
      else toastError(error);
    }
  };
  more.addEventListener('click', load);
  mount(main, h('div', { class: 'page narrow stack' }, h('h1', {}, 'Reports'), list, more));
  load();
}

function item(report) {
  return h('li', { class: 'report', testid: 'report-item' },
    h('p', {}, h('strong', {}, report.reason), ' · ', h('span', { class: 'muted' }, timeAgo(report.createdAt))),
    report.details ? h('p', {}, report.details) : null,
    report.messageText ? h('blockquote', {}, report.messageText) : null,
    h('p', { class: 'muted small' }, `Reported user ${report.targetUserId} by ${report.reporterId}`));
}

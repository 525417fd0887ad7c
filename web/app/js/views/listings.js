// My listings: the list, the create/edit form generated from the listing schema, images, status,
// and for jobs the ranked responses with Select and Complete. Someone else's listing opens as a
// card with the swipe actions.
import { api, enc } from '../api.js';
import { h, mount, avatar, humanize, icon } from '../dom.js';
import { field, formError, schemaFields, showProblem, clearProblem, busy } from '../forms.js';
import { getMarket, sideOf } from '../markets.js';
import { listingCard, explanationPanel } from '../card.js';
import { navigate } from '../router.js';
import { session, currentProfile, setCurrentProfile } from '../session.js';
import { showMatch } from '../match.js';
import { toast, toastError, confirmDialog } from '../ui.js';
import { imageManager } from './images.js';
import { on } from '../events.js';
import { reviewDialog } from '../review.js';
import { countdown } from '../countdown.js';
import { placePicker } from '../place.js';

export function show(main, params, route) {
  const page = h('div', { class: 'page' }, h('p', { class: 'muted' }, 'Loading…'));
  mount(main, page);
  const view = route.path === '/listings' ? showList : route.path === '/listings/new' ? showNew : showListing;
  view(page, params).catch((error) => {
    mount(page, h('h1', {}, 'Listing'), h('p', {}, error.status === 404 ? 'This listing does not exist, or it is not live any more.' : error.message),
      h('a', { href: '#/listings', class: 'button ghost small' }, 'My listings'));
  });
}

/** The (market, side) pairs of my profiles that post listings, with their definitions. */
async function listingSides() {
  const pairs = [];
  for (const profile of session.me?.profiles ?? []) {
    const market = await getMarket(profile.market);
    const side = sideOf(market, profile.side);
    if (side?.presentation === 'listings') pairs.push({ market, side });
  }
  return pairs;
}

/** Whether one of my profiles responds to jobs (a worker in a market where owners select). */
async function respondsToJobs() {
  for (const profile of session.me?.profiles ?? []) {
    const market = await getMarket(profile.market);
    if (market.matchRule === 'selection' && sideOf(market, profile.side)?.presentation !== 'listings') return true;
  }
  return false;
}

async function showList(page) {
  const [mine, sides, worker] = await Promise.all([api('/v1/me/listings', { query: { limit: 100 } }), listingSides(), respondsToJobs()]);
  const markets = new Map(await Promise.all([...new Set(mine.items.map((l) => l.market))].map(async (id) => [id, await getMarket(id)])));
  mount(page,
    h('div', { class: 'page-head' },
      h('h1', {}, 'My listings'),
      sides.length ? h('a', { href: '#/listings/new', class: 'button primary small', testid: 'listing-new' }, icon('plus'), 'New listing') : null),
    worker ? h('p', {}, h('a', { href: '#/shifts', class: 'button small', testid: 'my-shifts' }, 'My shifts: the jobs you responded to')) : null,
    sides.length ? null : h('p', { class: 'muted' }, 'Your profile cards are here. To post jobs or products, add an employer or seller profile.'),
    mine.items.length
      ? h('ul', { class: 'listing-rows' }, mine.items.map((listing) => listingRow(listing, markets.get(listing.market))))
      : h('p', { class: 'empty-note' }, 'Nothing here yet.'));
}

function listingRow(listing, market) {
  const cover = listing.images[0];
  const side = sideOf(market, listing.side);
  return h('li', {},
    h('a', { href: `#/listings/${listing.id}`, class: 'listing-row', testid: 'listing-item', dataset: { listingId: listing.id } },
      cover ? h('img', { src: cover.url, alt: '', width: 56, height: 56, class: 'row-thumb', loading: 'lazy' }) : avatar(listing.title, listing.id),
      h('span', { class: 'row-main' },
        h('strong', {}, listing.title),
        h('span', { class: 'muted small' }, `${market?.name ?? listing.market} · ${listing.isCard ? `your ${side?.name.toLowerCase() ?? ''} card` : humanize(side?.listings?.kind ?? 'listing')}`)),
      h('span', { class: `status ${listing.status}` }, humanize(listing.status))));
}

async function showNew(page) {
  const sides = await listingSides();
  if (!sides.length) {
    mount(page, h('h1', {}, 'New listing'), h('p', {}, 'Only employer or seller profiles post listings.'), h('a', { href: '#/onboarding', class: 'button primary' }, 'Add a profile'));
    return;
  }
  const current = currentProfile();
  let chosen = sides.find((s) => s.market.id === current?.market && s.side.id === current?.side) ?? sides[0];
  const holder = h('div');
  const draw = () => mount(holder, listingForm(chosen.market, chosen.side, null));
  const picker = sides.length > 1 ? field({
    label: 'Post as',
    control: h('select', {
      value: `${chosen.market.id}/${chosen.side.id}`,
      onchange: (event) => {
        chosen = sides.find((s) => `${s.market.id}/${s.side.id}` === event.target.value);
        draw();
      },
    }, sides.map((s) => h('option', { value: `${s.market.id}/${s.side.id}` }, `${s.market.name} · ${s.side.name}`))),
  }) : null;
  mount(page, h('div', { class: 'narrow' }, h('h1', {}, `New ${chosen.side.listings.kind}`), picker, holder));
  draw();
}

/** Create (listing null) or edit. Attributes come from the side's listing schema. */
function listingForm(market, side, listing) {
  const rules = side.listings;
  const title = h('input', { type: 'text', maxLength: 140, required: true, value: listing?.title ?? '', testid: 'listing-title' });
  const description = h('textarea', { rows: 4, maxLength: 5000, value: listing?.description ?? '', testid: 'listing-description' });
  const price = h('input', { type: 'number', min: 0, step: 'any', inputmode: 'decimal', value: listing?.price ?? '', testid: 'listing-price' });
  const tags = h('input', { type: 'text', value: (listing?.tags ?? []).join(', '), testid: 'listing-tags' });
  const place = placePicker(market, listing?.location, { testid: 'listing-place' });
  const draft = h('input', { type: 'checkbox', checked: listing?.status === 'draft' });
  const attributes = schemaFields(market, rules.attributes, 'attributes', listing?.attributes);
  // Only the fields this market's listings use (a job has its hourly rate and district, not a price or a map point).
  const shows = (name) => !(rules.hide ?? []).includes(name);
  const form = h('form', { class: 'stack', testid: 'listing-form', novalidate: true },
    field({ label: 'Title *', control: title, errorKey: 'title' }),
    field({ label: 'Description', control: description, errorKey: 'description' }),
    shows('price') || shows('tags') ? h('div', { class: 'two' },
      shows('price') ? field({ label: market.currency ? `Price (${market.currency})` : 'Price', control: price, errorKey: 'price' }) : null,
      shows('tags') ? field({ label: 'Tags', control: tags, errorKey: 'tags', hint: 'Separate with commas.' }) : null) : null,
    shows('location') ? field({
      label: 'Location',
      legend: true,
      errorKey: 'location',
      control: place.element,
    }) : null,
    rules.attributes.length ? h('fieldset', { class: 'group' }, h('legend', {}, `About this ${rules.kind}`), attributes.elements) : null,
    !listing || listing.status === 'draft'
      ? h('label', { class: 'switch' }, draft, h('span', {}, 'Save as a draft (only you see it)'))
      : null,
    formError(),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button primary', testid: 'listing-save' }, listing ? 'Save changes' : `Post ${rules.kind}`)));

  const numberOrNull = (input) => (input.value.trim() === '' ? null : input.valueAsNumber);
  const body = () => {
    const location = place.read() ?? null;
    const values = {
      title: title.value.trim(),
      description: description.value.trim(),
      price: numberOrNull(price),
      tags: tags.value.split(',').map((t) => t.trim()).filter(Boolean),
      location,
      attributes: attributes.read({ nulls: Boolean(listing) }),
    };
    if (!listing) return { side: side.id, ...values, status: draft.checked ? 'draft' : null };
    if (listing.status === 'draft' && !draft.checked) values.status = rules.statuses[0];
    return values;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblem(form);
    await busy(form, async () => {
      try {
        const saved = listing
          ? await api(`/v1/listings/${enc(listing.id)}`, { method: 'PATCH', body: body() })
          : await api(`/v1/markets/${enc(market.id)}/listings`, { method: 'POST', body: body() });
        toast(listing ? 'Changes saved.' : `Posted. Add some images to ${saved.title}.`);
        if (listing) navigate(`/listings/${saved.id}`, { replace: true });
        else navigate(`/listings/${saved.id}`);
      } catch (error) {
        showProblem(form, error);
      }
    });
  });
  return form;
}

async function showListing(page, { id }) {
  const listing = await api(`/v1/listings/${enc(id)}`);
  const market = await getMarket(listing.market);
  const mine = session.me?.profiles.some((p) => p.id === listing.ownerProfileId);
  if (mine) return showMine(page, listing, market);
  const { showTheirs } = await import('./theirs.js');
  return showTheirs(page, listing, market);
}

function showMine(page, listing, market) {
  const side = sideOf(market, listing.side);
  const rules = side.listings;
  const back = h('a', { href: '#/listings', class: 'back-link' }, icon('back'), 'My listings');
  if (listing.isCard) {
    mount(page, h('div', { class: 'narrow stack' }, back,
      h('h1', {}, 'Your card'),
      h('p', { class: 'muted' }, 'Your card mirrors your profile: change the profile to change it. Photos are yours to add here.'),
      listingCard(listing, market),
      h('section', { class: 'panel' }, h('h2', {}, 'Photos'), imageManager(listing)),
      h('button', {
        type: 'button',
        class: 'button ghost',
        onclick: () => {
          setCurrentProfile(market.id, listing.side);
          navigate('/profile');
        },
      }, 'Edit the profile')));
    return;
  }
  const selection = market.matchRule === 'selection';
  mount(page, h('div', { class: 'narrow stack' }, back,
    h('div', { class: 'page-head' }, h('h1', {}, listing.title), h('span', { class: `status ${listing.status}` }, humanize(listing.status))),
    selection ? responses(listing, market, side) : null,
    h('section', { class: 'panel' }, h('h2', {}, 'Images'),
      listing.images.length < (rules.images?.min ?? 0)
        ? h('p', { class: 'field-hint', testid: 'needs-photo' }, `Nobody else sees it until it has ${rules.images.min === 1 ? 'a photo' : `${rules.images.min} photos`}.`)
        : null,
      imageManager(listing, { max: rules.images?.max ?? 5 })),
    h('section', { class: 'panel' }, h('h2', {}, 'Details'), listingForm(market, side, listing)),
    selection ? null : hypePanel(listing),
    h('section', { class: 'panel' }, h('h2', {}, 'Status'), statusActions(listing, rules, selection))));
}

/** Hype (what buyers do with it) and buying a promotion: a boost for some days, by card or with credits. */
function hypePanel(listing) {
  const section = h('section', { class: 'panel', testid: 'hype' }, h('h2', {}, 'Hype and promotion'), h('p', { class: 'muted' }, 'Loading…'));
  const promote = async (days, boost) => {
    try {
      const promotion = await api(`/v1/listings/${enc(listing.id)}/promotions`, { method: 'POST', body: { days, boost } });
      if (promotion.checkoutUrl) {
        location.assign(promotion.checkoutUrl);
        return;
      }
      toast(`Promoted for ${days} days.`);
      navigate(`/listings/${listing.id}`, { replace: true });
    } catch (error) {
      toastError(error);
    }
  };
  api(`/v1/listings/${enc(listing.id)}/hype`).then((hype) => {
    const parts = hype.parts;
    const boosted = listing.promotion?.boostUntil && new Date(listing.promotion.boostUntil) > new Date();
    mount(section, h('h2', {}, 'Hype and promotion'),
      h('p', {}, h('strong', {}, `Hype ${Math.round(hype.value)}/100`), ` from ${parts.view} views, ${parts.like + parts.offer} likes and offers, ${parts.save} saves and ${parts.message} messages in the last 30 days.`),
      boosted ? h('p', { class: 'field-hint' }, `Promoted until ${new Date(listing.promotion.boostUntil).toLocaleDateString()}.`) : null,
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'button ghost', testid: 'promote-7', onclick: () => promote(7, 1) }, 'Promote for 7 days'),
        h('button', { type: 'button', class: 'button ghost', onclick: () => promote(7, 3) }, 'Strong boost for 7 days')));
  }).catch(toastError);
  return section;
}

/** Forward moves through the lifecycle; in selection markets, selecting and completing move a job instead. */
function statusActions(listing, rules, selection) {
  // The hold status (reserved) comes from accepting an offer in the chat, never from here.
  const lifecycle = ['draft', ...rules.statuses];
  const next = lifecycle.slice(lifecycle.indexOf(listing.status) + 1).find((s) => s !== rules.holdStatus);
  const move = next && !selection && listing.status !== 'draft'
    ? h('button', {
      type: 'button',
      class: 'button ghost',
      onclick: async () => {
        try {
          await api(`/v1/listings/${enc(listing.id)}`, { method: 'PATCH', body: { status: next } });
          toast(`Marked ${humanize(next).toLowerCase()}.`);
          navigate(`/listings/${listing.id}`, { replace: true });
        } catch (error) {
          toastError(error);
        }
      },
    }, `Mark as ${humanize(next).toLowerCase()}`)
    : null;
  const remove = h('button', {
    type: 'button',
    class: 'button danger',
    testid: 'listing-delete',
    onclick: async () => {
      if (!(await confirmDialog(`Delete “${listing.title}”?`))) return;
      try {
        await api(`/v1/listings/${enc(listing.id)}`, { method: 'DELETE' });
        toast('Deleted.');
        navigate('/listings');
      } catch (error) {
        toastError(error);
      }
    },
  }, icon('trash'), 'Delete');
  return h('div', { class: 'row-actions' },
    h('p', { class: 'muted small' }, `Lifecycle: ${lifecycle.map(humanize).join(' → ')}.${listing.expiresAt ? ` Expires ${new Date(listing.expiresAt).toLocaleDateString()}.` : ''}`),
    move, remove);
}

/**
 * A job's responses, ranked by how the job's ranking scores each worker: the window's countdown,
 * Select (asked first), Complete, then rating the worker. It follows new responses and the
 * selection live (and from another tab).
 */
function responses(job, market, side) {
  const section = h('section', { class: 'panel', testid: 'responses' }, h('h2', {}, 'Responses'), h('p', { class: 'muted' }, 'Loading…'));
  const [open, closed, done] = side.listings.statuses;
  const load = async () => {
    try {
      const [page, current, window] = await Promise.all([
        api(`/v1/listings/${enc(job.id)}/responses`),
        api(`/v1/listings/${enc(job.id)}`),
        api(`/v1/listings/${enc(job.id)}/window`).catch(() => null),
      ]);
      const chosen = page.items.find((r) => r.status === 'selected' || r.status === 'completed');
      mount(section, h('h2', {}, 'Responses'),
        current.status === open && window?.isOpen && window.closesAt ? countdown(window.closesAt, 'Responses close') : null,
        current.status === open && !window?.closesAt ? h('p', { class: 'muted small' }, `The ${market.selection?.windowMinutes ?? 30}-minute window opens with the first response.`) : null,
        page.items.length
          ? h('ol', { class: 'responses' }, page.items.map((r) => responseRow(r, current)))
          : h('p', { class: 'muted' }, 'No responses yet. The best available workers have been told about this job.'),
        current.status === closed ? h('button', { type: 'button', class: 'button primary', testid: 'job-complete', onclick: complete }, icon('check'), 'Mark the job completed') : null,
        current.status === done && chosen ? h('button', { type: 'button', class: 'button', testid: 'rate-worker', onclick: () => rate(chosen) }, `Rate ${chosen.displayName ?? 'the worker'}`) : null);
    } catch (error) {
      toastError(error);
    }
  };
  const responseRow = (response, current) => h('li', { class: 'response', testid: 'response-item', dataset: { responseId: response.id, status: response.status } },
    h('div', { class: 'response-head' },
      response.rank ? h('span', { class: 'rank' }, `#${response.rank}`) : null,
      avatar(response.displayName, response.workerProfileId),
      h('strong', {}, response.displayName ?? 'A worker'),
      h('span', { class: `status ${response.status}`, testid: 'response-status' }, humanize(response.status)),
      response.cardId ? h('a', { href: `#/listings/${response.cardId}`, class: 'link-button small' }, 'View card') : null,
      current.status === open && response.status === 'pending'
        ? h('button', { type: 'button', class: 'button primary small', testid: 'response-select', onclick: () => select(response) }, 'Select')
        : null),
    response.explanation ? explanationPanel(response.explanation, market, job.side) : h('p', { class: 'muted small' }, 'Not ranked for this job (for example busy, or below the similarity threshold).'));
  const select = async (response) => {
    const name = response.displayName ?? 'this worker';
    if (!await confirmDialog(`Select ${name} for this job? The job closes and the others are told.`, { confirm: `Select ${name}`, tone: 'primary' })) return;
    try {
      const result = await api(`/v1/listings/${enc(job.id)}/responses/${enc(response.id)}/select`, { method: 'POST' });
      showMatch({ matchId: result.matchId, conversationId: result.conversationId, kind: 'selection', name: response.displayName });
      load();
    } catch (error) {
      toastError(error);
    }
  };
  const complete = async () => {
    try {
      await api(`/v1/listings/${enc(job.id)}/complete`, { method: 'POST' });
      toast('Job completed. You can now review each other.');
      load();
    } catch (error) {
      toastError(error);
    }
  };
  const rate = async (response) => {
    const match = (await api('/v1/matches', { query: { limit: 100 } })).items.find((m) => m.listingId === job.id);
    if (match && await reviewDialog({ userId: response.workerUserId, name: response.displayName ?? 'the worker', contextId: match.id, market })) {
      section.querySelector('[data-testid="rate-worker"]')?.replaceWith(h('p', { class: 'muted small' }, 'You rated this job.'));
    }
  };
  // New responses arrive as notifications, a selection as a match: redraw while this page is on screen.
  const offs = [on('rt:notification', (n) => n.data?.listingId === job.id || n.data?.jobId === job.id ? load() : null), on('rt:match', (m) => m.listingId === job.id && load())];
  const watch = setInterval(() => {
    if (!section.isConnected) {
      offs.forEach((off) => off());
      clearInterval(watch);
    }
  }, 5000);
  load();
  return section;
}

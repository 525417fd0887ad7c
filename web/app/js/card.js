// A listing as a card: cover image (or initials art), title, key facts from the schema, and
// why the feed ranked it.
import { h, avatar, hue, icon, iconButton, humanize } from './dom.js';
import { listingFields, formatValue, label, sideOf } from './markets.js';
import { priceText } from './context.js';
import { session } from './session.js';

/** options: {explanation, score, viewerSide, testid, compact} */
export function listingCard(listing, market, options = {}) {
  const { explanation, viewerSide, testid, compact = false } = options;
  return h('article', {
    class: `card ${compact ? 'compact' : ''}`,
    testid,
    dataset: { listingId: listing.id },
    'aria-label': listing.title,
  },
  media(listing, compact),
  h('div', { class: 'card-body' },
    h('div', { class: 'card-heading' },
      h('h2', { class: 'card-title', testid: 'card-title' }, listing.title),
      meta(listing, market)),
    facts(listing, market, compact),
    listing.description && !compact ? h('p', { class: 'card-description' }, listing.description) : null,
    listing.tags?.length && !compact ? h('ul', { class: 'tags', 'aria-label': 'Tags' }, listing.tags.map((t) => h('li', {}, `#${t}`))) : null,
    explanation ? explanationPanel(explanation, market, viewerSide) : null));
}

function media(listing, compact) {
  const images = listing.images ?? [];
  const box = h('div', { class: 'card-media', style: `--hue:${hue(listing.id)}` });
  if (!images.length) {
    box.append(avatar(listing.title, listing.id, compact ? 'large' : 'huge'));
    return box;
  }
  let index = 0;
  // The narrower copies the server keeps (srcset): a phone loads 800 px, not the original.
  const img = h('img', { src: images[0].url, srcset: images[0].srcset ?? '', sizes: '(max-width: 600px) 100vw, 480px', alt: `Photo of ${listing.title}`, draggable: false, decoding: 'async' });
  // A portrait photo is shown whole on the coloured ground, not cropped to a strip.
  const frame = (image) => img.classList.toggle('portrait', image.height > image.width);
  frame(images[0]);
  box.append(img);
  if (images.length > 1 && !compact) {
    const dots = h('div', { class: 'dots', 'aria-hidden': 'true' }, images.map((_, i) => h('span', { class: i === 0 ? 'on' : '' })));
    const go = (by) => {
      index = (index + by + images.length) % images.length;
      img.srcset = images[index].srcset ?? '';
      img.src = images[index].url;
      img.alt = `Photo ${index + 1} of ${images.length} of ${listing.title}`;
      frame(images[index]);
      [...dots.children].forEach((d, i) => d.classList.toggle('on', i === index));
    };
    box.append(dots,
      iconButton('back', 'Previous photo', { class: 'photo-nav prev small', onclick: () => go(-1) }),
      iconButton('back', 'Next photo', { class: 'photo-nav next small', onclick: () => go(1) }));
  }
  return box;
}

function meta(listing, market) {
  const parts = [];
  const pay = priceText(listing, market);
  if (pay) parts.push(pay);
  if (listing.distanceKm !== null && listing.distanceKm !== undefined) parts.push(`${listing.distanceKm.toFixed(1)} km away`);
  const side = sideOf(market, listing.side);
  if (side?.listings?.kind) parts.push(humanize(side.listings.kind));
  else if (side && market.sides.length > 1) parts.push(side.name);
  if (listing.status && !['active', side?.listings?.statuses?.[0]].includes(listing.status)) parts.push(humanize(listing.status));
  return parts.length ? h('p', { class: 'card-meta' }, parts.join(' · ')) : null;
}

/** The schema's fields with values, in schema order; long text is left to the description. */
function facts(listing, market, compact) {
  // Short texts (a venue, an address) are facts; long ones are left to the description.
  const fields = listingFields(market, listing.side)
    .filter((f) => (f.type !== 'text' || (f.maxLength ?? 2000) <= 300) && listing.attributes?.[f.name] !== undefined)
    .slice(0, compact ? 3 : 8);
  if (!fields.length) return null;
  return h('dl', { class: 'facts' }, fields.map((f) => h('div', { class: 'fact' },
    h('dt', {}, label(f)),
    // A compact card sits inside a link, and links must not nest.
    h('dd', {}, f.type === 'url' && !compact ? link(listing.attributes[f.name]) : formatValue(f, listing.attributes[f.name], market)))));
}

function link(url) {
  return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, url.replace(/^https?:\/\//, '').replace(/\/$/, ''));
}

const featureNames = {
  quality: 'Profile quality',
  reciprocal: 'They are likely to want you too',
  similarity: 'Similar to what you describe',
  district: 'District',
  rate: 'Pay rate',
  distance: 'Distance',
  tags: 'Your interests',
  price: 'Price',
  condition: 'Condition',
  freshness: 'Recently listed',
  sentiment: 'Their interest in you',
  time: 'Time since you last saw it',
  promotion: 'Promoted',
  learned: 'What people do',
  reciprocal: 'How well you fit what they want',
};

/** A feature's name in the viewer's words: "match.X" is the viewer's preference (or own attribute) X. */
function featureLabel(name, market, viewerSide) {
  if (name.startsWith('match.')) {
    const key = name.slice(6);
    const side = sideOf(market, viewerSide);
    const field = side?.preferences.find((f) => f.name === key) ?? side?.attributes.find((f) => f.name === key);
    return field ? label(field) : humanize(key);
  }
  return featureNames[name] ?? humanize(name);
}

/** "Why you see this": the features that scored most, then the rest on demand, then the multipliers. */
export function explanationPanel(explanation, market, viewerSide) {
  const features = [...explanation.features].sort((a, b) => b.points - a.points);
  const multipliers = explanation.multipliers.filter((m) => Math.abs(m.value - 1) > 0.001);
  // Each bar is the reason's share of the score (its points among all the points it got).
  const total = features.reduce((sum, f) => sum + Math.max(0, f.points), 0) || 1;
  const row = (term) => h('li', { class: 'reason' },
    h('span', { class: 'reason-name' }, featureLabel(term.name, market, viewerSide)),
    h('span', { class: 'bar', 'aria-hidden': 'true', title: `${Math.round((100 * Math.max(0, term.points)) / total)}% of the score` },
      h('span', { style: `width:${Math.round((100 * Math.max(0, term.points)) / total)}%` })),
    h('span', { class: 'reason-points' }, `${term.points < 0 ? '−' : '+'}${Math.abs(Math.round(term.points))}`),
    term.detail ? h('span', { class: 'reason-detail' }, term.detail) : null,
    // How it was computed (the model, the formula): for operators only.
    session.me?.isOperator && term.basis ? h('span', { class: 'reason-detail reason-basis', testid: 'reason-basis', hidden: true }, term.basis) : null);
  const shown = features.slice(0, 3);
  const rest = features.slice(3);
  const more = h('ul', { class: 'reasons', hidden: true }, rest.map(row));
  const toggle = rest.length ? h('button', {
    type: 'button',
    class: 'link-button small',
    'aria-expanded': 'false',
    onclick: (event) => {
      more.hidden = !more.hidden;
      event.currentTarget.setAttribute('aria-expanded', String(!more.hidden));
      event.currentTarget.textContent = more.hidden ? `Show ${rest.length} more` : 'Show less';
    },
  }, `Show ${rest.length} more`) : null;
  // Operators may open the arithmetic behind each reason (which model, which formula).
  const details = session.me?.isOperator && features.some((f) => f.basis) ? h('button', {
    type: 'button',
    class: 'link-button small',
    testid: 'why-details',
    'aria-pressed': 'false',
    onclick: (event) => {
      const open = event.currentTarget.getAttribute('aria-pressed') !== 'true';
      event.currentTarget.setAttribute('aria-pressed', String(open));
      event.currentTarget.closest('.card-why').querySelectorAll('.reason-basis').forEach((b) => { b.hidden = !open; });
    },
  }, 'Details') : null;
  return h('section', { class: 'card-why', testid: 'card-why', 'aria-label': 'Why you see this' },
    h('h3', {}, 'Why you see this', h('span', { class: 'score' }, `score ${Math.round(explanation.score)}`)),
    h('ul', { class: 'reasons' }, shown.map(row)),
    more,
    toggle,
    details,
    multipliers.length ? h('ul', { class: 'multipliers' }, multipliers.map((m) =>
      h('li', {}, `×${Number(m.value.toFixed(2))} `, h('span', {}, m.detail ?? featureLabel(m.name, market, viewerSide))))) : null);
}

const actionIcons = { pass: 'close', like: 'heart', superlike: 'star', undo: 'undo', save: 'bookmark' };

/** One of the round card actions: pass, like, super-like, undo or save. */
export function actionButton(kind, name, onclick, props = {}) {
  return h('button', { type: 'button', class: `swipe-button ${kind}`, 'aria-label': name, title: name, onclick, ...props }, icon(actionIcons[kind]));
}

/** In selection markets a like on a listing is a response to it. */
export function likeLabel(market, cardSide) {
  return market.matchRule === 'selection' && sideOf(market, cardSide)?.presentation === 'listings' ? 'Respond' : 'Like';
}

// What a conversation is about: the listing it was opened on (a product, a job), or the other
// person's card in a mutual market. Fetched once per listing and shared by the inbox and the chat.
import { api, enc } from './api.js';
import { h } from './dom.js';
import { getMarket, formatMoney } from './markets.js';

const listings = new Map(); // id → Promise<listing | null>

function listing(id) {
  if (!listings.has(id)) listings.set(id, api(`/v1/listings/${enc(id)}`).catch(() => null));
  return listings.get(id);
}

/** The listing a conversation is about: its own, else the other member's card; null when gone. */
export async function aboutListing(conversation, other) {
  if (conversation.listingId) return listing(conversation.listingId);
  const profile = await api(`/v1/profiles/${enc(other.profileId)}`).catch(() => null);
  return profile?.cardId ? listing(profile.cardId) : null;
}

/** The title a thread is labelled with in the inbox (the job or product), or null for a person's card. */
export async function threadLabel(conversation) {
  return conversation.listingId ? (await listing(conversation.listingId))?.title ?? null : null;
}

/** Price, or pay for a shift (rate × hours), in the market's currency. */
export function priceText(item, market) {
  if (item.price !== null && item.price !== undefined) return formatMoney(market, item.price);
  const rate = item.attributes?.hourlyRate;
  if (rate === undefined) return null;
  const hours = item.attributes?.durationHours;
  return hours ? `${formatMoney(market, rate * hours)} for ${hours} h (${formatMoney(market, rate)}/h)` : `${formatMoney(market, rate)}/h`;
}

/** The strip pinned at the top of a chat: photo, title, price or pay, and a link to the listing. */
export async function pinnedContext(conversation, other) {
  const item = await aboutListing(conversation, other);
  if (!item) return null;
  const market = await getMarket(item.market).catch(() => null);
  const cover = item.images?.[0];
  const price = market ? priceText(item, market) : null;
  return h('a', { class: 'chat-context', href: `#/listings/${item.id}`, testid: 'chat-context' },
    cover ? h('img', { src: cover.url, srcset: cover.srcset ?? '', sizes: '56px', alt: '', width: 56, height: 56 }) : null,
    h('span', { class: 'chat-context-main' },
      h('strong', { testid: 'chat-context-title' }, item.title),
      price ? h('span', { class: 'muted small', testid: 'chat-context-price' }, price) : null));
}

/** First lines to suggest in an empty chat, by what it is about. */
export function openers(market) {
  switch (market?.matchRule) {
    case 'instant': return ['Hi! Is it still available?', 'Could you do a little less?', 'When could I pick it up?'];
    case 'selection': return ['Hi! Where should I go when I arrive?', 'Is there anything I should bring?', 'Thanks for choosing me!'];
    default: return ['Hi! Great to match with you.', 'What are you working on right now?', 'Would a call next week suit you?'];
  }
}

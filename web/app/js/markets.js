// Market definitions, fetched once: every form, card and explanation is built from them.
import { api, enc } from './api.js';
import { humanize } from './dom.js';

let summaries = null;
const definitions = new Map();

export function listMarkets() {
  summaries ??= api('/v1/markets', { auth: false }).then((page) => page.items);
  return summaries;
}

export function getMarket(id) {
  if (!definitions.has(id)) {
    const loading = api(`/v1/markets/${enc(id)}`, { auth: false });
    loading.catch(() => definitions.delete(id));
    definitions.set(id, loading);
  }
  return definitions.get(id);
}

export function sideOf(market, sideId) {
  return market.sides.find((s) => s.id === sideId) ?? null;
}

/** The side whose cards a member of `side` sees: the other one, or the same one in a one-sided market. */
export function counterpartOf(market, sideId) {
  return market.sides.find((s) => s.id !== sideId) ?? sideOf(market, sideId);
}

/** The attribute schema of a listing: its side's listing attributes, or the profile attributes a card mirrors. */
export function listingFields(market, sideId) {
  const side = sideOf(market, sideId);
  if (!side) return [];
  return side.presentation === 'listings' ? side.listings?.attributes ?? [] : side.attributes;
}

export function allowedValues(market, field) {
  return field.values ?? market.valueSets?.[field.valueSet] ?? [];
}

export function label(field) {
  return field.label ?? humanize(field.name);
}

const numbers = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** A stored attribute value as text, shaped by its field type. */
export function formatValue(field, value) {
  if (value === null || value === undefined) return '';
  switch (field?.type) {
    case 'boolean':
      return value ? 'Yes' : 'No';
    case 'number':
    case 'integer':
      return numbers.format(value);
    case 'range':
      return `${numbers.format(value.min)}–${numbers.format(value.max)}`;
    case 'ratings':
      return Object.entries(value).map(([name, rating]) => `${name} ${numbers.format(rating)}`).join(', ');
    case 'geo':
      return `${value.lat.toFixed(3)}, ${value.lon.toFixed(3)}`;
    case 'dateTime':
      return new Date(value).toLocaleString();
    default:
      return Array.isArray(value) ? value.join(', ') : String(value);
  }
}

/** Whether a side can create listings of its own (jobs, products). */
export function ownsListings(market, sideId) {
  return sideOf(market, sideId)?.presentation === 'listings';
}

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

/** What a stored value is called on screen: the market's label, else the value ("notSpecified" spelled out). */
export function valueLabel(market, value) {
  const named = market?.valueLabels?.[value];
  if (named) return named;
  return typeof value === 'string' && /[a-z][A-Z]/.test(value) ? humanize(value) : String(value);
}

const moneyFormats = new Map();

/** An amount in the market's currency ("HK$120"), or a plain number where the market names none. */
export function formatMoney(market, amount) {
  const currency = market?.currency ?? '';
  if (!moneyFormats.has(currency)) {
    moneyFormats.set(currency, currency
      ? new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: amount % 1 === 0 ? 0 : 2 })
      : numbers);
  }
  return moneyFormats.get(currency).format(amount);
}

/** A stored attribute value as text, shaped by its field type (value labels from the market). */
export function formatValue(field, value, market = null) {
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
      return Object.entries(value).map(([name, rating]) => `${valueLabel(market, name)} ${numbers.format(rating)}`).join(', ');
    case 'geo':
      return placeName(market, value) ?? `${value.lat.toFixed(3)}, ${value.lon.toFixed(3)}`;
    case 'dateTime':
      return new Date(value).toLocaleString();
    case 'date':
      // A calendar day, not a moment: read as local noon so no time zone moves it to another day.
      return new Date(`${value}T12:00:00`).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
    case 'category':
    case 'categories':
    case 'rankedCategories':
      return Array.isArray(value) ? value.map((v) => valueLabel(market, v)).join(', ') : valueLabel(market, value);
    default:
      return Array.isArray(value) ? value.join(', ') : String(value);
  }
}

/** "Near Mong Kok": the market's closest named place within 5 km of a point, or null. */
export function placeName(market, point) {
  let best = null;
  let bestKm = 5;
  for (const place of market?.places ?? []) {
    // Equirectangular distance: exact enough within a city.
    const x = (place.lon - point.lon) * Math.cos(((place.lat + point.lat) / 2) * (Math.PI / 180));
    const km = Math.hypot(x, place.lat - point.lat) * 111.32;
    if (km < bestKm) [best, bestKm] = [place, km];
  }
  if (!best) return null;
  return bestKm < 0.1 ? best.name : `Near ${best.name}`;
}

/** Whether a side can create listings of its own (jobs, products). */
export function ownsListings(market, sideId) {
  return sideOf(market, sideId)?.presentation === 'listings';
}

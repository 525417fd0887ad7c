// A place picker: the market's named places (a district, a town), "use my location", and the
// point already stored when it is neither. Nobody types latitude and longitude.
import { h, icon } from './dom.js';

const fixed = (n) => Number(n).toFixed(4);

/** {element, read}: read() gives {lat, lon}, or undefined when nothing is chosen. */
export function placePicker(market, value, { testid } = {}) {
  const places = market.places ?? [];
  const points = new Map(places.map((p) => [p.name, { lat: p.lat, lon: p.lon }]));
  const select = h('select', { testid });
  const option = (key, text) => h('option', { value: key }, text);
  select.append(option('', 'Choose a place'), ...places.map((p) => option(p.name, p.name)));
  const closest = (point) => places.find((p) => Math.abs(p.lat - point.lat) < 0.0005 && Math.abs(p.lon - point.lon) < 0.0005);
  const custom = (point, text) => {
    select.querySelector('option[value="custom"]')?.remove();
    points.set('custom', point);
    select.append(option('custom', text));
    select.value = 'custom';
  };
  if (value && value.lat !== undefined && value.lon !== undefined) {
    const named = closest(value);
    if (named) select.value = named.name;
    else custom({ lat: value.lat, lon: value.lon }, `The point on file (${fixed(value.lat)}, ${fixed(value.lon)})`);
  }
  const status = h('span', { class: 'muted small', 'aria-live': 'polite' });
  const locate = navigator.geolocation ? h('button', {
    type: 'button',
    class: 'button ghost small',
    onclick: () => {
      status.textContent = 'Finding you…';
      navigator.geolocation.getCurrentPosition((position) => {
        custom({ lat: Number(fixed(position.coords.latitude)), lon: Number(fixed(position.coords.longitude)) }, 'My location');
        status.textContent = '';
        select.dispatchEvent(new Event('change', { bubbles: true }));
      }, () => { status.textContent = 'Your location is not available; choose a place.'; });
    },
  }, icon('location'), 'Use my location') : null;
  const element = h('div', { class: 'place-picker' }, select, locate, status);
  return { element, read: () => (select.value ? points.get(select.value) : undefined), select };
}

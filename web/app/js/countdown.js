// "Closes in 12 min": a line that counts down to a moment and stops updating once it leaves the page.
import { h } from './dom.js';

function left(until) {
  const ms = new Date(until).getTime() - Date.now();
  if (ms <= 0) return null;
  const minutes = Math.ceil(ms / 60000);
  return minutes >= 120 ? `${Math.round(minutes / 60)} h` : minutes > 1 ? `${minutes} min` : `${Math.max(1, Math.ceil(ms / 1000))} s`;
}

export function countdown(until, label) {
  const line = h('p', { class: 'countdown', testid: 'countdown', role: 'timer' });
  const draw = () => {
    const rest = left(until);
    line.textContent = rest ? `${label} in ${rest}` : `${label}: closed`;
    return rest;
  };
  draw();
  const timer = setInterval(() => {
    if (!line.isConnected && line.dataset.drawn) clearInterval(timer);
    line.dataset.drawn = '1';
    if (!draw()) clearInterval(timer);
  }, 1000);
  return line;
}

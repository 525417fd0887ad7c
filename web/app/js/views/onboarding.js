// Choosing a market and a side, and the profile form generated from that side's schema.
// #/onboarding walks through all three steps; #/profile edits the current profile.
import { api, enc } from '../api.js';
import { h, mount } from '../dom.js';
import { field, formError, schemaFields, showProblem, clearProblem, busy } from '../forms.js';
import { listMarkets, getMarket, sideOf } from '../markets.js';
import { navigate } from '../router.js';
import { session, setMe, currentProfile, setCurrentProfile } from '../session.js';
import { toast, toastError } from '../ui.js';
import { ownProfileSocial } from '../social.js';
import { imageManager } from './images.js';

export function show(main, params, route) {
  if (route.path === '/profile') showProfile(main);
  else showOnboarding(main);
}

async function showOnboarding(main) {
  const marketStep = h('div', { class: 'options', role: 'group', 'aria-label': 'Markets' });
  const sideStep = h('section', { class: 'step', hidden: true, 'aria-labelledby': 'side-heading' });
  const formStep = h('section', { class: 'step', hidden: true });
  mount(main, h('div', { class: 'page narrow' },
    h('h1', {}, session.me?.profiles.length ? 'Add a profile' : 'Welcome! Where do you want to match?'),
    h('p', { class: 'muted' }, 'Pick a market, then the side you are on. You can hold a profile on any side of any market.'),
    h('section', { class: 'step', 'aria-labelledby': 'market-heading' }, h('h2', { id: 'market-heading' }, '1. Market'), marketStep),
    sideStep,
    formStep));

  let markets;
  try {
    markets = await listMarkets();
  } catch (error) {
    toastError(error);
    return;
  }
  const choose = (buttons, chosen) => buttons.forEach((b) => b.setAttribute('aria-pressed', String(b === chosen)));

  const pickSide = async (summary, side, button, buttons) => {
    choose(buttons, button);
    formStep.hidden = false;
    mount(formStep, h('p', { class: 'muted' }, 'Loading the form…'));
    try {
      const market = await getMarket(summary.id);
      const existing = await ownProfile(summary.id, side.id);
      mount(formStep, h('h2', {}, existing ? `3. Edit your ${side.name.toLowerCase()} profile` : `3. Your ${side.name.toLowerCase()} profile`),
        profileForm(market, sideOf(market, side.id), existing));
    } catch (error) {
      toastError(error);
    }
  };

  const pickMarket = (summary, button, buttons) => {
    choose(buttons, button);
    sideStep.hidden = false;
    formStep.hidden = true;
    const sideButtons = summary.sides.map((side) => {
      const mine = session.me?.profiles.some((p) => p.market === summary.id && p.side === side.id);
      return h('button', {
        type: 'button',
        class: 'option',
        testid: `side-option-${side.id}`,
        'aria-pressed': 'false',
        onclick: (event) => pickSide(summary, side, event.currentTarget, sideButtons),
      }, h('strong', {}, side.name), h('span', { class: 'muted' }, mine ? 'You have this profile: edit it' : sideHint(side)));
    });
    mount(sideStep, h('h2', { id: 'side-heading' }, '2. You are…'), h('div', { class: 'options', role: 'group', 'aria-label': 'Sides' }, sideButtons));
    // A one-sided market (people meet people) has nothing to choose: go straight to the form.
    if (sideButtons.length === 1) pickSide(summary, summary.sides[0], sideButtons[0], sideButtons);
  };

  const marketButtons = markets.map((summary) => h('button', {
    type: 'button',
    class: 'option',
    testid: `market-option-${summary.id}`,
    'aria-pressed': 'false',
    onclick: (event) => pickMarket(summary, event.currentTarget, marketButtons),
  }, h('strong', {}, summary.name), h('span', { class: 'muted' }, summary.description ?? '')));
  mount(marketStep, marketButtons);
}

function sideHint(side) {
  return { card: 'Shown to the other side as a card.', listings: 'You post listings.', none: 'You browse and pick.' }[side.presentation] ?? '';
}

/** My profile on a side, or null; asks only when the account says there is one. */
async function ownProfile(market, side) {
  if (!session.me?.profiles.some((p) => p.market === market && p.side === side)) return null;
  try {
    return await api(`/v1/markets/${enc(market)}/profiles/${enc(side)}/me`);
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

async function showProfile(main) {
  const current = currentProfile();
  mount(main, h('div', { class: 'page narrow' }, h('p', { class: 'muted' }, 'Loading your profile…')));
  try {
    const [market, profile] = await Promise.all([getMarket(current.market), ownProfile(current.market, current.side)]);
    const side = sideOf(market, current.side);
    mount(main, h('div', { class: 'page narrow' },
      h('div', { class: 'page-head' },
        h('h1', {}, `Your ${side.name.toLowerCase()} profile`),
        h('a', { class: 'button ghost small', href: '#/onboarding' }, '+ Add a profile')),
      h('p', { class: 'muted' }, `${market.name}. ${account()}`),
      profile ? profilePhoto(market, side, profile) : null,
      profile ? ownProfileSocial(profile.id) : null,
      profile && market.matchRule === 'instant' && side.presentation === 'listings' ? shopVerification() : null,
      profile?.cardId ? cardPhotos(profile.cardId) : null,
      profileForm(market, side, profile)));
  } catch (error) {
    toastError(error);
  }
}

function account() {
  const me = session.me;
  return me ? `Signed in as ${me.email}${me.emailVerified ? '' : ' (not verified yet)'}.` : '';
}

/** The profile's own photo (a face, a shop's logo): shown beside the name wherever others see the profile. */
function profilePhoto(market, side, profile) {
  const section = h('section', { class: 'panel', testid: 'profile-photo' });
  const draw = (current) => {
    const input = h('input', { type: 'file', accept: 'image/png,image/jpeg,image/webp', id: `photo-${current.id}`, class: 'visually-hidden', testid: 'profile-photo-input' });
    input.addEventListener('change', async () => {
      const form = new FormData();
      form.append('file', input.files[0]);
      try {
        draw(await api(`/v1/markets/${enc(market.id)}/profiles/${enc(side.id)}/photo`, { method: 'PUT', form }));
        toast('Photo saved.');
      } catch (error) {
        toastError(error);
      }
    });
    mount(section, h('h2', {}, 'Profile photo'),
      current.photo
        ? h('img', { class: 'profile-photo', src: current.photo.url, srcset: current.photo.srcset, sizes: '96px', alt: 'Your profile photo', width: 96, height: 96 })
        : h('p', { class: 'muted' }, 'No photo yet. Profiles with a photo are trusted more.'),
      h('div', { class: 'upload' }, h('label', { for: input.id, class: 'button ghost small' }, current.photo ? 'Change photo' : 'Add a photo'), input,
        h('span', { class: 'field-hint' }, 'PNG, JPEG or WebP, up to 10 MB. Location and camera data are removed.')));
  };
  draw(profile);
  return section;
}

/** Sellers: ask to be shown as a verified shop (a registration number and a photo of the certificate, checked by an operator). */
function shopVerification() {
  if (session.me?.verifiedShop) {
    return h('section', { class: 'panel', testid: 'shop-verification' }, h('h2', {}, 'Verified shop'), h('p', {}, 'Your shop is verified: buyers see the badge.'));
  }
  const number = h('input', { type: 'text', maxLength: 40, autocomplete: 'off' });
  const file = h('input', { type: 'file', accept: 'image/png,image/jpeg,image/webp' });
  const form = h('form', { class: 'stack', novalidate: true },
    field({ label: 'Business registration number', control: number, errorKey: 'registrationNumber' }),
    field({ label: 'Photo or scan of the certificate', control: file, errorKey: 'file', hint: 'Only our team sees it.' }),
    formError(),
    h('button', { type: 'submit', class: 'button ghost' }, 'Ask for verification'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblem(form);
    const body = new FormData();
    body.append('registrationNumber', number.value.trim());
    if (file.files[0]) body.append('file', file.files[0]);
    await busy(form, async () => {
      try {
        await api('/v1/me/shop-verification', { method: 'POST', form: body });
        toast('Sent. Our team will check it; the badge appears once it is approved.');
        form.reset();
      } catch (error) {
        showProblem(form, error);
      }
    });
  });
  return h('section', { class: 'panel', testid: 'shop-verification' }, h('h2', {}, 'Verified shop'),
    h('p', { class: 'muted' }, 'Buyers trust verified shops more.'), form);
}

/** Photos on the profile's card: the card is a listing, so it takes images like any listing. */
function cardPhotos(cardId) {
  const section = h('section', { class: 'panel' }, h('h2', {}, 'Photos'), h('p', { class: 'muted' }, 'Loading…'));
  api(`/v1/listings/${enc(cardId)}`)
    .then((card) => mount(section, h('h2', {}, 'Photos'), h('p', { class: 'muted' }, 'The first photo is the cover of your card.'), imageManager(card)))
    .catch(toastError);
  return section;
}

function profileForm(market, side, existing) {
  const name = h('input', {
    type: 'text',
    testid: 'profile-display-name',
    maxLength: 80,
    autocomplete: 'nickname',
    value: existing?.displayName ?? session.me?.displayName ?? '',
  });
  const meter = h('progress', { max: 100, value: 0, id: `completeness-${market.id}-${side.id}` });
  const meterText = h('span', { class: 'meter-text' });
  const update = () => {
    const total = attributes.count + preferences.count;
    const percent = total ? Math.round(((attributes.filled() + preferences.filled()) / total) * 100) : 100;
    meter.value = percent;
    meterText.textContent = `${percent}% complete`;
  };
  const attributes = schemaFields(market, side.attributes, 'attributes', existing?.attributes, update);
  const preferences = schemaFields(market, side.preferences, 'preferences', existing?.preferences, update);
  const form = h('form', { class: 'stack profile-form', testid: 'profile-form', novalidate: true },
    h('div', { class: 'completeness' }, h('label', { for: meter.id }, 'Profile completeness'), meter, meterText,
      h('p', { class: 'field-hint' }, 'Fuller profiles rank higher in other people\u2019s feeds.')),
    field({ label: 'Display name', control: name, errorKey: 'displayName', hint: 'How others see you. Leave as is to use your account name.' }),
    side.attributes.length ? h('fieldset', { class: 'group' }, h('legend', {}, 'About you'), attributes.elements) : null,
    side.preferences.length ? h('fieldset', { class: 'group' }, h('legend', {}, 'What you are looking for'), preferences.elements) : null,
    formError(),
    h('div', { class: 'form-actions sticky' },
      h('button', { type: 'submit', class: 'button primary wide', testid: 'profile-save' }, existing ? 'Save profile' : 'Create profile')));
  update();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblem(form);
    await busy(form, async () => {
      try {
        const saved = await api(`/v1/markets/${enc(market.id)}/profiles/${enc(side.id)}`, {
          method: 'PUT',
          body: { displayName: name.value.trim() || null, attributes: attributes.read(), preferences: preferences.read() },
        });
        setMe(await api('/v1/me'));
        setCurrentProfile(market.id, side.id);
        toast(`Profile saved: ${Math.round(saved.completeness * 100)}% complete.`);
        navigate('/deck');
      } catch (error) {
        showProblem(form, error);
      }
    });
  });
  return form;
}

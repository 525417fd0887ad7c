// Log in, sign up, and verify the e-mail address (as a page, or compact inside the banner).
import { api } from '../api.js';
import { h, mount } from '../dom.js';
import { field, formError, showProblem, clearProblem, busy } from '../forms.js';
import { navigate } from '../router.js';
import { session, setMe, currentProfile } from '../session.js';
import { toast } from '../ui.js';
import { signedIn } from '../app.js';

export function show(main, params, route) {
  const page = { '/login': logIn, '/signup': signUp, '/verify': verifyPage }[route.path]();
  mount(main, h('div', { class: 'auth-page' }, page));
  page.querySelector('input')?.focus();
}

function input(testid, props) {
  return h('input', { testid, required: true, ...props });
}

function authCard(title, subtitle, form, footer) {
  return h('section', { class: 'auth-card' },
    h('div', { class: 'brand big', 'aria-hidden': 'true' }, h('span', { class: 'brand-mark' }), h('span', { class: 'brand-name' }, 'Pairwise')),
    h('h1', {}, title),
    h('p', { class: 'muted' }, subtitle),
    signInError(),
    form,
    providerButtons(),
    h('p', { class: 'auth-switch' }, footer));
}

const errors = {
  link_required: 'An account with that e-mail address already exists. Log in with your password, then link this sign-in from Account.',
  linked_elsewhere: 'That sign-in belongs to another account.',
  disabled: 'This account is disabled.',
  failed: 'The sign-in did not complete. Please try again.',
};

/** The message an identity provider's sign-in came back with (#/login?error=…), if any. */
function signInError() {
  const code = new URLSearchParams(location.hash.split('?')[1] ?? '').get('error');
  return code ? h('p', { class: 'form-error', role: 'alert', testid: 'signin-error' }, errors[code] ?? errors.failed) : '';
}

/** "Continue with …" for each configured identity provider; nothing when there are none. */
function providerButtons() {
  const box = h('div', { class: 'stack providers', testid: 'providers' });
  api('/v1/auth/oidc', { auth: false }).then(({ items }) => {
    if (!items.length) return;
    mount(box, h('p', { class: 'muted divider' }, 'or'),
      items.map((p) => h('a', { class: 'button wide', href: `${p.startUrl}?returnUrl=%2F`, testid: `continue-${p.name}` }, `Continue with ${p.displayName}`)));
  }).catch(() => {});
  return box;
}

function logIn() {
  const email = input('login-email', { type: 'email', name: 'email', autocomplete: 'username' });
  const password = input('login-password', { type: 'password', name: 'password', autocomplete: 'current-password' });
  const form = h('form', { class: 'stack', novalidate: true },
    field({ label: 'E-mail', control: email, errorKey: 'email' }),
    field({ label: 'Password', control: password, errorKey: 'password' }),
    formError(),
    h('button', { type: 'submit', class: 'button primary wide', testid: 'login-submit' }, 'Log in'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit(form, () => api('/v1/auth/login', { method: 'POST', auth: false, body: { email: email.value.trim(), password: password.value } }));
  });
  return authCard('Welcome back', 'Log in to see who is waiting for you.', form,
    ['New here? ', h('a', { href: '#/signup', testid: 'show-signup' }, 'Create an account')]);
}

function signUp() {
  const name = input('signup-name', { type: 'text', name: 'displayName', autocomplete: 'name', maxLength: 80 });
  const email = input('signup-email', { type: 'email', name: 'email', autocomplete: 'email' });
  const password = input('signup-password', { type: 'password', name: 'password', autocomplete: 'new-password', minLength: 8 });
  const form = h('form', { class: 'stack', novalidate: true },
    field({ label: 'Your name', control: name, errorKey: 'displayName' }),
    field({ label: 'E-mail', control: email, errorKey: 'email' }),
    field({ label: 'Password', control: password, errorKey: 'password', hint: 'At least 8 characters; a phrase is best.' }),
    formError(),
    h('button', { type: 'submit', class: 'button primary wide', testid: 'signup-submit' }, 'Create account'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit(form, () => api('/v1/auth/signup', {
      method: 'POST',
      auth: false,
      body: { email: email.value.trim(), password: password.value, displayName: name.value.trim() },
    }));
  });
  return authCard('Create your account', 'One account for every market this platform runs: investors, shifts, bargains and more.', form,
    ['Already have an account? ', h('a', { href: '#/login', testid: 'show-login' }, 'Log in')]);
}

async function submit(form, request) {
  clearProblem(form);
  await busy(form, async () => {
    try {
      await signedIn(await request());
    } catch (error) {
      showProblem(form, error);
    }
  });
}

function verifyPage() {
  const done = () => navigate(currentProfile() ? '/deck' : '/onboarding');
  const page = authCard('Verify your e-mail', `We sent a six-digit code to ${session.me?.email ?? 'your address'}.`,
    verifyForm({ onVerified: done }),
    [h('a', { href: currentProfile() ? '#/deck' : '#/onboarding' }, 'Do it later')]);
  if (session.me?.emailVerified) {
    page.querySelector('form').replaceWith(h('p', { class: 'success' }, 'Your address is verified.'));
  }
  return page;
}

/** The code form; `compact` is the banner's one-line version. */
export function verifyForm({ compact = false, onVerified } = {}) {
  const code = h('input', {
    testid: 'verify-code',
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    pattern: '[0-9]{6}',
    maxLength: 6,
    placeholder: '123456',
    required: true,
  });
  const error = formError();
  // The banner and a page form may both be on screen; only the page's alert keeps the shared hook.
  if (compact) error.dataset.testid = 'verify-error';
  const resend = h('button', {
    type: 'button',
    class: 'link-button',
    onclick: async () => {
      try {
        await api('/v1/auth/email/resend', { method: 'POST' });
        toast('A new code is on its way.');
      } catch (failure) {
        showProblem(form, failure);
      }
    },
  }, 'Send a new code');
  const form = h('form', { class: compact ? 'verify-inline' : 'stack', novalidate: true },
    compact ? h('p', { class: 'banner-text' }, h('strong', {}, 'Verify your e-mail. '),
      h('span', { class: 'banner-more' }, `Enter the code we sent to ${session.me?.email ?? 'you'}.`)) : null,
    field({ label: 'Verification code', control: code, errorKey: 'code', className: compact ? 'inline' : '' }),
    h('button', { type: 'submit', class: `button primary ${compact ? 'small' : 'wide'}`, testid: 'verify-submit' }, 'Verify'),
    resend,
    error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblem(form);
    await busy(form, async () => {
      try {
        setMe(await api('/v1/auth/email/verify', { method: 'POST', body: { code: code.value.trim() } }));
        toast('Your e-mail address is verified.');
        onVerified?.();
      } catch (failure) {
        showProblem(form, failure);
      }
    });
  });
  return form;
}

// The post composer: text, an optional link and up to four images, as one of my profiles. The post
// is handed back as soon as it exists, and again once its images are up.
import { api, enc } from '../api.js';
import { h, mount, iconButton, icon } from '../dom.js';
import { field, formError, showProblem, clearProblem, busy } from '../forms.js';
import { listMarkets } from '../markets.js';
import { session, currentProfile } from '../session.js';
import { toast, toastError } from '../ui.js';

const MAX_IMAGES = 4;
const MAX_TEXT = 3000;

/** onPosted(post) runs when the post is created and again with each image added. */
export function composer({ onPosted }) {
  const profiles = session.me?.profiles ?? [];
  if (!profiles.length) {
    return h('p', { class: 'muted' }, 'To post, ', h('a', { href: '#/onboarding' }, 'create a profile'), ' first: posts are published as one of your profiles.');
  }
  const current = currentProfile();
  const author = h('select', { testid: 'post-profile' },
    profiles.map((p) => h('option', { value: p.id, selected: p.id === current?.id }, p.displayName)));
  // The same name may stand for profiles in two markets: say which.
  listMarkets().then((markets) => {
    const names = new Map(markets.map((m) => [m.id, m]));
    [...author.options].forEach((option, i) => {
      const p = profiles[i];
      const market = names.get(p.market);
      const side = market?.sides.find((s) => s.id === p.side)?.name ?? p.side;
      option.textContent = `${p.displayName} · ${market?.name ?? p.market} ${side.toLowerCase()}`;
    });
  }, () => {});

  const text = h('textarea', { rows: 2, maxLength: MAX_TEXT, testid: 'post-text-input', placeholder: 'News, a launch, a question…' });
  const link = h('input', { type: 'url', inputMode: 'url', placeholder: 'https://', testid: 'post-link-input' });
  const left = h('span', { class: 'field-hint', 'aria-live': 'polite' });
  const files = h('input', { type: 'file', accept: 'image/png,image/jpeg,image/webp', multiple: true, class: 'visually-hidden', testid: 'post-image-input', id: 'post-images' });
  const previews = h('ul', { class: 'thumbs', 'aria-label': 'Images to post' });
  const addImages = h('label', { for: files.id, class: 'button ghost small', title: `Up to ${MAX_IMAGES}: PNG, JPEG or WebP` }, icon('image'), 'Images');
  // The link field stays out of the way until asked for.
  const linkField = field({ label: 'Link', control: link, errorKey: 'link' });
  const addLink = h('button', { type: 'button', class: 'button ghost small', testid: 'post-add-link', 'aria-expanded': 'false', 'aria-controls': link.id }, icon('link'), 'Link');
  const showLink = (shown) => {
    linkField.hidden = !shown;
    addLink.setAttribute('aria-expanded', String(shown));
  };
  addLink.addEventListener('click', () => {
    showLink(linkField.hidden);
    if (!linkField.hidden) link.focus();
  });
  showLink(false);
  let chosen = []; // { file, url }

  const drawPreviews = () => {
    mount(previews, chosen.map((c, i) => h('li', { class: 'thumb' },
      h('img', { src: c.url, alt: `Image ${i + 1}: ${c.file.name}`, width: 96, height: 96 }),
      iconButton('close', `Remove image ${i + 1}`, { class: 'small overlay', onclick: () => { URL.revokeObjectURL(c.url); chosen.splice(i, 1); drawPreviews(); } }))));
    addImages.hidden = chosen.length >= MAX_IMAGES;
  };
  files.addEventListener('change', () => {
    const room = MAX_IMAGES - chosen.length;
    const picked = [...files.files];
    if (picked.length > room) toast(`A post holds at most ${MAX_IMAGES} images: the first ${room} were added.`);
    chosen.push(...picked.slice(0, room).map((file) => ({ file, url: URL.createObjectURL(file) })));
    files.value = '';
    drawPreviews();
  });
  const count = () => {
    const remaining = MAX_TEXT - text.value.length;
    left.textContent = remaining < 200 ? `${remaining} characters left` : '';
  };
  text.addEventListener('input', count);

  const form = h('form', { class: 'panel composer-form stack', testid: 'post-composer', 'aria-label': 'New post', novalidate: true },
    profiles.length > 1 ? field({ label: 'Post as', control: author, errorKey: 'profileId' })
      : h('p', { class: 'muted small' }, `Posting as ${profiles[0].displayName}`),
    field({ label: 'New post', control: text, errorKey: 'text', className: 'post-text-field' }),
    left,
    linkField,
    previews,
    formError(),
    h('div', { class: 'composer-tools' }, addLink, addImages, files,
      h('button', { type: 'submit', class: 'button primary small', testid: 'post-submit' }, 'Post')));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearProblem(form);
    busy(form, async () => {
      let post;
      try {
        post = await api('/v1/posts', { method: 'POST', body: { profileId: author.value, text: text.value.trim(), link: link.value.trim() || null } });
      } catch (error) {
        if (error.errors?.link) showLink(true);
        showProblem(form, error);
        return;
      }
      onPosted(post);
      const uploads = chosen;
      chosen = [];
      form.reset();
      showLink(false);
      drawPreviews();
      count();
      for (const { file } of uploads) {
        const data = new FormData();
        data.append('file', file);
        try {
          post = await api(`/v1/posts/${enc(post.id)}/images`, { method: 'POST', form: data });
          onPosted(post);
        } catch (error) {
          toastError(error);
          break;
        }
      }
      uploads.forEach((c) => URL.revokeObjectURL(c.url));
      toast('Posted: it is in your followers’ feeds now.');
    });
  });
  return form;
}

// A listing's images: thumbnails with remove buttons, and an upload input (multipart field "file").
import { api, enc } from '../api.js';
import { h, mount, iconButton } from '../dom.js';
import { toast, toastError } from '../ui.js';

export function imageManager(listing, { max = 5 } = {}) {
  const root = h('div', { class: 'images' });
  let current = listing;

  const draw = () => {
    const input = h('input', {
      type: 'file', accept: 'image/png,image/jpeg,image/webp', multiple: true, testid: 'listing-image-input', id: `images-${current.id}`, class: 'visually-hidden',
    });
    input.addEventListener('change', () => upload([...input.files]));
    const full = current.images.length >= max;
    mount(root,
      h('ul', { class: 'thumbs', 'aria-label': 'Images' }, current.images.map((image, i) => h('li', { class: 'thumb' },
        h('img', { src: image.url, alt: `Image ${i + 1} of ${current.images.length}`, testid: 'listing-image', width: 96, height: 96, loading: 'lazy' }),
        iconButton('trash', `Remove image ${i + 1}`, { class: 'small overlay', onclick: () => remove(image) })))),
      full ? h('p', { class: 'field-hint' }, `That is the most images allowed (${max}).`)
        : h('div', { class: 'upload' }, h('label', { for: input.id, class: 'button ghost small' }, 'Add images'), input,
          h('span', { class: 'field-hint' }, 'PNG, JPEG or WebP, up to 10 MB each.')));
  };

  const upload = async (files) => {
    let added = 0;
    for (const file of files) {
      const form = new FormData();
      form.append('file', file);
      try {
        current = await api(`/v1/listings/${enc(current.id)}/images`, { method: 'POST', form });
        added += 1;
        draw();
      } catch (error) {
        toastError(error);
        break;
      }
    }
    if (added) toast(added === 1 ? 'Image added.' : `${added} images added.`);
  };

  const remove = async (image) => {
    try {
      await api(`/v1/listings/${enc(current.id)}/images/${enc(image.id)}`, { method: 'DELETE' });
      current = { ...current, images: current.images.filter((i) => i.id !== image.id) };
      draw();
    } catch (error) {
      toastError(error);
    }
  };

  draw();
  return root;
}

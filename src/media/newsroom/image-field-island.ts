// The image field island: a media library image field (image-field.tsx) gets "Choose…" and
// "Remove" buttons. "Choose…" opens a modal dialog to search the library, page on with "More
// images", or upload a new image with a progress bar (the shared LibraryBrowser); "Use this image"
// fills the number field and the thumbnail beside it. The number field stays, so typing an id
// still works, and the form submits exactly as it does without this script.
import { LibraryBrowser, thumbnail, type LibraryBrowserParts } from './library-browser.ts';
import type { PickerImage } from './picker-image.ts';

const ACCEPT = 'image/jpeg,image/png,image/webp,image/avif,image/gif';

function mount(field: HTMLElement): void {
  const name = field.dataset.imageField ?? '';
  const input = field.querySelector<HTMLInputElement>(`input[name="${name}"]`);
  const preview = field.querySelector<HTMLElement>('[data-image-field-preview]');
  const actions = field.querySelector<HTMLElement>('[data-image-field-actions]');
  const chooseButton = field.querySelector<HTMLButtonElement>('[data-image-field-choose]');
  const removeButton = field.querySelector<HTMLButtonElement>('[data-image-field-remove]');
  if (!input || !preview || !actions || !chooseButton || !removeButton) return;
  const what = field.dataset.imageWhat || 'image';
  const altRequired = field.dataset.altRequired === 'true';
  const csrfToken = field.closest('form')?.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '';

  const setValue = (value: string) => {
    input.value = value;
    // Listeners on the form (the story editor's autosave) learn of the change as if it were typed.
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  };
  const showRemove = () => {
    removeButton.hidden = input.value.trim() === '';
  };
  actions.hidden = false;
  showRemove();
  // A typed number the preview does not show: drop the thumbnail rather than show the wrong image.
  input.addEventListener('input', () => {
    if (preview.dataset.imageId !== input.value.trim()) preview.hidden = true;
    showRemove();
  });

  removeButton.addEventListener('click', () => {
    setValue('');
    preview.hidden = true;
    preview.dataset.imageId = '';
    preview.replaceChildren();
    chooseButton.focus();
  });

  let dialog: LibraryDialog | undefined;
  chooseButton.addEventListener('click', () => {
    dialog ??= libraryDialog(name, what, field, { csrfToken, altRequired }, (image) => {
      setValue(String(image.id));
      preview.replaceChildren(thumbnail(image), describe(image, altRequired));
      preview.dataset.imageId = String(image.id);
      preview.hidden = false;
    });
    const current = Number(input.value.trim());
    dialog.open(Number.isInteger(current) && current > 0 ? current : undefined, chooseButton);
  });
}

function describe(image: PickerImage, altRequired: boolean): HTMLSpanElement {
  const text = document.createElement('span');
  text.textContent = `${image.filename}${altRequired && !image.alt ? ' · needs alt text before publishing' : ''}`;
  return text;
}

interface LibraryDialog {
  open(currentId: number | undefined, returnFocus: HTMLElement): void;
}

/**
 * The library in a modal <dialog>: focus stays inside while it is open, Escape or "Cancel" closes
 * it, and focus goes back to the button that opened it. It is placed after the form, not in it, so
 * typing a search is not a change to the form.
 */
function libraryDialog(
  name: string,
  what: string,
  field: HTMLElement,
  options: { csrfToken: string; altRequired: boolean },
  onUse: (image: PickerImage) => void,
): LibraryDialog {
  const id = (part: string) => `${name}-library-${part}`;
  const dialog = document.createElement('dialog');
  dialog.className = 'image-dialog';
  dialog.setAttribute('aria-labelledby', id('title'));
  dialog.dataset.imageDialog = name;

  const title = element('h2', { id: id('title') }, `Choose the ${what}`);
  const search = element('input', { id: id('search'), type: 'search' });
  const results = element('ul', { class: 'image-results', 'aria-label': 'Media library images' });
  const more = element('button', { type: 'button', class: 'quiet' }, 'More images');
  more.hidden = true;
  const upload = element('input', { id: id('upload'), type: 'file', accept: ACCEPT });
  const progress = element('progress', { max: '1', 'aria-label': 'Upload progress' });
  progress.hidden = true;
  const message = element('p', { class: 'image-message', 'aria-live': 'polite' });
  const use = element('button', { type: 'button' }, 'Use this image');
  const cancel = element('button', { type: 'button', class: 'quiet' }, 'Cancel');
  const buttons = wrap(use, cancel);
  buttons.className = 'actions';
  dialog.append(
    title,
    wrap(element('label', { for: id('search') }, 'Find an image in the media library'), search),
    results,
    more,
    wrap(element('label', { for: id('upload') }, 'Or upload a new image'), upload, progress),
    message,
    buttons,
  );
  (field.closest('form') ?? field).after(dialog);

  const parts: LibraryBrowserParts = { search, results, more, upload, progress, message };
  const library = new LibraryBrowser(parts, { csrfToken: options.csrfToken, altRequired: options.altRequired });
  let returnTo: HTMLElement | undefined;
  dialog.addEventListener('close', () => returnTo?.focus());
  cancel.addEventListener('click', () => dialog.close());
  use.addEventListener('click', () => {
    if (!library.chosen) {
      library.say('Choose an image from the list, or upload one, first.');
      return;
    }
    onUse(library.chosen);
    dialog.close();
  });

  return {
    open(currentId, returnFocus) {
      returnTo = returnFocus;
      dialog.showModal();
      search.focus();
      void library.reset(currentId);
    },
  };
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string>, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

function wrap(...children: HTMLElement[]): HTMLDivElement {
  const div = document.createElement('div');
  div.append(...children);
  return div;
}

for (const field of document.querySelectorAll<HTMLElement>('[data-image-field]')) mount(field);

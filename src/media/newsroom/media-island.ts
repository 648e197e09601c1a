// The media library's island: the upload form, when scripts run, uploads with progress instead of
// reloading the page. "Uploading… 42 %" while the bytes travel, "Processing…" while the server makes
// the variants, then the new image at the top of the list with focus on its link (the way to its
// alt text). Refusals go to the form's alert region. Markup contract: media-screens.tsx.
import { uploadImage } from './upload-client.ts';
import type { PickerImage } from './picker-image.ts';

function start(form: HTMLFormElement): void {
  const input = form.querySelector<HTMLInputElement>('input[type="file"][name="file"]');
  const csrf = form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '';
  const progress = form.querySelector<HTMLProgressElement>('[data-upload-progress]');
  const status = form.querySelector<HTMLElement>('[data-upload-status]');
  const errors = form.querySelector<HTMLElement>('[data-upload-errors]');
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  if (!input || !progress || !status || !errors || !button) return;

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const file = input.files?.[0];
    errors.replaceChildren();
    if (!file) {
      showErrors(errors, input, ['Choose an image to upload.']);
      return;
    }
    void send(file);
  });

  async function send(file: File): Promise<void> {
    button!.disabled = true;
    input!.removeAttribute('aria-invalid');
    progress!.hidden = false;
    progress!.value = 0;
    // The bar moves with every percent; the text (a polite status, read out) every tenth.
    let announced = 0;
    status!.textContent = 'Uploading… 0 %';
    const result = await uploadImage(file, csrf, (fraction) => {
      if (fraction >= 1) {
        progress!.removeAttribute('value'); // indeterminate: the server is at work
        status!.textContent = 'Processing…';
        return;
      }
      const percent = Math.floor(fraction * 100);
      progress!.value = percent;
      if (percent - announced >= 10) {
        announced = percent;
        status!.textContent = `Uploading… ${percent} %`;
      }
    });
    button!.disabled = false;
    progress!.hidden = true;
    if (!result.ok) {
      status!.textContent = '';
      showErrors(errors!, input!, result.errors.map((e) => e.message));
      return;
    }
    input!.value = '';
    status!.textContent = `Uploaded “${result.image.filename}”.`;
    const link = addToList(result.image);
    link?.focus();
  }
}

function showErrors(region: HTMLElement, input: HTMLInputElement, messages: string[]): void {
  const heading = document.createElement('p');
  heading.className = 'field-error';
  heading.textContent = messages.join(' ');
  region.replaceChildren(heading);
  input.setAttribute('aria-invalid', 'true');
}

/** The new image first in the list, built like MediaItem in media-screens.tsx; returns its link. */
function addToList(image: PickerImage): HTMLAnchorElement | undefined {
  const list = document.querySelector<HTMLUListElement>('[data-media-list]');
  if (!list) return undefined;
  const item = document.createElement('li');
  item.className = 'media-item';
  if (image.thumbnail) {
    const img = document.createElement('img');
    img.src = image.thumbnail;
    // The thumbnail is the smallest variant: at most 320 px wide, never wider than the image.
    const width = Math.min(image.width, 320);
    img.width = width;
    img.height = Math.max(1, Math.round((width * image.height) / image.width));
    img.alt = image.alt;
    item.append(img);
  }
  const link = document.createElement('a');
  link.className = 'media-name';
  link.href = `/newsroom/media/${image.id}`;
  link.textContent = image.filename;
  const size = document.createElement('span');
  size.className = 'media-size';
  size.textContent = `${image.width.toLocaleString('en-US')} × ${image.height.toLocaleString('en-US')} px`;
  item.append(link, size);
  if (!image.alt) {
    const marker = document.createElement('strong');
    marker.className = 'media-needs-alt';
    marker.textContent = 'Needs alt text';
    item.append(marker);
  }
  list.prepend(item);
  return link;
}

for (const form of document.querySelectorAll<HTMLFormElement>('form[data-media-upload]')) start(form);

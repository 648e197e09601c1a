// The image picker of the story editor: search the media library (or upload a new image, with
// progress), choose one, and either insert it into the body with this story's caption or make it
// the lead image. Markup contract (src/newsroom/story-form.tsx):
//   [data-image-form] > input[data-image-search], ul[data-image-results], button[data-command=more-images],
//     input[data-image-upload], progress[data-image-progress], [data-image-message],
//     input[data-image-caption], button[data-command=insert-image]
//   button[data-pick-lead] next to input[name=leadImageId], [data-lead-preview]
import type { Editor } from '@tiptap/core';
import { NodeSelection } from '@tiptap/pm/state';
import type { ImagePreview } from './image-node.ts';
import { uploadImage } from '../media/upload-client.ts';
import { PICKER_URL, type PickerImage } from '../media/picker-image.ts';

/** What the editor knows of library images: those in the body when the page loaded, plus any seen since. */
export class KnownImages {
  private readonly byId = new Map<number, ImagePreview>();

  constructor(initial: PickerImage[]) {
    for (const image of initial) this.add(image);
  }

  add(image: PickerImage): void {
    this.byId.set(image.id, { thumbnail: image.thumbnail, filename: image.filename, alt: image.alt });
  }

  get(id: number): ImagePreview | undefined {
    return this.byId.get(id);
  }
}

type Mode = { kind: 'body' } | { kind: 'edit-body'; pos: number } | { kind: 'lead' };

export class ImagePicker {
  private mode: Mode = { kind: 'body' };
  private chosen: PickerImage | undefined;
  private next: number | null = null;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly panel: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly results: HTMLElement;
  private readonly more: HTMLButtonElement;
  private readonly upload: HTMLInputElement;
  private readonly progress: HTMLProgressElement;
  private readonly message: HTMLElement;
  private readonly caption: HTMLInputElement;
  private readonly insert: HTMLButtonElement;

  constructor(
    private readonly form: HTMLFormElement,
    private readonly editor: Editor,
    private readonly known: KnownImages,
    private readonly csrfToken: string,
  ) {
    const panel = form.querySelector<HTMLElement>('[data-image-form]')!;
    this.panel = panel;
    this.search = panel.querySelector('[data-image-search]')!;
    this.results = panel.querySelector('[data-image-results]')!;
    this.more = panel.querySelector('[data-command="more-images"]')!;
    this.upload = panel.querySelector('[data-image-upload]')!;
    this.progress = panel.querySelector('[data-image-progress]')!;
    this.message = panel.querySelector('[data-image-message]')!;
    this.caption = panel.querySelector('[data-image-caption]')!;
    this.insert = panel.querySelector('[data-command="insert-image"]')!;

    this.search.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => void this.load(false), 250);
    });
    this.results.addEventListener('click', (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-pick-image]');
      if (button) this.choose(Number(button.dataset.pickImage));
    });
    this.upload.addEventListener('change', () => void this.uploadChosenFile());
    const pickLead = form.querySelector<HTMLButtonElement>('[data-pick-lead]');
    if (pickLead) {
      pickLead.hidden = false; // without this script, the lead image is typed as an id
      pickLead.addEventListener('click', () => this.open({ kind: 'lead' }));
    }
  }

  /** The toolbar's "Image" button: edits the selected image's caption, or starts a new one. */
  toggle(): void {
    if (!this.panel.hidden) {
      this.panel.hidden = true;
      return;
    }
    const { selection } = this.editor.state;
    if (selection instanceof NodeSelection && selection.node.type.name === 'image') {
      this.open({ kind: 'edit-body', pos: selection.from }, Number(selection.node.attrs.imageId), String(selection.node.attrs.caption ?? ''));
    } else this.open({ kind: 'body' });
  }

  private open(mode: Mode, imageId?: number, caption = ''): void {
    this.mode = mode;
    this.chosen = undefined;
    this.panel.hidden = false;
    this.caption.value = caption;
    this.caption.closest('div')!.hidden = mode.kind === 'lead';
    this.insert.textContent = mode.kind === 'lead' ? 'Use as lead image' : mode.kind === 'edit-body' ? 'Update image' : 'Insert image';
    this.say('');
    void this.load(false).then(() => {
      if (imageId) this.choose(imageId);
    });
    this.search.focus();
  }

  /** The "Insert image" / "Update image" / "Use as lead image" button. */
  apply(): void {
    if (!this.chosen) {
      this.say('Choose an image from the list, or upload one, first.');
      return;
    }
    const image = this.chosen;
    const caption = this.caption.value.trim();
    if (this.mode.kind === 'lead') {
      const field = this.form.querySelector<HTMLInputElement>('input[name="leadImageId"]')!;
      field.value = String(image.id);
      field.dispatchEvent(new Event('input', { bubbles: true }));
      this.showLead(image);
    } else if (this.mode.kind === 'edit-body') {
      const pos = this.mode.pos;
      this.editor.chain().focus().command(({ tr }) => {
        tr.setNodeMarkup(pos, undefined, { imageId: image.id, caption });
        return true;
      }).run();
    } else {
      this.editor.chain().focus().insertImage({ imageId: image.id, caption }).run();
    }
    this.panel.hidden = true;
  }

  private showLead(image: PickerImage): void {
    const preview = this.form.querySelector<HTMLElement>('[data-lead-preview]');
    if (!preview) return;
    preview.replaceChildren(thumbnail(image), document.createTextNode(` ${image.filename}${image.alt ? '' : ' · needs alt text before publishing'}`));
    preview.hidden = false;
  }

  private choose(id: number): void {
    const button = this.results.querySelector<HTMLButtonElement>(`button[data-pick-image="${id}"]`);
    for (const other of this.results.querySelectorAll('button[data-pick-image]')) other.setAttribute('aria-pressed', 'false');
    if (button) button.setAttribute('aria-pressed', 'true');
    this.chosen = this.loaded.get(id) ?? this.chosen;
    if (this.chosen && !this.chosen.alt) this.say(`“${this.chosen.filename}” has no alt text yet: add it in the media library before publishing.`);
    else this.say('');
  }

  private readonly loaded = new Map<number, PickerImage>();

  private async load(append: boolean): Promise<void> {
    const params = new URLSearchParams();
    if (this.search.value.trim()) params.set('q', this.search.value.trim());
    if (append && this.next) params.set('before', String(this.next));
    try {
      const response = await fetch(`${PICKER_URL}?${params}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      const data = (await response.json()) as { images?: PickerImage[]; next?: number | null; errors?: { message: string }[] };
      if (!response.ok || !data.images) throw new Error(data.errors?.[0]?.message ?? 'The media library could not be loaded.');
      if (!append) this.results.replaceChildren();
      for (const image of data.images) this.addResult(image, false);
      this.next = data.next ?? null;
      this.more.hidden = this.next === null;
      if (!append && data.images.length === 0) this.say(this.search.value.trim() ? 'No images match.' : 'The media library is empty: upload an image.');
    } catch (error) {
      this.say(error instanceof Error ? error.message : 'The media library could not be loaded.');
    }
  }

  loadMore(): void {
    void this.load(true);
  }

  private addResult(image: PickerImage, first: boolean): void {
    this.loaded.set(image.id, image);
    this.known.add(image);
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.pickImage = String(image.id);
    button.setAttribute('aria-pressed', 'false');
    const label = document.createElement('span');
    label.textContent = `${image.filename} · ${image.alt || 'needs alt text'}`;
    button.append(thumbnail(image), label);
    const item = document.createElement('li');
    item.append(button);
    if (first) this.results.prepend(item);
    else this.results.append(item);
  }

  private async uploadChosenFile(): Promise<void> {
    const file = this.upload.files?.[0];
    if (!file) return;
    this.progress.hidden = false;
    this.progress.value = 0;
    this.say(`Uploading “${file.name}”…`);
    const result = await uploadImage(file, this.csrfToken, (fraction) => {
      this.progress.value = fraction;
      this.say(fraction < 1 ? `Uploading… ${Math.round(fraction * 100)} %` : 'Processing the image…');
    });
    this.progress.hidden = true;
    this.upload.value = '';
    if (!result.ok) {
      this.say(result.errors.map((e) => e.message).join(' '));
      return;
    }
    this.addResult(result.image, true);
    this.choose(result.image.id);
    this.say(`Uploaded “${result.image.filename}”. Add its alt text in the media library before publishing.`);
  }

  private say(text: string): void {
    this.message.textContent = text;
  }
}

function thumbnail(image: PickerImage): HTMLImageElement {
  const img = document.createElement('img');
  img.src = image.thumbnail;
  img.alt = '';
  img.width = 96;
  img.height = Math.max(1, Math.round((96 * image.height) / Math.max(1, image.width)));
  return img;
}

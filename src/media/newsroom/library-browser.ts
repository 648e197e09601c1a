// Browser code: the media library inside another screen. A search box, a list of results to choose
// one from (newest first, "More images" pages on), and a file input that uploads a new image with
// progress and chooses it. Shared by the story editor's image picker (editor/image-picker.ts) and
// the image field island (image-field-island.ts); each brings its own markup and decides what
// choosing an image does. The library itself: GET PICKER_URL and uploadImage() (upload-client.ts).
import { PICKER_URL, type PickerImage } from './picker-image.ts';
import { uploadImage } from './upload-client.ts';

/** The elements the browser works in; the caller renders or builds them. */
export interface LibraryBrowserParts {
  search: HTMLInputElement;
  /** A list: each result is a `li > button[data-pick-image=<id>][aria-pressed]` with a thumbnail. */
  results: HTMLElement;
  more: HTMLButtonElement;
  upload: HTMLInputElement;
  progress: HTMLProgressElement;
  /** A polite live region for what happened (loading failed, uploaded, needs alt text). */
  message: HTMLElement;
}

export interface LibraryBrowserOptions {
  csrfToken: string;
  /**
   * Whether the place the image goes needs its alt text (a story's body, lead or social image):
   * the browser then says so when an image without it is chosen or uploaded.
   */
  altRequired: boolean;
  /** Called with every image listed or uploaded (the editor keeps them to draw body images). */
  onSeen?: (image: PickerImage) => void;
}

export class LibraryBrowser {
  /** The image last chosen in the list (or uploaded), if any. */
  chosen: PickerImage | undefined;
  private next: number | null = null;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly loaded = new Map<number, PickerImage>();
  /** Counts loads, so that an older answer arriving after a newer one is dropped. */
  private loads = 0;

  constructor(
    private readonly parts: LibraryBrowserParts,
    private readonly options: LibraryBrowserOptions,
  ) {
    parts.search.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      // Busy from the keystroke, not from the fetch: the list on screen no longer answers the query.
      parts.results.setAttribute('aria-busy', 'true');
      this.searchTimer = setTimeout(() => void this.load(false), 250);
    });
    parts.results.addEventListener('click', (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-pick-image]');
      if (button) this.choose(Number(button.dataset.pickImage));
    });
    parts.more.addEventListener('click', () => void this.load(true));
    parts.upload.addEventListener('change', () => void this.uploadChosenFile());
  }

  /** Starts afresh: nothing chosen, the first page of the current search; then chooses `imageId` if listed. */
  async reset(imageId?: number): Promise<void> {
    this.chosen = undefined;
    this.say('');
    await this.load(false);
    if (imageId) this.choose(imageId);
  }

  /** Marks the image as chosen in the list (aria-pressed) and remembers it. */
  choose(id: number): void {
    for (const other of this.parts.results.querySelectorAll('button[data-pick-image]')) other.setAttribute('aria-pressed', 'false');
    this.parts.results.querySelector<HTMLButtonElement>(`button[data-pick-image="${id}"]`)?.setAttribute('aria-pressed', 'true');
    this.chosen = this.loaded.get(id) ?? this.chosen;
    if (this.chosen && !this.chosen.alt && this.options.altRequired) {
      this.say(`“${this.chosen.filename}” has no alt text yet: add it in the media library before publishing.`);
    } else this.say('');
  }

  say(text: string): void {
    this.parts.message.textContent = text;
  }

  private async load(append: boolean): Promise<void> {
    const { search, results, more } = this.parts;
    const params = new URLSearchParams();
    if (search.value.trim()) params.set('q', search.value.trim());
    if (append && this.next) params.set('before', String(this.next));
    const load = ++this.loads;
    results.setAttribute('aria-busy', 'true');
    try {
      const response = await fetch(`${PICKER_URL}?${params}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      const data = (await response.json()) as { images?: PickerImage[]; next?: number | null; errors?: { message: string }[] };
      if (load !== this.loads) return;
      if (!response.ok || !data.images) throw new Error(data.errors?.[0]?.message ?? 'The media library could not be loaded.');
      if (!append) results.replaceChildren();
      for (const image of data.images) this.addResult(image, false);
      // A choice made while the list was loading stays chosen when the new list still shows it.
      if (this.chosen) results.querySelector(`button[data-pick-image="${this.chosen.id}"]`)?.setAttribute('aria-pressed', 'true');
      this.next = data.next ?? null;
      more.hidden = this.next === null;
      if (!append && data.images.length === 0) this.say(search.value.trim() ? 'No images match.' : 'The media library is empty: upload an image.');
    } catch (error) {
      if (load === this.loads) this.say(error instanceof Error ? error.message : 'The media library could not be loaded.');
    } finally {
      if (load === this.loads) results.removeAttribute('aria-busy');
    }
  }

  private addResult(image: PickerImage, first: boolean): void {
    this.loaded.set(image.id, image);
    this.options.onSeen?.(image);
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.pickImage = String(image.id);
    button.setAttribute('aria-pressed', 'false');
    const label = document.createElement('span');
    label.textContent = `${image.filename} · ${image.alt || 'needs alt text'}`;
    button.append(thumbnail(image), label);
    const item = document.createElement('li');
    item.append(button);
    if (first) this.parts.results.prepend(item);
    else this.parts.results.append(item);
  }

  private async uploadChosenFile(): Promise<void> {
    const { upload, progress } = this.parts;
    const file = upload.files?.[0];
    if (!file) return;
    progress.hidden = false;
    progress.value = 0;
    this.say(`Uploading “${file.name}”…`);
    const result = await uploadImage(file, this.options.csrfToken, (fraction) => {
      progress.value = fraction;
      this.say(fraction < 1 ? `Uploading… ${Math.round(fraction * 100)} %` : 'Processing the image…');
    });
    progress.hidden = true;
    upload.value = '';
    if (!result.ok) {
      this.say(result.errors.map((e) => e.message).join(' '));
      return;
    }
    this.addResult(result.image, true);
    this.choose(result.image.id);
    this.say(`Uploaded “${result.image.filename}”.${this.options.altRequired ? ' Add its alt text in the media library before publishing.' : ''}`);
  }
}

/** A list-sized thumbnail: decorative, the text beside it names the image. */
export function thumbnail(image: PickerImage): HTMLImageElement {
  const img = document.createElement('img');
  img.src = image.thumbnail;
  img.alt = '';
  img.width = 96;
  img.height = Math.max(1, Math.round((96 * image.height) / Math.max(1, image.width)));
  return img;
}

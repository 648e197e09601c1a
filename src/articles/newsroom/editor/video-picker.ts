// The video panel of the story editor: pick a clip reference already in the library (searching
// titles and captions), or type the title of a new clip; "Insert video" adds the block with the
// chosen clip's id, or none for a new one. Markup contract (src/newsroom/story-form.tsx):
//   [data-video-form] > input[data-video-search], ul[data-video-results], button[data-command=more-videos],
//     [data-video-message], input[name=video-title], input[name=video-caption], button[data-command=insert-video]
import type { Editor } from '@tiptap/core';
import { VIDEO_PICKER_URL, type PickerVideo, type VideoPickerPage } from '../../../media/newsroom/picker-video.ts';

export class VideoPicker {
  private chosen: PickerVideo | undefined;
  private next: number | null = null;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly search: HTMLInputElement;
  private readonly results: HTMLElement;
  private readonly more: HTMLButtonElement;
  private readonly message: HTMLElement;
  private readonly title: HTMLInputElement;
  private readonly caption: HTMLInputElement;
  private readonly loaded = new Map<number, PickerVideo>();
  /** Counts loads, so that an older answer arriving after a newer one is dropped. */
  private loads = 0;

  constructor(private readonly panel: HTMLElement) {
    this.search = panel.querySelector('[data-video-search]')!;
    this.results = panel.querySelector('[data-video-results]')!;
    this.more = panel.querySelector('[data-command="more-videos"]')!;
    this.message = panel.querySelector('[data-video-message]')!;
    this.title = panel.querySelector('input[name="video-title"]')!;
    this.caption = panel.querySelector('input[name="video-caption"]')!;
    this.search.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      // Busy from the keystroke, not from the fetch: the list on screen no longer answers the query.
      this.results.setAttribute('aria-busy', 'true');
      this.searchTimer = setTimeout(() => void this.load(false), 250);
    });
    this.results.addEventListener('click', (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-pick-video]');
      if (button) this.choose(Number(button.dataset.pickVideo));
    });
    this.more.addEventListener('click', () => void this.load(true));
    // A title typed by hand names a new clip, not the one chosen from the list.
    this.title.addEventListener('input', () => this.choose(undefined));
  }

  toggle(): void {
    this.panel.hidden = !this.panel.hidden;
    if (this.panel.hidden) return;
    this.choose(undefined);
    void this.load(false);
    this.search.focus();
  }

  insert(editor: Editor): void {
    const title = this.title.value.trim();
    if (!title) {
      this.title.setCustomValidity('A video needs a title: choose a clip from the list, or type the title of a new one.');
      this.title.reportValidity();
      return;
    }
    this.title.setCustomValidity('');
    editor.chain().focus().insertVideo({ title, caption: this.caption.value.trim(), videoId: this.chosen?.id ?? null }).run();
    this.title.value = '';
    this.caption.value = '';
    this.choose(undefined);
    this.panel.hidden = true;
  }

  private choose(id: number | undefined): void {
    this.chosen = id === undefined ? undefined : this.loaded.get(id);
    for (const button of this.results.querySelectorAll('button[data-pick-video]')) {
      button.setAttribute('aria-pressed', String(this.chosen !== undefined && button.getAttribute('data-pick-video') === String(this.chosen.id)));
    }
    if (!this.chosen) return;
    this.title.value = this.chosen.title;
    this.caption.value = this.chosen.caption;
    this.say(this.chosen.ready ? '' : `“${this.chosen.title}” has no media yet: readers see its title until it does.`);
  }

  private async load(append: boolean): Promise<void> {
    const params = new URLSearchParams();
    if (this.search.value.trim()) params.set('q', this.search.value.trim());
    if (append && this.next) params.set('before', String(this.next));
    const load = ++this.loads;
    this.results.setAttribute('aria-busy', 'true');
    try {
      const response = await fetch(`${VIDEO_PICKER_URL}?${params}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      const data = (await response.json()) as Partial<VideoPickerPage> & { errors?: { message: string }[] };
      if (load !== this.loads) return;
      if (!response.ok || !data.videos) throw new Error(data.errors?.[0]?.message ?? 'The video clips could not be loaded.');
      if (!append) this.results.replaceChildren();
      for (const video of data.videos) this.addResult(video);
      // A clip chosen while the list was loading stays chosen (and its message stays) when the new list shows it.
      const kept = this.chosen && this.results.querySelector(`button[data-pick-video="${this.chosen.id}"]`);
      kept?.setAttribute('aria-pressed', 'true');
      this.next = data.next ?? null;
      this.more.hidden = this.next === null;
      if (!append && !kept) this.say(data.videos.length ? '' : this.search.value.trim() ? 'No clips match; type the title of a new one below.' : 'No clips yet; type the title of a new one below.');
    } catch (error) {
      if (load === this.loads) this.say(error instanceof Error ? error.message : 'The video clips could not be loaded.');
    } finally {
      if (load === this.loads) this.results.removeAttribute('aria-busy');
    }
  }

  private addResult(video: PickerVideo): void {
    this.loaded.set(video.id, video);
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.pickVideo = String(video.id);
    button.setAttribute('aria-pressed', 'false');
    button.textContent = video.ready ? video.title : `${video.title} (no media yet)`;
    const item = document.createElement('li');
    item.append(button);
    this.results.append(item);
  }

  private say(text: string): void {
    this.message.textContent = text;
  }
}

// The image picker of the story editor: search the media library (or upload a new image, with
// progress), choose one, and either insert it into the body with this story's caption or make it
// the lead image. Searching, paging and uploading are the shared LibraryBrowser's
// (../media/library-browser.ts); this file decides where the chosen image goes.
// Markup contract (src/newsroom/story-form.tsx):
//   [data-image-form] > input[data-image-search], ul[data-image-results], button[data-command=more-images],
//     input[data-image-upload], progress[data-image-progress], [data-image-message],
//     input[data-image-caption], button[data-command=insert-image]
//   button[data-pick-lead] next to input[name=leadImageId], [data-lead-preview]
import type { Editor } from '@tiptap/core';
import { NodeSelection } from '@tiptap/pm/state';
import type { ImagePreview } from './image-node.ts';
import { LibraryBrowser, thumbnail } from '../../../media/newsroom/library-browser.ts';
import type { PickerImage } from '../../../media/newsroom/picker-image.ts';

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
  private readonly panel: HTMLElement;
  private readonly library: LibraryBrowser;
  private readonly caption: HTMLInputElement;
  private readonly insert: HTMLButtonElement;

  constructor(
    private readonly form: HTMLFormElement,
    private readonly editor: Editor,
    known: KnownImages,
    csrfToken: string,
  ) {
    const panel = form.querySelector<HTMLElement>('[data-image-form]')!;
    this.panel = panel;
    // Searching, paging and uploading are the library browser's; this picker says where the image goes.
    this.library = new LibraryBrowser(
      {
        search: panel.querySelector('[data-image-search]')!,
        results: panel.querySelector('[data-image-results]')!,
        more: panel.querySelector('[data-command="more-images"]')!,
        upload: panel.querySelector('[data-image-upload]')!,
        progress: panel.querySelector('[data-image-progress]')!,
        message: panel.querySelector('[data-image-message]')!,
      },
      { csrfToken, altRequired: true, onSeen: (image) => known.add(image) },
    );
    this.caption = panel.querySelector('[data-image-caption]')!;
    this.insert = panel.querySelector('[data-command="insert-image"]')!;

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
    this.panel.hidden = false;
    this.caption.value = caption;
    this.caption.closest('div')!.hidden = mode.kind === 'lead';
    this.insert.textContent = mode.kind === 'lead' ? 'Use as lead image' : mode.kind === 'edit-body' ? 'Update image' : 'Insert image';
    void this.library.reset(imageId);
    this.panel.querySelector<HTMLInputElement>('[data-image-search]')!.focus();
  }

  /** The "Insert image" / "Update image" / "Use as lead image" button. */
  apply(): void {
    const image = this.library.chosen;
    if (!image) {
      this.library.say('Choose an image from the list, or upload one, first.');
      return;
    }
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
}

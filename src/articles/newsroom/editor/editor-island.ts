// The story editor island: turns the story form's body field into a Tiptap editor (ProseMirror
// JSON, the same document the server stores), wires the toolbar, and autosaves the form.
// Markup contract (rendered by the story edit screen):
//   form[data-story-form][data-autosave-url][data-version][data-csrf]
//     [data-story-editor] > [data-editor-toolbar] button[data-command], [data-link-form],
//     [data-video-form], [data-image-form] (see image-picker.ts), [data-editor-surface],
//     textarea[data-editor-field], [data-editor-status]
import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { createAutosave, describeState } from './autosave.ts';
import { storedBody } from './stored-body.ts';
import { Video } from './video-node.ts';
import { VideoPicker } from './video-picker.ts';
import { createImageNode } from './image-node.ts';
import { ImagePicker, KnownImages } from './image-picker.ts';
import type { PickerImage } from '../../../media/newsroom/picker-image.ts';

type Command = (editor: Editor, root: HTMLElement) => void;

/** Set once the editor exists: the picker needs the editor, and the editor's image node the picker's list. */
let picker: ImagePicker | undefined;
let videos: VideoPicker | undefined;

const COMMANDS: Record<string, Command> = {
  bold: (e) => e.chain().focus().toggleBold().run(),
  italic: (e) => e.chain().focus().toggleItalic().run(),
  h2: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(),
  h3: (e) => e.chain().focus().toggleHeading({ level: 3 }).run(),
  'bullet-list': (e) => e.chain().focus().toggleBulletList().run(),
  'ordered-list': (e) => e.chain().focus().toggleOrderedList().run(),
  quote: (e) => e.chain().focus().toggleBlockquote().run(),
  undo: (e) => e.chain().focus().undo().run(),
  redo: (e) => e.chain().focus().redo().run(),
  link: (e, root) => toggleForm(root, '[data-link-form]', 'input[name="link-href"]', e.getAttributes('link').href as string | undefined),
  'apply-link': (e, root) => {
    const input = root.querySelector<HTMLInputElement>('input[name="link-href"]')!;
    const href = input.value.trim();
    if (!/^(https?:\/\/|mailto:|\/(?!\/))/i.test(href)) {
      input.setCustomValidity('Use a web address starting with https://, a mailto: address, or a site path starting with /.');
      input.reportValidity();
      return;
    }
    input.setCustomValidity('');
    e.chain().focus().extendMarkRange('link').setLink({ href }).run();
    hide(root, '[data-link-form]');
  },
  'remove-link': (e, root) => {
    e.chain().focus().extendMarkRange('link').unsetLink().run();
    hide(root, '[data-link-form]');
  },
  video: () => videos?.toggle(),
  'insert-video': (e) => videos?.insert(e),
  // "More clips" (data-command="more-videos") is wired by the video picker itself.
  image: () => picker?.toggle(),
  'insert-image': () => picker?.apply(),
  // "More images" (data-command="more-images") is wired by the picker's library browser.
};

/** Toolbar buttons whose aria-pressed follows the selection. */
const ACTIVE: Record<string, (e: Editor) => boolean> = {
  bold: (e) => e.isActive('bold'),
  italic: (e) => e.isActive('italic'),
  h2: (e) => e.isActive('heading', { level: 2 }),
  h3: (e) => e.isActive('heading', { level: 3 }),
  'bullet-list': (e) => e.isActive('bulletList'),
  'ordered-list': (e) => e.isActive('orderedList'),
  quote: (e) => e.isActive('blockquote'),
  link: (e) => e.isActive('link'),
};

function toggleForm(root: HTMLElement, formSelector: string, focusSelector: string, value?: string): void {
  const form = root.querySelector<HTMLElement>(formSelector);
  if (!form) return;
  form.hidden = !form.hidden;
  const input = form.querySelector<HTMLInputElement>(focusSelector);
  if (!form.hidden && input) {
    if (value !== undefined) input.value = value;
    input.focus();
  }
}

function hide(root: HTMLElement, selector: string): void {
  const form = root.querySelector<HTMLElement>(selector);
  if (form) form.hidden = true;
}

export function mountStoryEditor(form: HTMLFormElement): Editor {
  const root = form.querySelector<HTMLElement>('[data-story-editor]')!;
  const field = root.querySelector<HTMLTextAreaElement>('[data-editor-field]')!;
  const surface = root.querySelector<HTMLElement>('[data-editor-surface]')!;
  const status = root.querySelector<HTMLElement>('[data-editor-status]');
  const toolbar = root.querySelector<HTMLElement>('[data-editor-toolbar]');
  // The library images this story already shows, so the editor can draw them (see image-node.ts).
  const known = new KnownImages(JSON.parse(root.dataset.images || '[]') as PickerImage[]);

  const editor = new Editor({
    element: surface,
    extensions: [
      StarterKit.configure({
        codeBlock: false,
        underline: false,
        heading: { levels: [2, 3, 4] },
        link: { openOnClick: false, autolink: true, protocols: ['mailto'], defaultProtocol: 'https' },
      }),
      Video,
      createImageNode((id) => known.get(id)),
    ],
    content: JSON.parse(field.value || '{"type":"doc","content":[]}') as object,
    editorProps: { attributes: { class: 'editor-surface', role: 'textbox', 'aria-multiline': 'true', 'aria-label': 'Story body' } },
    // Tiptap would add its base styles as an inline <style>, which the newsroom's CSP refuses; the
    // same rules are in src/newsroom/styles.css.
    injectCSS: false,
  });
  videos = new VideoPicker(root.querySelector<HTMLElement>('[data-video-form]')!);
  picker = new ImagePicker(form, editor, known, form.dataset.csrf ?? '');
  // The JSON field stays the form's source of truth (a plain submit still works); people edit above it.
  field.hidden = true;
  if (toolbar) toolbar.hidden = false;

  const autosave = form.dataset.autosaveUrl
    ? createAutosave({
        url: form.dataset.autosaveUrl,
        csrfToken: form.dataset.csrf ?? '',
        version: Number(form.dataset.version ?? 0),
        collect: () => Object.fromEntries([...new FormData(form).entries()].filter(([, v]) => typeof v === 'string')),
        onState: (state) => {
          if (status) status.textContent = describeState(state);
          // The story form and every workflow button's form: each acts on the version now on screen.
          if (state.kind === 'saved') {
            for (const input of document.querySelectorAll<HTMLInputElement>('input[name="expectedVersion"]')) input.value = String(state.version);
          }
        },
      })
    : undefined;

  // The body as last stored. The empty paragraph the editor adds at the end on its own (see
  // stored-body.ts) is no change: only a change to what would be stored is saved.
  let stored = JSON.stringify(storedBody(editor.getJSON()));
  const sync = () => {
    const body = JSON.stringify(storedBody(editor.getJSON()));
    if (body === stored) return;
    stored = body;
    field.value = body;
    autosave?.changed();
  };
  editor.on('update', sync);
  form.addEventListener('input', (event) => {
    // Typing in a tool's panel (link address, image search…) changes nothing in the story yet.
    if (event.target !== field && !(event.target as HTMLElement).closest('.editor-popover')) autosave?.changed();
  });

  const refreshToolbar = () => {
    toolbar?.querySelectorAll<HTMLButtonElement>('button[data-command]').forEach((button) => {
      const active = ACTIVE[button.dataset.command!];
      if (active) button.setAttribute('aria-pressed', String(active(editor)));
    });
  };
  editor.on('transaction', refreshToolbar);
  // A toolbar press must not take focus from the text: the command applies to the selection, and
  // typing carries on where it was (without this, a key pressed right after lands on the button).
  toolbar?.addEventListener('mousedown', (event) => event.preventDefault());
  root.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-command]');
    if (!button || !root.contains(button)) return;
    event.preventDefault();
    COMMANDS[button.dataset.command!]?.(editor, root);
  });
  refreshToolbar();
  return editor;
}

for (const form of document.querySelectorAll<HTMLFormElement>('form[data-story-form]')) mountStoryEditor(form);

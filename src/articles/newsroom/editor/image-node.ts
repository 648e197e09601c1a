// The story body's image block as a Tiptap node: an atom holding a media-library image id and this
// story's own caption, matching the `image` block of src/articles/body.ts. What the editor shows of
// the image (thumbnail, file name, alt text) is not part of the document: it comes from the
// library through `describeImage`, so the stored body stays exactly { imageId, caption }.
import { Node, mergeAttributes } from '@tiptap/core';
import { insertBlock } from './insert-block.ts';

export interface ImagePreview {
  thumbnail: string;
  filename: string;
  alt: string;
}

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    bodyImage: {
      insertImage: (attrs: { imageId: number; caption?: string }) => ReturnType;
    };
  }
}

export function createImageNode(describeImage: (id: number) => ImagePreview | undefined) {
  return Node.create({
    name: 'image',
    group: 'block',
    atom: true,
    draggable: true,
    selectable: true,

    addAttributes() {
      return {
        imageId: { default: null },
        caption: { default: '' },
      };
    },

    parseHTML() {
      return [{ tag: 'figure[data-image]' }];
    },

    renderHTML({ node, HTMLAttributes }) {
      const id = Number(node.attrs.imageId);
      const preview = describeImage(id);
      const caption = String(node.attrs.caption ?? '');
      return [
        'figure',
        mergeAttributes(HTMLAttributes, { 'data-image': String(id), class: 'editor-image', contenteditable: 'false' }),
        preview ? ['img', { src: preview.thumbnail, alt: preview.alt, width: '160' }] : ['span', {}, ''],
        [
          'figcaption',
          {},
          ['strong', {}, `Image ${id}: `],
          preview?.filename ?? 'not in the library',
          ...(preview && !preview.alt ? [['em', { class: 'needs-alt' }, ' · needs alt text before publishing']] : []),
          ...(caption ? [['span', { class: 'editor-image-caption' }, ` · Caption: ${caption}`]] : []),
        ],
      ];
    },

    addCommands() {
      return {
        insertImage:
          (attrs) =>
          ({ state, commands }) =>
            insertBlock(state, commands, { type: this.name, attrs: { imageId: attrs.imageId, caption: attrs.caption ?? '' } }),
      };
    },
  });
}

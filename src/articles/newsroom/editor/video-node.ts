// The story body's video block as a Tiptap node: an atom (edited as a whole, not typed into) with
// the clip's title and caption, matching the `video` block of src/articles/body.ts.
import { Node, mergeAttributes } from '@tiptap/core';
import { insertBlock } from './insert-block.ts';

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    video: {
      insertVideo: (attrs: { title: string; caption?: string; videoId?: number | null }) => ReturnType;
    };
  }
}

export const Video = Node.create({
  name: 'video',
  group: 'block',
  atom: true,
  draggable: true,

  addAttributes() {
    return {
      videoId: { default: null },
      title: { default: '' },
      caption: { default: '' },
    };
  },

  parseHTML() {
    return [{ tag: 'figure[data-video]' }];
  },

  renderHTML({ node, HTMLAttributes }) {
    return [
      'figure',
      mergeAttributes(HTMLAttributes, { 'data-video': '', class: 'editor-video', contenteditable: 'false' }),
      ['strong', {}, 'Video: '],
      ['span', {}, String(node.attrs.title)],
      ...(node.attrs.caption ? [['small', {}, String(node.attrs.caption)]] : []),
    ];
  },

  addCommands() {
    return {
      insertVideo:
        (attrs) =>
        ({ state, commands }) =>
          insertBlock(state, commands, { type: this.name, attrs: { videoId: attrs.videoId ?? null, title: attrs.title, caption: attrs.caption ?? '' } }),
    };
  },
});

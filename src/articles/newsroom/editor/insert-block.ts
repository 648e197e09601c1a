// Inserting a block (picture, video) from a tool panel. With a block selected, as it is right after
// an insert or a click on one, ProseMirror would replace it: the new block goes after it instead.
import type { Content, SingleCommands } from '@tiptap/core';
import { NodeSelection, type EditorState } from '@tiptap/pm/state';

export function insertBlock(state: EditorState, commands: SingleCommands, content: Content): boolean {
  const { selection } = state;
  return selection instanceof NodeSelection ? commands.insertContentAt(selection.to, content) : commands.insertContent(content);
}

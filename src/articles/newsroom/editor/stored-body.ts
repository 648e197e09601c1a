// The editor's document as the story form stores it. Tiptap keeps an empty paragraph at the end of
// the document (its trailing node, so the cursor can go after a final picture or video); saved as
// it is, every story would end in an empty paragraph on the reader page. Empty paragraphs elsewhere
// are the writer's own and stay.

interface DocJson {
  type?: string;
  content?: { type?: string; content?: unknown[] }[];
}

export function storedBody<T extends DocJson>(doc: T): T {
  const content = [...(doc.content ?? [])];
  while (content.length > 0 && isEmptyParagraph(content[content.length - 1]!)) content.pop();
  return { ...doc, content };
}

function isEmptyParagraph(node: { type?: string; content?: unknown[] }): boolean {
  return node.type === 'paragraph' && (node.content ?? []).length === 0;
}

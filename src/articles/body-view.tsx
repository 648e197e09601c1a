// Renders body blocks (everything but video, which the media feature draws) as HTML elements.
import type { ComponentChildren } from 'preact';
import { isSafeHref, type BlockNode, type InlineNode, type TextNode } from './body.ts';

export function BodyBlock({ block }: { block: BlockNode }) {
  switch (block.type) {
    case 'paragraph':
      return <p>{inline(block.content)}</p>;
    case 'heading': {
      const Tag = `h${block.attrs.level}` as 'h2' | 'h3' | 'h4';
      return <Tag>{inline(block.content)}</Tag>;
    }
    case 'blockquote':
      return (
        <blockquote>
          {block.content.map((child, i) => (
            <BodyBlock key={i} block={child} />
          ))}
        </blockquote>
      );
    case 'bulletList':
    case 'orderedList': {
      const items = block.content.map((item, i) => (
        <li key={i}>
          {item.content.map((child, j) => (
            <BodyBlock key={j} block={child} />
          ))}
        </li>
      ));
      return block.type === 'bulletList' ? <ul>{items}</ul> : <ol start={block.attrs?.start}>{items}</ol>;
    }
    case 'horizontalRule':
      return <hr />;
    case 'video':
      return null;
  }
}

function inline(content: InlineNode[] | undefined): ComponentChildren {
  return (content ?? []).map((node, i) => (node.type === 'hardBreak' ? <br key={i} /> : marked(node)));
}

// Server-rendered only, so list items need no keys.
function marked(node: TextNode): ComponentChildren {
  let out: ComponentChildren = node.text;
  // Each mark once (the first of a type), as saves now require: a body stored before that check
  // with thousands of marks on one run still renders, at most five elements deep.
  const marks = (node.marks ?? []).filter((mark, i, all) => all.findIndex((m) => m.type === mark.type) === i);
  for (const mark of marks) {
    if (mark.type === 'bold') out = <strong>{out}</strong>;
    else if (mark.type === 'italic') out = <em>{out}</em>;
    else if (mark.type === 'code') out = <code>{out}</code>;
    else if (mark.type === 'strike') out = <s>{out}</s>;
    else if (mark.type === 'link' && mark.attrs?.href && isSafeHref(mark.attrs.href)) {
      const external = /^https?:\/\//i.test(mark.attrs.href);
      out = (
        <a href={mark.attrs.href} rel={external ? 'noopener' : undefined}>
          {out}
        </a>
      );
    }
  }
  return out;
}

// Keyboard moderation on the Comments queue: j / k move to the next / previous comment; a, s, t,
// u and d press its Approve, Spam, Trash, Restore or Dismiss reports button (the same posts as a
// click); r opens its "Reply as the newsroom" box and puts the cursor in it. Keys typed into a
// field are left alone (Escape leaves the reply box for the comment again).
const items = [...document.querySelectorAll<HTMLElement>('.queue-item')];
let current = -1;

function focus(index: number) {
  if (items.length === 0) return;
  current = Math.max(0, Math.min(items.length - 1, index));
  for (const [i, item] of items.entries()) item.classList.toggle('current', i === current);
  items[current]!.focus();
}

function openReply(item: HTMLElement): boolean {
  const box = item.querySelector<HTMLDetailsElement>('details.queue-reply');
  const text = box?.querySelector<HTMLTextAreaElement>('textarea');
  if (!box || !text) return false;
  box.open = true;
  text.focus();
  return true;
}

document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement | null;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) {
    if (event.key === 'Escape' && current >= 0 && target.closest('.queue-item') === items[current]) {
      event.preventDefault();
      items[current]!.focus();
    }
    return;
  }
  if (event.key === 'j') focus(current + 1);
  else if (event.key === 'k') focus(current - 1);
  else if (event.key === 'r' && current >= 0) {
    if (!openReply(items[current]!)) return;
  } else if (['a', 's', 't', 'u', 'd'].includes(event.key) && current >= 0) {
    const button = items[current]!.querySelector<HTMLButtonElement>(`button[data-key="${event.key}"]`);
    if (!button) return;
    event.preventDefault();
    button.click();
  } else return;
  event.preventDefault();
});

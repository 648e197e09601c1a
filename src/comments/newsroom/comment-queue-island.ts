// Keyboard moderation on the Comments queue: j / k move to the next / previous comment, and a, s,
// t, r press its Approve, Spam, Trash or Restore button (the same posts as a click). Keys typed
// into a field are left alone.
const items = [...document.querySelectorAll<HTMLElement>('.queue-item')];
let current = -1;

function focus(index: number) {
  if (items.length === 0) return;
  current = Math.max(0, Math.min(items.length - 1, index));
  for (const [i, item] of items.entries()) item.classList.toggle('current', i === current);
  items[current]!.focus();
}

document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement | null;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
  if (event.key === 'j') focus(current + 1);
  else if (event.key === 'k') focus(current - 1);
  else if (['a', 's', 't', 'r'].includes(event.key) && current >= 0) {
    const button = items[current]!.querySelector<HTMLButtonElement>(`button[data-key="${event.key}"]`);
    if (!button) return;
    event.preventDefault();
    button.click();
  } else return;
  event.preventDefault();
});

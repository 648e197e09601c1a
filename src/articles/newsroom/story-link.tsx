// A story's headline in a newsroom list. It links to the edit screen only for someone who may edit
// the story: a contributor's story, once handed in, belongs to the editors, and its edit screen
// would answer 404 to the contributor.
import { mayEditStory, type Actor } from '../../newsroom/permissions.ts';

export function StoryLink({ actor, story }: { actor: Actor | undefined; story: { id: number; headline: string; ownerUserId: number | null; status: string } }) {
  if (!mayEditStory(actor, story)) return <>{story.headline}</>;
  return <a href={`/newsroom/stories/${story.id}/edit`}>{story.headline}</a>;
}

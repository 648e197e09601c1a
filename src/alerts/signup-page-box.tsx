// The sign-up box as the reader site shows it in stories and on section pages: placed by the pure
// rule in box-placement.ts, worded for the section the reader is in ("Get the latest national news");
// on topic pages, "Follow <topic>".
import type { PageBox } from '../site/pages.tsx';
import { placeSignupBox } from './box-placement.ts';
import { topicKey } from './audience.ts';
import { SignupBox } from './signup-box.tsx';
import { TopicFollowBox } from './topic-follow-box.tsx';

export function signupPageBox(deps: {
  sections(): Promise<{ slug: string; name: string }[]>;
  /** The site settings' region and sign-up sentence. */
  wording(): Promise<{ region: string; pitch: string }>;
  formToken(): Promise<string>;
}): PageBox {
  return {
    place: placeSignupBox,
    async render(section, idPrefix) {
      const [sections, { region, pitch }, formToken] = await Promise.all([deps.sections(), deps.wording(), deps.formToken()]);
      return <SignupBox region={region} pitch={pitch} section={section} sections={sections} formToken={formToken} idPrefix={idPrefix} />;
    },
    async renderForTopic(topic, idPrefix) {
      return <TopicFollowBox topic={topic} topicKey={topicKey(topic.slug)} formToken={await deps.formToken()} idPrefix={idPrefix} />;
    },
  };
}

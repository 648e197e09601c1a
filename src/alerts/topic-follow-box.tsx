// "Follow <topic>" on a topic page: the sign-up form with the topic ticked, so a reader gets the
// alerts an editor sends to that topic's followers, by email (double opt-in, as every sign-up) or
// in this browser ("Turn on notifications" takes the ticked choices too). The same for every
// reader, so the topic page stays cached.
import { SignupFields } from './signup-box.tsx';

export interface TopicFollowBoxProps {
  topic: { slug: string; name: string };
  /** Its audience key (`topic:<slug>`). */
  topicKey: string;
  formToken: string;
  idPrefix: string;
}

export function TopicFollowBox({ topic, topicKey, formToken, idPrefix }: TopicFollowBoxProps) {
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <aside class="alerts-box alerts-follow" aria-labelledby={id('heading')}>
      <h2 id={id('heading')}>{`Follow ${topic.name}`}</h2>
      <p>{`Get breaking news alerts about ${topic.name} sent directly to you as they happen, by email or as notifications in this browser.`}</p>
      <form method="post" action="/alerts">
        <SignupFields formToken={formToken} idPrefix={idPrefix} />
        <fieldset>
          <legend>Alerts about</legend>
          <label>
            <input type="checkbox" name="sections" value={topicKey} checked /> {topic.name}
          </label>
          <label>
            <input type="checkbox" name="sections" value="*" /> All breaking news
          </label>
        </fieldset>
        <p class="muted">Already get our alerts? Sign up here all the same: we mail you a link to add this topic.</p>
        <button type="submit">Follow</button>
        {/* Filled by the alerts-push island ("Turn on notifications"); stays hidden without it. */}
        <div class="alerts-push" data-alerts-push="button" hidden />
      </form>
    </aside>
  );
}

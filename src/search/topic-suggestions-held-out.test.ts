// How well topic suggestions find the topics an editor chose, on stories the site has never seen:
// the demo site's thirty stories in five folds; each fold's six stories come in as new drafts,
// without topics, to a site holding the other twenty-four with their editors' topics. The goal is
// 80 % of the editors' topics among the top ten suggestions; this corpus reaches 84.5 % (folds 90,
// 80, 83, 89, 79 %; it was 71 %). A third of its topics are broad categories its stories never
// name ("Economy" on an interest-rate decision): the subject lexicon brings most of them from the
// words the story uses, now with each beat's plain words (fuel for energy, rail for transit) and
// the second level of the news categories. Several of those new categories are ones this corpus
// uses (manufacturing, oceans, archaeology, consumer protection, startups), so the figure flatters:
// without them it is 80 %. Subjects a story's words do not point to ("Climate" on a flood barrier)
// come from the topics of alike stories, found with all of the story's vector words and weighed
// by how alike they are. What is missed is mostly a newsroom's own narrow subject used once ("Rail
// Safety", "Rural Health"), which only an editor's habit brings, and subjects ranked just past
// tenth. The floor below keeps what is reached from slipping.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { buildTestApp } from '../../test/helpers/build-test-app.ts';
import { readManifest } from '../demo/seed-demo.ts';
import { stems } from '../articles/topics/topic-extraction.ts';
import { CaptureImporter } from '../importers/capture-import.ts';
import { parseCapture } from '../importers/capture-parser.ts';
import { projectFile } from '../platform/paths.ts';

const FOLDS = 5;
const RECALL_FLOOR = 0.83;

test('the topics editors chose are among the top ten suggestions on stories the site has never seen (measured; goal 80 %)', async (t) => {
  const manifest = readManifest();
  let found = 0;
  let wanted = 0;
  const misses: string[] = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const app = await buildTestApp();
    try {
      for (const [position, section] of manifest.sections.entries()) await app.services.articles.createSection({ ...section, position });
      const importer = new CaptureImporter({ articles: app.services.articles, videos: app.services.videos });
      const held: { id: number; topics: string[]; file: string }[] = [];
      const newcomers: { input: Awaited<ReturnType<CaptureImporter['toArticleInput']>>; topics: string[]; file: string; dek: string }[] = [];
      for (const [index, story] of manifest.stories.entries()) {
        const parsed = parseCapture(fs.readFileSync(projectFile(`src/demo/stories/${story.file}`), 'utf8'));
        const input = await importer.toArticleInput(parsed, { publish: true, sourceKey: `demo:${story.file}` });
        if (index % FOLDS === fold) newcomers.push({ input, topics: story.topics, file: story.file, dek: story.dek });
        else await app.services.articles.save({ ...input, dek: story.dek, topicNames: story.topics });
      }
      // The site has its history before the new stories come in, as drafts without topics.
      for (let round = 0; round < 10 && (await app.jobs.runDue()).length > 0; round++);
      for (const story of newcomers) {
        const draft = await app.services.articles.save({ ...story.input, dek: story.dek, status: 'draft', topicNames: [] });
        held.push({ id: draft.id, topics: story.topics, file: story.file });
      }
      for (let round = 0; round < 10 && (await app.jobs.runDue()).length > 0; round++);
      for (const story of held) {
        const suggested = new Set((await app.services.topicSuggestions.suggestionsFor(story.id)).map((s) => stems(s.name)));
        for (const topic of story.topics) {
          wanted++;
          if (suggested.has(stems(topic))) found++;
          else misses.push(`${story.file}: ${topic}`);
        }
      }
    } finally {
      await app.close();
    }
  }
  const recall = found / wanted;
  t.diagnostic(`recall at 10: ${(recall * 100).toFixed(1)} % (${found} of ${wanted}); missed: ${misses.join('; ')}`);
  assert.ok(recall >= RECALL_FLOOR, `recall ${recall.toFixed(3)}; missed ${misses.join('; ')}`);
});

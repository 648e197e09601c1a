// The demo site seeded on the first start of an empty database: sections, staff, house ads and
// thirty stories written for this project, stored as captures and loaded through the importer.
import fs from 'node:fs';
import type { Services } from '../app.ts';
import { CaptureImporter } from '../importers/capture-import.ts';
import { parseCapture } from '../importers/capture-parser.ts';
import { projectFile } from '../platform/paths.ts';

interface Manifest {
  siteName: string;
  sections: { slug: string; name: string; description: string }[];
  authors: { slug: string; name: string; bio: string }[];
  adCreatives: { name: string; headline: string; body: string; linkUrl: string; sponsor: string }[];
  stories: { file: string; authors: string[]; topics: string[]; dek: string; hoursAgo: number }[];
}


export function readManifest(): Manifest {
  return JSON.parse(fs.readFileSync(projectFile('src/demo/manifest.json'), 'utf8')) as Manifest;
}

/** True on a database nobody has set up yet: no sections at all. */
export async function isEmptySite(services: Services): Promise<boolean> {
  return (await services.articles.sections()).length === 0;
}

export async function seedDemo(services: Services, now = new Date()): Promise<{ stories: number }> {
  const manifest = readManifest();
  const { articles, authors, ads, settings } = services;
  await settings.update({ tagline: 'Demo edition: stories written to show what Bulletin does' });
  for (const [position, section] of manifest.sections.entries()) await articles.createSection({ ...section, position });
  for (const author of manifest.authors) await authors.save(author);
  for (const creative of manifest.adCreatives) await ads.create(creative);

  const importer = new CaptureImporter({ articles: services.articles, videos: services.videos });
  const saves = [];
  for (const story of manifest.stories) {
    const parsed = parseCapture(fs.readFileSync(projectFile(`src/demo/stories/${story.file}`), 'utf8'));
    const input = await importer.toArticleInput(parsed, { publish: true, sourceKey: `demo:${story.file}` });
    saves.push({
      input: {
        ...input,
        dek: story.dek,
        authorSlugs: story.authors,
        topicNames: story.topics,
        publishedAt: new Date(now.getTime() - story.hoursAgo * 3600_000).toISOString(),
      },
    });
  }
  await articles.saveMany(saves);
  return { stories: saves.length };
}

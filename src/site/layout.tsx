// The reader page shell: head metadata, masthead (logo or name) with the site's navigation (its own
// links when set, else the sections), footer.
import type { ComponentChildren } from 'preact';
import type { Section } from '../articles/model.ts';
import { feedLinks } from '../feeds/feed-paths.ts';
import { jsonForScript } from '../platform/render.ts';
import type { SiteSettings } from '../settings/settings-service.ts';

export interface PageMeta {
  title: string;
  description: string;
  /** Site-relative path of the canonical URL. */
  path: string;
  type?: 'website' | 'article';
  image?: string | null;
  /** The preview image's text alternative and size, when known. */
  imageAlt?: string;
  imageWidth?: number;
  imageHeight?: number;
  /**
   * The listing whose feeds this page offers feed readers (its path: '' for the whole site, as
   * every page offers when it names none), and their title.
   */
  feedBase?: string;
  feedTitle?: string;
  /** Structured data: one object per <script type="application/ld+json"> block. */
  jsonLd?: Record<string, unknown>[];
  noindex?: boolean;
  extraMeta?: { property: string; content: string }[];
}

export interface LayoutProps {
  settings: SiteSettings;
  sections: Section[];
  siteUrl: string;
  css: string;
  meta: PageMeta;
  currentSection?: string;
  /** Module scripts every page of this kind loads (other features' islands). */
  scripts?: string[];
  children: ComponentChildren;
}

/** The pages are written in English (`<html lang="en">`); Open Graph wants a language and territory. */
const OG_LOCALE = 'en_US';

export function Layout({ settings, sections, siteUrl, css, meta, currentSection, scripts = [], children }: LayoutProps) {
  const canonical = siteUrl + meta.path;
  const image = meta.image ? absolute(siteUrl, meta.image) : null;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{meta.title}</title>
        <meta name="description" content={meta.description} />
        <link rel="canonical" href={canonical} />
        {meta.noindex && <meta name="robots" content="noindex" />}
        <meta property="og:site_name" content={settings.siteName} />
        <meta property="og:locale" content={OG_LOCALE} />
        <meta property="og:type" content={meta.type ?? 'website'} />
        <meta property="og:title" content={meta.title} />
        <meta property="og:description" content={meta.description} />
        <meta property="og:url" content={canonical} />
        {image && <meta property="og:image" content={image} />}
        {image && meta.imageWidth ? <meta property="og:image:width" content={String(meta.imageWidth)} /> : null}
        {image && meta.imageHeight ? <meta property="og:image:height" content={String(meta.imageHeight)} /> : null}
        {image && meta.imageAlt && <meta property="og:image:alt" content={meta.imageAlt} />}
        {meta.extraMeta?.map((m) => <meta key={m.property} property={m.property} content={m.content} />)}
        <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
        <meta name="twitter:title" content={meta.title} />
        <meta name="twitter:description" content={meta.description} />
        {image && <meta name="twitter:image" content={image} />}
        {image && meta.imageAlt && <meta name="twitter:image:alt" content={meta.imageAlt} />}
        <meta name="theme-color" content="#ffffff" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        {feedLinks(meta.feedBase ?? '', meta.feedTitle ?? settings.siteName).map((feed) => (
          <link key={feed.type} rel="alternate" type={feed.type} title={feed.title} href={feed.href} />
        ))}
        <style dangerouslySetInnerHTML={{ __html: css }} />
        {meta.jsonLd?.map((data, i) => (
          <script key={i} type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonForScript(data) }} />
        ))}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header" id="top">
          <div class="wrap">
            <div class="masthead">
              <a class="site-name" href="/">
                {settings.logo ? (
                  // One small file, no srcset or preload: see logoOf in settings/service.ts.
                  <img class="site-logo" src={settings.logo.url} width={settings.logo.width} height={settings.logo.height} alt={settings.siteName} />
                ) : (
                  settings.siteName
                )}
              </a>
              {settings.tagline && <p class="tagline">{settings.tagline}</p>}
            </div>
            {settings.navigation.length > 0 ? (
              <nav class="sections" aria-label="Main">
                <ul>
                  {settings.navigation.map((link, i) => (
                    <li key={i}>
                      <a href={link.href} aria-current={link.href === meta.path ? 'page' : undefined}>
                        {link.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            ) : (
              <nav class="sections" aria-label="Sections">
                <ul>
                  {sections.map((section) => (
                    <li key={section.id}>
                      <a href={`/${section.slug}`} aria-current={section.slug === currentSection ? 'page' : undefined}>
                        {section.name}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            )}
            {/* A plain GET form: search works before (and without) any script. */}
            <form class="site-search" role="search" action="/search" method="get">
              <label class="visually-hidden" for="site-search-q">
                Search stories
              </label>
              <input id="site-search-q" type="search" name="q" maxLength={200} />
              <button type="submit">Search</button>
            </form>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          <div class="wrap">{children}</div>
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>
              © {new Date().getUTCFullYear()} {settings.siteName}
            </p>
            <ul>
              <li>
                <a href="/feed.xml">RSS feed</a>
              </li>
              {sections.slice(0, 6).map((section) => (
                <li key={section.id}>
                  <a href={`/${section.slug}/feed.xml`}>{section.name} feed</a>
                </li>
              ))}
            </ul>
          </div>
        </footer>
        {scripts.map((src) => (
          <script key={src} type="module" src={src}></script>
        ))}
      </body>
    </html>
  );
}

export function absolute(siteUrl: string, url: string): string {
  return /^https?:\/\//.test(url) ? url : siteUrl + (url.startsWith('/') ? url : `/${url}`);
}

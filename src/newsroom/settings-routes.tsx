// Site settings (name, tagline, ads.txt, logo, navigation) and the security policy
// (administrators), sections (editors), and the audit log (administrators). Author profiles have
// their own screens (author-routes.tsx).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ArticlesService } from '../articles/service.ts';
import type { AuditLog } from '../accounts/audit.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { ImagesService } from '../media/image-service.ts';
import type { ClientAssets } from '../platform/client-assets.ts';
import type { FieldError } from '../platform/errors.ts';
import type { SettingsService } from '../settings/service.ts';
import { Csrf, ErrorSummary, Field, formFields, TextArea } from './forms.tsx';
import { fieldImage } from './media/image-field.tsx';
import type { NewsroomPages } from './layout.tsx';
import { attempt } from './sign-in-routes.tsx';
import { LogoField, NavigationRows, settingsFormValues, settingsPatchOf } from './site-settings-form.tsx';

export interface SettingsDeps {
  accounts: AccountsService;
  settings: SettingsService;
  articles: ArticlesService;
  audit: AuditLog;
  images: Pick<ImagesService, 'find'>;
  pages: NewsroomPages;
  assets: ClientAssets;
}

type Extra = { errors?: FieldError[]; form?: Record<string, string>; status?: number; notice?: string };

export function registerSettingsRoutes(app: FastifyInstance, deps: SettingsDeps): void {
  const { accounts, settings, articles, audit, images, pages, assets } = deps;
  const admin = { permission: 'canManageSettings' as const };
  const editors = { permission: 'canManageSections' as const };

  const settingsPage = async (request: FastifyRequest, reply: FastifyReply, extra: Extra = {}) => {
    const form = extra.form ?? settingsFormValues(await settings.get(), await settings.logoImageId());
    const [required, logo, scriptUrl] = await Promise.all([accounts.twoFactorRequired(), fieldImage(images, form.logoImageId), assets.url('image-field')]);
    const errors = extra.errors ?? [];
    return pages.send(request, reply, { title: 'Settings', status: extra.status }, ({ csrf }) => (
      <>
        <h1>Site settings</h1>
        {extra.notice && <p class="notice">{extra.notice}</p>}
        <ErrorSummary errors={errors} />
        <form class="stack" method="post" action="/newsroom/settings" novalidate>
          <Csrf token={csrf} />
          <Field name="siteName" label="Site name" value={form.siteName} errors={errors} required />
          <Field name="tagline" label="Tagline" value={form.tagline} errors={errors} />
          <TextArea name="adsTxt" label="ads.txt" hint="Served at /ads.txt for advertising partners." value={form.adsTxt} errors={errors} />
          <LogoField values={form} errors={errors} image={logo} />
          <NavigationRows values={form} errors={errors} />
          <div>
            <button type="submit">Save settings</button>
          </div>
        </form>
        <h2>Security</h2>
        <form class="stack" method="post" action="/newsroom/settings/security">
          <Csrf token={csrf} />
          <div>
            <label for="requireTwoFactor">Two-factor sign-in</label>
            <select id="requireTwoFactor" name="requireTwoFactor">
              <option value="off" selected={!required}>Optional</option>
              <option value="on" selected={required}>Required for all staff</option>
            </select>
          </div>
          <div>
            <button type="submit">Save security policy</button>
          </div>
        </form>
        <script type="module" src={scriptUrl} />
      </>
    ));
  };

  app.get('/newsroom/settings', { config: admin }, (request, reply) => settingsPage(request, reply));

  app.post('/newsroom/settings', { config: admin }, async (request, reply) => {
    const { patch, values } = settingsPatchOf(formFields(request.body));
    const entry = { actor: request.staff!, action: 'settings.update', target: 'site', detail: { fields: Object.keys(patch) } };
    const result = await attempt(() => settings.update(patch, (trx) => audit.record(trx, entry)));
    if ('errors' in result) return settingsPage(request, reply, { errors: result.errors, form: values, status: result.status });
    return settingsPage(request, reply, { notice: 'Settings saved.' });
  });

  app.post('/newsroom/settings/security', { config: admin }, async (request, reply) => {
    const value = formFields(request.body).requireTwoFactor;
    if (value !== 'on' && value !== 'off') {
      return settingsPage(request, reply, { errors: [{ field: 'requireTwoFactor', message: 'Choose optional or required.' }], status: 400 });
    }
    await accounts.setTwoFactorRequired(request.staff!, value === 'on');
    return settingsPage(request, reply, { notice: 'Security policy saved.' });
  });

  const sectionsPage = async (request: FastifyRequest, reply: FastifyReply, extra: Extra = {}) => {
    const sections = await articles.sections();
    const errors = extra.errors ?? [];
    return pages.send(request, reply, { title: 'Sections', status: extra.status }, ({ csrf }) => (
      <>
        <h1>Sections</h1>
        {extra.notice && <p class="notice">{extra.notice}</p>}
        <ul>
          {sections.map((s) => (
            <li key={s.id}>
              <a href={`/${s.slug}`}>{s.name}</a> <span class="muted">/{s.slug}</span>
            </li>
          ))}
        </ul>
        <h2>Add a section</h2>
        <ErrorSummary errors={errors} />
        <form class="stack" method="post" action="/newsroom/sections" novalidate>
          <Csrf token={csrf} />
          <Field name="name" label="Name" value={extra.form?.name} errors={errors} required />
          <Field name="slug" label="Address" hint="Lowercase letters, digits and dashes; left empty, it follows the name." value={extra.form?.slug} errors={errors} />
          <Field name="description" label="Description" value={extra.form?.description} errors={errors} />
          <div>
            <button type="submit">Add section</button>
          </div>
        </form>
      </>
    ));
  };

  app.get('/newsroom/sections', { config: editors }, (request, reply) => sectionsPage(request, reply));

  app.post('/newsroom/sections', { config: editors }, async (request, reply) => {
    const form = formFields(request.body);
    const result = await attempt(() => articles.createSection({ name: form.name ?? '', slug: form.slug?.trim() || undefined, description: form.description?.trim() ?? '' }));
    if ('errors' in result) return sectionsPage(request, reply, { errors: result.errors, form, status: result.status });
    return sectionsPage(request, reply, { notice: `Section "${result.ok.name}" added.`, status: 201 });
  });

  app.get('/newsroom/audit', { config: { permission: 'canViewAuditLog' } }, async (request, reply) => {
    const entries = await audit.recent(200);
    return pages.send(request, reply, { title: 'Audit log' }, () => (
      <>
        <h1>Audit log</h1>
        <table>
          <caption class="skip">The latest 200 entries, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Target</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{e.at.slice(0, 19).replace('T', ' ')}</td>
                <td>{e.actor}</td>
                <td>{e.action}</td>
                <td>{e.target}</td>
                <td>{JSON.stringify(e.detail)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    ));
  });
}

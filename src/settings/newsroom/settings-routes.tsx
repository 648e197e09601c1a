// Site settings (name, tagline, ads.txt, logo, navigation) and the security policy: administrators.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditService } from '../../accounts/audit-service.ts';
import type { AccountService } from '../../accounts/account-service.ts';
import type { ImageService } from '../../media/image-service.ts';
import type { ClientAssets } from '../../platform/client-assets.ts';
import type { FieldError } from '../../platform/errors.ts';
import type { SettingsService } from '../settings-service.ts';
import { Csrf, ErrorSummary, Field, TextArea, attempt, formFields } from '../../newsroom/forms.tsx';
import { fieldImage } from '../../media/newsroom/image-field.tsx';
import type { NewsroomPages } from '../../newsroom/layout.tsx';
import { LogoField, NavigationRows, settingsFormValues, settingsPatchOf } from './site-settings-form.tsx';

export interface SettingsDeps {
  accounts: AccountService;
  settings: SettingsService;
  audit: AuditService;
  images: Pick<ImageService, 'find'>;
  pages: NewsroomPages;
  assets: ClientAssets;
}

type Extra = { errors?: FieldError[]; form?: Record<string, string>; status?: number; notice?: string };

export function registerSettingsRoutes(app: FastifyInstance, deps: SettingsDeps): void {
  const { accounts, settings, audit, images, pages, assets } = deps;
  const admin = { permission: 'canManageSettings' as const };

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
          <Field
            name="region"
            label="Region"
            hint="Where your readers are, e.g. Canada: the breaking-news sign-up says “For news impacting Canada and around the world”."
            value={form.region}
            errors={errors}
          />
          <Field
            name="alertsPitch"
            label="Alerts sign-up sentence"
            hint="Leave empty for “For news impacting {region} and around the world, sign up to receive breaking news alerts sent directly to you as they happen.” Write {region} where the region goes."
            value={form.alertsPitch}
            errors={errors}
          />
          <div>
            <label for="feedContent">Feeds carry</label>
            <p class="hint" id="feedContent-hint">
              What RSS, Atom and JSON Feed readers get of each story: the whole text, or its summary with a link to the story.
            </p>
            <select id="feedContent" name="feedContent" aria-describedby="feedContent-hint" aria-invalid={errors.some((e) => e.field === 'feedContent') ? 'true' : undefined}>
              <option value="full" selected={form.feedContent !== 'excerpt'}>The full text</option>
              <option value="excerpt" selected={form.feedContent === 'excerpt'}>A summary and a link</option>
            </select>
          </div>
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
}

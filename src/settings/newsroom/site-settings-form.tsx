// The site settings form's logo and navigation parts. Navigation is plain rows of label and
// address, one empty row to add a link, a cleared row to remove one: no script needed.
import type { FieldError } from '../../platform/errors.ts';
import { NAVIGATION_LIMITS, navField, type NavLink } from '../navigation.ts';
import type { SettingsPatch, SiteSettings } from '../settings-service.ts';
import { Field } from '../../newsroom/forms.tsx';
import { ImageIdField, imageIdOf } from '../../media/newsroom/image-field.tsx';
import type { PickerImage } from '../../media/newsroom/picker-image.ts';

const ROW_FIELD = /^nav-(\d{1,3})-(label|href)$/;

/** The form's values for the settings the form edits. */
export function settingsFormValues(settings: SiteSettings, logoImageId: number | null): Record<string, string> {
  return {
    siteName: settings.siteName,
    tagline: settings.tagline,
    adsTxt: settings.adsTxt,
    region: settings.region,
    alertsPitch: settings.alertsPitch,
    feedContent: settings.feedContent,
    logoImageId: logoImageId ? String(logoImageId) : '',
    ...navigationValues(settings.navigation),
  };
}

/**
 * The submitted form as a settings change, and the form's values with the navigation rows
 * renumbered from 1 without the empty ones: the numbers the service's messages use.
 */
export function settingsPatchOf(form: Record<string, string>): { patch: SettingsPatch; values: Record<string, string> } {
  const rows = new Map<number, NavLink>();
  for (const [key, value] of Object.entries(form)) {
    const match = ROW_FIELD.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    const row = rows.get(index) ?? { label: '', href: '' };
    row[match[2] as 'label' | 'href'] = value;
    rows.set(index, row);
  }
  const navigation = [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, row]) => row)
    .filter((row) => row.label.trim() || row.href.trim());
  const logoRaw = (form.logoImageId ?? '').trim();
  const patch: SettingsPatch = {
    siteName: form.siteName ?? '',
    tagline: form.tagline ?? '',
    adsTxt: (form.adsTxt ?? '').replace(/\r\n/g, '\n'),
    region: form.region ?? '',
    alertsPitch: form.alertsPitch ?? '',
    // Anything else is refused by the service, with its message.
    feedContent: (form.feedContent ?? 'full') as SettingsPatch['feedContent'],
    // Anything but an id is NaN, which the service explains (it is no whole number).
    logoImageId: imageIdOf(logoRaw),
    navigation,
  };
  const values: Record<string, string> = { siteName: patch.siteName!, tagline: patch.tagline!, adsTxt: patch.adsTxt!, region: patch.region!, alertsPitch: patch.alertsPitch!, feedContent: form.feedContent ?? 'full', logoImageId: logoRaw, ...navigationValues(navigation) };
  return { patch, values };
}

function navigationValues(links: NavLink[]): Record<string, string> {
  const values: Record<string, string> = {};
  links.forEach((link, i) => {
    values[navField(i + 1, 'label')] = link.label;
    values[navField(i + 1, 'href')] = link.href;
  });
  return values;
}

/** The logo's library image, chosen with the image field island or typed as a number. */
export function LogoField({ values, errors, image }: { values: Record<string, string>; errors: FieldError[]; image?: PickerImage }) {
  return (
    <ImageIdField
      name="logoImageId"
      label="Logo image id"
      hint="Optional: the number of an image in the media library, shown in the site header in place of the site name (which becomes its alt text). Leave empty to show the name."
      value={values.logoImageId}
      errors={errors}
      image={image}
      what="logo"
    />
  );
}

/** The rows as submitted (or stored), then one empty row while there is room for another link. */
export function NavigationRows({ values, errors }: { values: Record<string, string>; errors: FieldError[] }) {
  let count = 0;
  while (values[navField(count + 1, 'label')] !== undefined || values[navField(count + 1, 'href')] !== undefined) count++;
  const rows = count < NAVIGATION_LIMITS.links ? count + 1 : count;
  return (
    <fieldset id="navigation" class="group">
      <legend>Navigation</legend>
      <p class="hint">
        Up to {NAVIGATION_LIMITS.links} links for the site header, in this order, in place of the sections. An address is a path on this site
        starting with / (like /national) or a full https:// address. Clear a row to remove its link; with no links the header shows the sections.
      </p>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} class="nav-row">
          <Field name={navField(i + 1, 'label')} label={`Link ${i + 1} label`} hint={i === 0 ? `Up to ${NAVIGATION_LIMITS.label} characters.` : undefined} value={values[navField(i + 1, 'label')]} errors={errors} />
          <Field name={navField(i + 1, 'href')} label={`Link ${i + 1} address`} value={values[navField(i + 1, 'href')]} errors={errors} />
        </div>
      ))}
    </fieldset>
  );
}

// Roles and what they allow: each permission is a short named predicate, so a route or service asks
// "may this actor do X?" by name, and docs/roles.md lists the same matrix (a test keeps them equal).

export const ROLES = ['administrator', 'editor', 'author', 'contributor', 'moderator'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Who is acting: a signed-in staff member or an admin-API token (acting with its role). */
export interface Actor {
  kind: 'user' | 'token';
  /** users.id for a person, api_tokens.id for a token. */
  id: number;
  role: Role;
  name: string;
}

const is =
  (...roles: Role[]) =>
  (actor: Actor | undefined): boolean =>
    actor !== undefined && roles.includes(actor.role);

export const PERMISSIONS = {
  /** Enter the newsroom at all: dashboard, own account, two-factor settings. Every staff role. */
  canUseNewsroom: is('administrator', 'editor', 'author', 'contributor', 'moderator'),
  /** Start stories and edit one's own drafts (contributors: drafts only; see mayEditStory). */
  canWriteStories: is('administrator', 'editor', 'author', 'contributor'),
  /** Hand one's own story to the editors ("ready for edit"). Publishing it is a separate right. */
  canSubmitForEdit: is('administrator', 'editor', 'author', 'contributor'),
  /** Upload and use images and video in stories. */
  canUploadMedia: is('administrator', 'editor', 'author', 'contributor'),
  /** Edit anybody's story, in any status. */
  canEditAnyStory: is('administrator', 'editor'),
  /** Publish, schedule, unpublish and correct stories. */
  canPublish: is('administrator', 'editor'),
  /** Create and change sections and author profiles (bio, photo). */
  canManageSections: is('administrator', 'editor'),
  /** Send breaking-news alerts to subscribers (email and web push), and follow their delivery. */
  canSendAlerts: is('administrator', 'editor'),
  /** Approve, reject and delete reader comments, settle readers' reports, and get the email digest of held comments. */
  canModerateComments: is('administrator', 'editor', 'moderator'),
  /** Look up, export or erase every comment and stored address of one email (a commenter's privacy request; audited). */
  canManageCommenterData: is('administrator'),
  /** Invite staff, change roles, reset passwords, sign people out, deactivate and reactivate accounts. */
  canManageStaff: is('administrator'),
  /** Change site settings (name, tagline, ads.txt) and the security policy (required two-factor). */
  canManageSettings: is('administrator'),
  /** Create and revoke admin-API tokens (a token made by a person is revoked when they stop being an administrator). */
  canManageTokens: is('administrator'),
  /** See the old addresses of imported sites (WordPress) and where each redirects now. */
  canViewRedirects: is('administrator', 'editor'),
  /** Read the audit log of publishing, role, settings and token changes. */
  canViewAuditLog: is('administrator'),
} satisfies Record<string, (actor: Actor | undefined) => boolean>;

export type Permission = keyof typeof PERMISSIONS;

/** What a route declares in `config.permission`: a permission, or 'public' (sign-in, setup links). */
export type RouteAccess = Permission | 'public';

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && Object.hasOwn(PERMISSIONS, value);
}

export function allows(actor: Actor | undefined, permission: Permission): boolean {
  return PERMISSIONS[permission](actor);
}

/**
 * Story-level rule for the editor: editors edit anything; authors their own stories until they are
 * scheduled or published (nobody publishes what an editor has not seen: a scheduled story goes out
 * as the editor who scheduled it left it); contributors only their own drafts.
 */
export function mayEditStory(actor: Actor | undefined, story: { ownerUserId: number | null; status: string }): boolean {
  if (!actor) return false;
  if (allows(actor, 'canEditAnyStory')) return true;
  if (actor.kind !== 'user' || story.ownerUserId !== actor.id) return false;
  if (actor.role === 'author') return story.status !== 'published' && story.status !== 'scheduled';
  return actor.role === 'contributor' && story.status === 'draft';
}

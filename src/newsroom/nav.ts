// The newsroom navigation. A feature that adds a screen adds one line here; the shell shows an item
// only to people whose role allows its permission.
import type { Permission } from '../accounts/permissions.ts';

export interface NavItem {
  href: string;
  label: string;
  permission: Permission;
}

export const NEWSROOM_NAV: NavItem[] = [
  { href: '/newsroom', label: 'Dashboard', permission: 'canUseNewsroom' },
  { href: '/newsroom/stories', label: 'Stories', permission: 'canWriteStories' },
  { href: '/newsroom/media', label: 'Media', permission: 'canUploadMedia' },
  { href: '/newsroom/sections', label: 'Sections', permission: 'canManageSections' },
  { href: '/newsroom/authors', label: 'Authors', permission: 'canManageSections' },
  { href: '/newsroom/staff', label: 'Staff', permission: 'canManageStaff' },
  { href: '/newsroom/tokens', label: 'API tokens', permission: 'canManageTokens' },
  { href: '/newsroom/settings', label: 'Settings', permission: 'canManageSettings' },
  { href: '/newsroom/audit', label: 'Audit log', permission: 'canViewAuditLog' },
  { href: '/newsroom/account', label: 'My account', permission: 'canUseNewsroom' },
];

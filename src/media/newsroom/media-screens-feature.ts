// The media library's newsroom screens: the library with its upload, an image's screen, the
// JSON the editor's pickers list images and clips from, and the serving of clips' files (staff
// only until a published story shows the clip: it needs the staff's sessions).
import type { AccountService } from '../../accounts/account-service.ts';
import type { NewsroomShell } from '../../newsroom/newsroom-shell.ts';
import type { Feature } from '../../platform/feature.ts';
import type { Media } from '../media-feature.ts';
import { registerMediaRoutes } from './media-routes.tsx';
import { registerVideoPickerRoutes } from './video-picker-routes.ts';
import { SESSION_COOKIE } from '../../accounts/http.ts';
import { allows } from '../../newsroom/permissions.ts';
import { registerVideoFileRoutes } from '../video/video-file-routes.ts';
import { registerVideoScreenRoutes } from '../video/newsroom/video-screen-routes.tsx';

export function mediaScreens(deps: { media: Media; accounts: Pick<AccountService, 'session'>; newsroom: NewsroomShell }): Feature<null> {
  const { media, accounts, newsroom } = deps;
  return {
    name: 'media screens',
    api: null,
    nav: [{ href: '/newsroom/media', label: 'Media', permission: 'canUploadMedia', order: 20 }],
    routes(app) {
      registerMediaRoutes(app, { images: media.images, pages: newsroom.pages, assets: newsroom.islands, accounts });
      registerVideoPickerRoutes(app, media.videos);
      registerVideoScreenRoutes(app, { videos: media.videos, uploads: media.videoUploads, pages: newsroom.pages, assets: newsroom.islands });
      // A clip's files are the newsroom's until a published story shows it: staff are known by their session.
      registerVideoFileRoutes(app, {
        videos: media.videos,
        isStaff: async (request) => {
          const staff = await accounts.session(request.cookies[SESSION_COOKIE]);
          return staff?.stage === 'full' && allows(staff, 'canUseNewsroom');
        },
      });
    },
  };
}

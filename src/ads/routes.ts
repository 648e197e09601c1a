// /ads.txt (the IAB list of authorised sellers), from the site settings.
import type { FastifyInstance } from 'fastify';
import type { PageResponder } from '../platform/page-responder.ts';
import { SETTINGS_TAG, type SettingsService } from '../settings/settings-service.ts';

export function registerAdsRoutes(app: FastifyInstance, settings: SettingsService, responder: PageResponder): void {
  app.get('/ads.txt', async (request, reply) =>
    responder.respond(request, reply, '/ads.txt', async () => {
      const { adsTxt } = await settings.get();
      return {
        body: adsTxt ? `${adsTxt.trim()}\n` : '# No authorised sellers are listed for this site.\n',
        contentType: 'text/plain; charset=utf-8',
        tags: [SETTINGS_TAG],
      };
    }),
  );
}

// The audit log, for administrators: the latest entries, newest first.
import type { FastifyInstance } from 'fastify';
import type { NewsroomPages } from '../../newsroom/layout.tsx';
import type { AuditService } from '../audit-service.ts';

export function registerAuditRoutes(app: FastifyInstance, deps: { audit: AuditService; pages: NewsroomPages }): void {
  const { audit, pages } = deps;
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

// The newsroom's read-only view of old addresses: what each one answers now. Editors check it
// after an import; nothing here changes the table (a re-import does).
import type { FastifyInstance } from 'fastify';
import type { NewsroomPages } from '../../newsroom/layout.tsx';
import type { OldAddresses } from './old-addresses.ts';

export const OLD_ADDRESSES_URL = '/newsroom/redirects';
const PAGE_SIZE = 100;

export function registerOldAddressScreen(app: FastifyInstance, deps: { addresses: OldAddresses; pages: NewsroomPages }): void {
  const { addresses, pages } = deps;
  app.get(OLD_ADDRESSES_URL, { config: { permission: 'canViewRedirects' } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const search = typeof query.q === 'string' ? query.q.trim().slice(0, 200) : '';
    const pageNumber = typeof query.page === 'string' && /^\d{1,6}$/.test(query.page) ? Math.max(1, Number(query.page)) : 1;
    const { rows, total } = await addresses.list({ limit: PAGE_SIZE, offset: (pageNumber - 1) * PAGE_SIZE, ...(search ? { search } : {}) });
    const pagesTotal = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const link = (n: number) => `${OLD_ADDRESSES_URL}?page=${n}${search ? `&q=${encodeURIComponent(search)}` : ''}`;
    return pages.send(request, reply, { title: 'Old addresses' }, () => (
      <>
        <h1>Old addresses</h1>
        <p>
          Addresses of the site before it moved to Bulletin (post links, <code>?p=</code> short links, category pages). Each answers
          with a permanent redirect to where its story or section is now; one whose story is not published answers “not found”.
        </p>
        <form method="get" action={OLD_ADDRESSES_URL} role="search">
          <label for="q">Address contains</label> <input id="q" name="q" type="search" value={search} /> <button type="submit">Search</button>
        </form>
        <table>
          <caption>
            {total.toLocaleString('en-US')} old address{total === 1 ? '' : 'es'}
            {search ? ` containing “${search}”` : ''}, page {pageNumber} of {pagesTotal}
          </caption>
          <thead>
            <tr>
              <th scope="col">Old address</th>
              <th scope="col">Leads to</th>
              <th scope="col">From</th>
              <th scope="col">Since (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                <td>
                  <code>{row.path}</code>
                </td>
                <td>{row.target ? <a href={row.target}>{row.target}</a> : <span class="muted">nothing now (story not published)</span>}</td>
                <td>{row.origin}</td>
                <td>{row.createdAt.slice(0, 19).replace('T', ' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <nav aria-label="Pages of old addresses">
          {pageNumber > 1 && <a href={link(pageNumber - 1)}>Previous page</a>} {pageNumber < pagesTotal && <a href={link(pageNumber + 1)}>Next page</a>}
        </nav>
      </>
    ));
  });
}

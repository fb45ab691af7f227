/**
 * The page source of a real read: a thin adapter over the Service Layer client, which signs in,
 * retries and parses; this only turns a page request into the OData query and the answer into a
 * page.
 */
import type { ServiceLayerClient } from '../service-layer/client.js';
import { buildQuery, parseCollectionPage } from '../service-layer/odata.js';
import { keyLiteral } from './cursor/ordering.js';
import type { PageSource } from './page-source.js';
import type { RawEntity } from './records.js';

export function serviceLayerPages(client: ServiceLayerClient): PageSource {
  return {
    async readPage(request, signal) {
      const query = buildQuery({ filter: request.filter, select: [...request.select], orderBy: [`${request.orderBy} asc`] }, client.dialect);
      const body = await client.getJson(`${request.entitySet}?${query}`, { pageSize: request.pageSize, signal });
      const page = parseCollectionPage<RawEntity>(body, client.dialect);
      return { records: page.value, morePages: page.nextLink !== undefined };
    },
    async countRecords(entitySet, filter, signal) {
      const query = filter ? `?${buildQuery({ filter }, client.dialect)}` : '';
      const text = await client.getText(`${entitySet}/$count${query}`, { signal, accept: 'text/plain' });
      const count = Number(text.trim());
      return Number.isSafeInteger(count) && count >= 0 ? count : undefined;
    },
    serverToday: () => client.lastServerDate()?.toISOString().slice(0, 10),
    entityUrl: (entitySet, key) => `${client.serviceRoot.href}${entitySet}(${keyLiteral(key)})`,
  };
}

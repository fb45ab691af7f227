/**
 * Paging: the page size is asked for with Prefer: odata.maxpagesize (on the requester) and the
 * next page is the OData next link, under the key of either dialect (odata.ts NEXT_LINK_KEYS).
 * CursorPagination returns no token for an empty value, which ends the stream
 * (cursor_pagination_strategy.py, next_page_token); with a RequestPath token the link becomes the
 * request's path (default_paginator.py, path), which HttpRequester joins to url_base with
 * urllib's urljoin after making sure the base ends in '/' (http_requester.py, _join_url). The
 * Service Layer's links are relative to the service root ("Invoices?$filter=...&$skip=20"), so
 * they resolve to the service root, the same as the image resolves them.
 */
import { NEXT_LINK_KEYS } from '../service-layer/odata.js';
import type { Component } from './components.js';
import { pyString, template } from './jinja.js';

export function nextLinkKeys(): string[] {
  return [...new Set([...NEXT_LINK_KEYS.v2, ...NEXT_LINK_KEYS.v1])];
}

export function paginator(): Component {
  const link = nextLinkKeys()
    .map((key) => `response.get(${pyString(key)})`)
    .join(' or ');
  return {
    type: 'DefaultPaginator',
    pagination_strategy: {
      type: 'CursorPagination',
      cursor_value: template(`${link} or ''`),
      // A page without records ends the stream even if a server sent a link with it, so that a
      // misbehaving gateway cannot keep the read going forever.
      stop_condition: template(`not response.get('value')`),
    },
    page_token_option: { type: 'RequestPath' },
  };
}

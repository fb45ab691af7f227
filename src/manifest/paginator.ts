/**
 * Paging by key, as the image pages (streams/engine.ts): every request asks for the entity set in
 * key order (`$orderby=<key> asc`), and each page after the first adds `<key> gt <the last key of
 * the page before>` to the $filter (requester.ts). Paging by the OData next link instead ($skip)
 * would shift when a record behind the read position leaves the filtered set (a deleted record,
 * or one whose filtered date changes), and the record at the page boundary would be skipped.
 *
 * How the engine carries the position (airbyte-python-cdk):
 * - CursorPagination evaluates the stop condition, then cursor_value, against the decoded
 *   response of the page just read (cursor_pagination_strategy.py, next_page_token). The cursor is
 *   the key of the page's last Service Layer record, read from `response`, not from `last_record`:
 *   last_record is the last record after the record selector and the transformations
 *   (simple_retriever.py, _read_pages), which no longer holds the Service Layer's key property,
 *   and for a line stream is the last line, absent when no document of the page has lines.
 * - cursor_value goes through JinjaInterpolation's ast.literal_eval (interpolation/jinja.py), so
 *   it is rendered as a Python literal of itself: a key stays a number or text exactly
 *   ("00123" would otherwise become 123). A falsy token ends paging ("return token if token
 *   else None"); SAP's numeric keys start at 1 and its codes are not empty.
 * - DefaultPaginator wraps the token as {"next_page_token": token} (default_paginator.py); with
 *   no page_token_option it neither changes the path nor adds a parameter of its own, and the
 *   requester's request_parameters see that mapping as `next_page_token`
 *   (interpolated_request_input_provider.py), None on the first page.
 * - The stream ends where the image's read ends (engine.ts: a page with records and a next link
 *   is followed): on a page without records, or without a next link in either dialect
 *   (odata.ts NEXT_LINK_KEYS). The link itself is never followed.
 */
import { NEXT_LINK_KEYS } from '../service-layer/odata.js';
import type { Component } from './components.js';
import { exactValue, odataKeyLiteral, pyString, template } from './jinja.js';

export function nextLinkKeys(): string[] {
  return [...new Set([...NEXT_LINK_KEYS.v2, ...NEXT_LINK_KEYS.v1])];
}

/** The variable the requester's templates read the last key of the previous page from. */
const PREVIOUS_KEY = `next_page_token['next_page_token']`;

/** The $filter condition that pages by key: the records after the previous page's last key. */
export function afterPreviousKeyCondition(key: string): string {
  return `${key} gt {% set previous = ${PREVIOUS_KEY} %}${template(odataKeyLiteral('previous'))}`;
}

export function paginator(key: string): Component {
  const link = nextLinkKeys()
    .map((name) => `response.get(${pyString(name)})`)
    .join(' or ');
  return {
    type: 'DefaultPaginator',
    pagination_strategy: {
      type: 'CursorPagination',
      cursor_value: exactValue(`response.get('value')[-1].get(${pyString(key)})`),
      stop_condition: template(`not response.get('value') or not (${link})`),
    },
  };
}

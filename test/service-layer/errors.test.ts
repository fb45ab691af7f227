import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeErrorBody, nonRetryableStatusError, parseErrorBody, ServiceLayerHttpError } from '../../src/service-layer/errors.js';

test('both SAP error shapes give the same code and text', () => {
  const v1 = parseErrorBody('{"error":{"code":301,"message":{"lang":"en-us","value":"Invalid session or session already timeout."}}}');
  const v2 = parseErrorBody('{"error":{"code":"301","message":"Invalid session or session already timeout."}}');
  assert.deepEqual(v1, { sapCode: '301', text: 'Invalid session or session already timeout.' });
  assert.deepEqual(v2, v1);
  assert.equal(describeErrorBody(v1), 'SAP error 301: "Invalid session or session already timeout."');
  assert.deepEqual(parseErrorBody('{"error":{"code":-1000,"message":{"lang":"en-us","value":"Invalid property"}}}').sapCode, '-1000');
});

test('an Apache gateway page gives its title and heading', () => {
  const page = '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>502 Proxy Error</title>\n</head><body>\n<h1>Proxy Error</h1>\n<p>The proxy server received an invalid\nresponse from an upstream server.</p></body></html>';
  const details = parseErrorBody(page, 'text/html; charset=iso-8859-1');
  assert.equal(details.sapCode, undefined);
  assert.equal(details.text, '502 Proxy Error: Proxy Error: The proxy server received an invalid response from an upstream server.');
});

test('other bodies are clipped plain text; empty bodies say so', () => {
  assert.equal(parseErrorBody('Service Unavailable').text, 'Service Unavailable');
  assert.equal(parseErrorBody('x'.repeat(1000)).text!.length, 301);
  assert.equal(describeErrorBody(parseErrorBody('')), 'no error details in the response');
  assert.equal(parseErrorBody('{"error":{"code":"1"').text, '{"error":{"code":"1"');
});

test('non-retryable statuses are classified with the path, code and text in the message', () => {
  const bad = nonRetryableStatusError(400, 'GET', "Invoices?$filter=Nope%20eq%20'x'", '{"error":{"code":"-1000","message":"Invalid property Nope"}}', 'application/json');
  assert.ok(bad instanceof ServiceLayerHttpError);
  assert.equal(bad.failureType, 'system_error');
  assert.equal(bad.sapCode, '-1000');
  assert.equal(bad.sapText, 'Invalid property Nope');
  assert.match(bad.message, /GET Invoices\?\$filter=Nope eq 'x'/);

  const denied = nonRetryableStatusError(403, 'GET', 'JournalEntries', '{"error":{"code":"-1","message":"No authorization"}}', undefined);
  assert.equal(denied.failureType, 'config_error');
  assert.match(denied.message, /permission/);

  const missing = nonRetryableStatusError(404, 'GET', 'PurchaseDeliveryNotes', '', undefined);
  assert.equal(missing.failureType, 'config_error');
  assert.match(missing.message, /PurchaseDeliveryNotes/);

  const moved = nonRetryableStatusError(301, 'GET', 'Items', '', undefined, 'https://b1:50000/b1s/v2/Items');
  assert.equal(moved.failureType, 'config_error');
  assert.match(moved.message, /redirect.*https:\/\/b1:50000/);

  assert.equal(nonRetryableStatusError(405, 'GET', 'Items', '', undefined).failureType, 'system_error');
});

test('an unknown entity set, which live servers answer with 400 and SAP error -1002, is a config error naming the entity set', () => {
  const error = nonRetryableStatusError(400, 'GET', 'U_NOSUCHTABLE?$top=1', JSON.stringify({ error: { code: '-1002', message: 'Unrecognized resource path.' } }), 'application/json');
  assert.equal(error.failureType, 'config_error');
  assert.match(error.message, /U_NOSUCHTABLE/);
  assert.match(error.message, /entity set name/);
  const other = nonRetryableStatusError(400, 'GET', 'Invoices?$filter=x', JSON.stringify({ error: { code: '201', message: "Property 'x' of 'Document' is invalid" } }), 'application/json');
  assert.equal(other.failureType, 'system_error');
});

/**
 * Signing in once for many requests (src/http/sign-in.ts): one sign-in for concurrent callers, a
 * renewal only for the generation that was refused, a refusal remembered so that it is never
 * repeated (SAP locks users after failed logons), a transient failure not remembered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configError, systemError, transientError } from '../../src/errors.js';
import { SharedSignIn } from '../../src/http/sign-in.js';

function counting(outcomes: (() => Promise<string>)[] = []) {
  const calls: { previous: string | undefined; reason: string | undefined }[] = [];
  const signIn = new SharedSignIn<string>(
    async (previous, reason) => {
      calls.push({ previous, reason });
      const next = outcomes[calls.length - 1];
      if (next) return next();
      await new Promise((resolve) => setTimeout(resolve, 5));
      return `grant-${calls.length}`;
    },
    () => systemError('used after close'),
  );
  return { signIn, calls };
}

const always = () => true;

test('concurrent callers share one sign-in, and get the same grant and generation', async () => {
  const { signIn, calls } = counting();
  const grants = await Promise.all(Array.from({ length: 5 }, () => signIn.get(always, 'stale')));
  assert.equal(calls.length, 1);
  assert.deepEqual(new Set(grants.map((g) => `${g.value}/${g.generation}`)), new Set(['grant-1/1']));
  assert.deepEqual(calls[0], { previous: undefined, reason: undefined });
});

test('a grant no longer usable is replaced, with the reason and the old grant handed to the sign-in', async () => {
  const { signIn, calls } = counting();
  await signIn.get(always, 'stale');
  const next = await signIn.get((value) => value !== 'grant-1', 'the session is about to reach its idle timeout');
  assert.equal(next.generation, 2);
  assert.deepEqual(calls[1], { previous: 'grant-1', reason: 'the session is about to reach its idle timeout' });
});

test('a renewal for an old generation does nothing; for the current one it signs in again, without the ended grant', async () => {
  const { signIn, calls } = counting();
  const first = await signIn.get(always, 'stale');
  await Promise.all([signIn.renew(first.generation, 'HTTP 401'), signIn.renew(first.generation, 'HTTP 401')]);
  assert.equal(calls.length, 2, 'two callers that saw the same 401 renew once');
  assert.deepEqual(calls[1], { previous: undefined, reason: 'HTTP 401' });
  await signIn.renew(first.generation, 'HTTP 401');
  assert.equal(calls.length, 2, 'a 401 of an older generation does not renew again');
  assert.equal(signIn.ofGeneration(2), 'grant-2');
  assert.equal(signIn.ofGeneration(1), undefined);
});

test('a refusal that ends the run is remembered: no second sign-in, every caller gets the same error', async () => {
  const refusal = configError('wrong password', { endsRun: true });
  const { signIn, calls } = counting([() => Promise.reject(refusal)]);
  await assert.rejects(signIn.get(always, 'stale'), (error) => error === refusal);
  await assert.rejects(signIn.get(always, 'stale'), (error) => error === refusal);
  await assert.rejects(signIn.renew(0, 'HTTP 401'), (error) => error === refusal);
  assert.equal(calls.length, 1);
});

test('a transient failure of the sign-in is not remembered: the next caller tries again', async () => {
  const { signIn, calls } = counting([() => Promise.reject(transientError('busy'))]);
  await assert.rejects(signIn.get(always, 'stale'), /busy/);
  assert.equal((await signIn.get(always, 'stale')).value, 'grant-2');
  assert.equal(calls.length, 2);
});

test('close waits for a sign-in in flight, hands back its grant to sign out of, and refuses its callers and later ones', async () => {
  const { signIn } = counting();
  const pending = signIn.get(always, 'stale');
  assert.equal(await signIn.close(), 'grant-1');
  await assert.rejects(pending, /used after close/);
  await assert.rejects(signIn.get(always, 'stale'), /used after close/);
  assert.equal(await signIn.close(), undefined, 'nothing to sign out of twice');
});

test('a caller that stops waiting does not fail the sign-in of the others', async () => {
  const { signIn } = counting();
  const controller = new AbortController();
  const impatient = signIn.get(always, 'stale', controller.signal);
  const patient = signIn.get(always, 'stale');
  controller.abort(new Error('gave up'));
  await assert.rejects(impatient, /gave up/);
  assert.equal((await patient).value, 'grant-1');
});

// The return target of a flow (issue 13 item 1): a path of ours or a registered client, else "/".
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RETURN_TO_MAX, returnTarget } from '../return-to.ts';

describe('returnTarget', () => {
  it('keeps a same-origin path with its query', () => {
    for (const ok of ['/', '/contracts', '/portal/contracts?page=2', '/tickets/abc#reply']) assert.equal(returnTarget(ok), ok);
  });

  it('falls back to / for anything that could leave the origin', () => {
    for (const bad of [
      undefined, null, '', 'contracts', '//evil.example', '/\\evil.example', '\\\\evil.example', 'https://evil.example/', 'javascript:alert(1)',
      '/%0d%0aSet-Cookie:x', '/a//b', '/\nLocation: x', ' /contracts', 'HTTPS://evil.example', '/javascript:alert(1)', `/${'a'.repeat(RETURN_TO_MAX)}`,
    ]) assert.equal(returnTarget(bad), bad === '/%0d%0aSet-Cookie:x' ? bad : '/', String(bad));
  });
});

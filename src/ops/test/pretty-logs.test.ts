// LOG_FORMAT (issue 20 item 9): pino-pretty lines for a developer at a terminal, JSON everywhere
// else; a logged message cannot forge a second line; a bad value is a clear configuration error.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { ConfigError, loadConfig } from '../../config.ts';
import { escapeControls, prettyStream } from '../logging.ts';

function capture(): { lines: () => string[]; sink: Writable } {
  const chunks: string[] = [];
  const sink = new Writable({ write(c, _e, cb) { chunks.push(String(c)); cb(); } });
  return { sink, lines: () => chunks.join('').split('\n').filter(Boolean) };
}

// Development generates its secrets into DATA_DIR: a directory of this test's own.
const dataDir = mkdtempSync(join(tmpdir(), 'bizportal-log-format-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const dev = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ NODE_ENV: 'development', DATA_DIR: dataDir, ...extra });
const prod = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  NODE_ENV: 'production', PUBLIC_URL: 'https://portal.example.com',
  SECRET_KEY: Buffer.alloc(32, 7).toString('base64'), TOTP_KEY: Buffer.alloc(32, 9).toString('base64'), ...extra,
});

describe('pretty logs', () => {
  it('prints one readable line per record: time, level, message, the other fields as JSON', () => {
    const { sink, lines } = capture();
    const log = pino({ level: 'info' }, prettyStream(sink, false));
    log.info({ reqId: 'req-1', res: { statusCode: 200 } }, 'request completed');
    log.warn('slow');
    const [first, second] = lines();
    assert.match(first!, /^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} [+-]\d{4}\] INFO: request completed \{"reqId":"req-1","res":\{"statusCode":200\}\}$/);
    assert.match(second!, /\] WARN: slow$/);
    assert.equal(lines().length, 2);
    assert.doesNotMatch(first!, /"pid"|"hostname"|\x1b\[/, 'no pid/hostname noise, no colour when not a terminal');
  });

  it('escapes control characters in the message, so a value cannot forge a log line', () => {
    const { sink, lines } = capture();
    const log = pino({ level: 'info' }, prettyStream(sink, false));
    log.info({ url: '/x\nINFO: forged' }, 'login for admin\nINFO: forged \x1b[2J');
    assert.equal(lines().length, 1);
    assert.match(lines()[0]!, /login for admin\\u000aINFO: forged \\u001b\[2J/);
    assert.match(lines()[0]!, /"url":"\/x\\nINFO: forged"/, 'fields stay JSON-escaped');
    assert.equal(escapeControls('a\tb\r\u007f'), 'a\tb\\u000d\\u007f', 'a tab stays; CR and DEL are escaped');
  });

  it('LOG_FORMAT: pretty by default only in development at a terminal; json otherwise; bad values refused', () => {
    assert.equal(loadConfig(dev(), true).logFormat, 'pretty');
    assert.equal(loadConfig(dev(), false).logFormat, 'json', 'piped or redirected: JSON');
    assert.equal(loadConfig(dev({ NODE_ENV: 'test' }), true).logFormat, 'json', 'tests log JSON');
    assert.equal(loadConfig(prod(), true).logFormat, 'json', 'production logs JSON whatever the terminal');
    assert.equal(loadConfig(dev({ LOG_FORMAT: 'json' }), true).logFormat, 'json');
    assert.equal(loadConfig(dev({ LOG_FORMAT: 'pretty' }), false).logFormat, 'pretty');
    assert.throws(() => loadConfig(dev({ LOG_FORMAT: 'colour' })), (e: unknown) => e instanceof ConfigError && /LOG_FORMAT must be json or pretty, got "colour"/.test(e.message));
    assert.throws(() => loadConfig(prod({ LOG_FORMAT: 'pretty' })), (e: unknown) => e instanceof ConfigError && /production logs JSON/.test(e.message));
  });
});

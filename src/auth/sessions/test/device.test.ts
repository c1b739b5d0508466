// Devices in words (issue 20 item 3): a browser and its system as people say them, «不明なブラウザ»
// for anything bowser cannot read.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeDevice } from '../device.ts';

const UA = {
  chromeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  safariIos: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  edgeMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91',
};

describe('describeDevice', () => {
  it('names the browser and the system', () => {
    assert.equal(describeDevice(UA.chromeWindows, 'ja'), 'Chrome / Windows');
    assert.equal(describeDevice(UA.safariIos, 'en'), 'Safari / iOS');
    assert.equal(describeDevice(UA.firefoxLinux, 'ja'), 'Firefox / Linux');
    assert.equal(describeDevice(UA.edgeMac, 'en'), 'Microsoft Edge / macOS');
  });

  it('an empty, missing or unreadable agent is an unknown browser, in the reader\'s language', () => {
    for (const ua of ['', '   ', null, undefined, 'garbage', 'curl/8.4.0', '\u0000\u0001', 'x'.repeat(300)]) {
      assert.equal(describeDevice(ua, 'ja'), '不明なブラウザ', JSON.stringify(ua));
      assert.equal(describeDevice(ua, 'en'), 'Unknown browser', JSON.stringify(ua));
    }
  });
});

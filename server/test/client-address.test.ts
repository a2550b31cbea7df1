// The client address behind trusted proxies when X-Forwarded-For names one hop (read without
// making a list) and when it names several: the same rules either way.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientAddress, parseTrustedProxies } from '../client-address.ts';

const proxies = parseTrustedProxies(['loopback', '10.0.0.0/8']);

describe('client address from one forwarded hop', () => {
  it('is the hop, unmapped and trimmed, or the peer when the hop is empty or no address', () => {
    assert.equal(clientAddress('127.0.0.1', '203.0.113.5', proxies), '203.0.113.5');
    assert.equal(clientAddress('127.0.0.1', ' 203.0.113.5 ', proxies), '203.0.113.5');
    assert.equal(clientAddress('127.0.0.1', '::ffff:203.0.113.5', proxies), '203.0.113.5');
    assert.equal(clientAddress('::ffff:127.0.0.1', '2001:db8::1', proxies), '2001:db8::1');
    assert.equal(clientAddress('127.0.0.1', 'not-an-address', proxies), '127.0.0.1');
    assert.equal(clientAddress('127.0.0.1', '   ', proxies), '127.0.0.1');
    // A trusted proxy as the only hop is still the client: there is nothing further left.
    assert.equal(clientAddress('127.0.0.1', '10.1.2.3', proxies), '10.1.2.3');
    // An untrusted peer's header is never read.
    assert.equal(clientAddress('198.51.100.7', '203.0.113.5', proxies), '198.51.100.7');
  });

  it('reads as the list does: the same answers with an empty element in front', () => {
    for (const hop of ['203.0.113.5', ' 203.0.113.5 ', '::ffff:203.0.113.5', '2001:db8::1', 'not-an-address', '10.1.2.3']) {
      assert.equal(clientAddress('127.0.0.1', hop, proxies), clientAddress('127.0.0.1', `,${hop}`, proxies), hop);
    }
  });
});

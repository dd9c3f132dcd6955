import { describe, expect, test } from 'vitest';
import {
  closeProblem,
  hasToken,
  isAppCloseCode,
  isWireCloseCode,
  MAX_CLOSE_REASON_BYTES,
  offeredProtocols,
  type UpgradeFields,
  upgradeProblem,
} from '../src/index.ts';

/** The sample nonce of RFC 6455 §1.3: base64 of 16 bytes. */
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

/** A valid opening handshake (RFC 6455 §4.1), with `change` applied: `undefined` removes a field. */
function handshake(change: Record<string, string | undefined> = {}): UpgradeFields {
  const all: Record<string, string | undefined> = {
    method: 'GET',
    protocol: 'HTTP/1.1',
    host: 'example.com',
    upgrade: 'websocket',
    connection: 'Upgrade',
    'sec-websocket-key': KEY,
    'sec-websocket-version': '13',
    ...change,
  };
  return { method: all.method!, protocol: all.protocol!, field: (name) => all[name] };
}

describe('upgradeProblem (RFC 6455 §4.2.1)', () => {
  test.each<[string, Record<string, string | undefined>]>([
    ['the RFC sample', {}],
    ['HTTP/1.2', { protocol: 'HTTP/1.2' }],
    ['Upgrade and Connection in any case', { upgrade: 'WebSocket', connection: 'UPGRADE' }],
    ['Connection among other tokens', { connection: 'keep-alive, Upgrade' }],
    ['Upgrade among other protocols', { upgrade: 'h2c, websocket' }],
    ['a key of 16 zero bytes', { 'sec-websocket-key': 'AAAAAAAAAAAAAAAAAAAAAA==' }],
    ['a key whose last sextet is 48', { 'sec-websocket-key': '/////////////////////w==' }],
  ])('valid: %s', (_name, change) => {
    expect(upgradeProblem(handshake(change))).toBeUndefined();
  });

  test.each<[string, Record<string, string | undefined>, string]>([
    ['POST', { method: 'POST' }, 'must be GET'],
    ['a lower-case method', { method: 'get' }, 'must be GET'],
    ['HTTP/1.0', { protocol: 'HTTP/1.0' }, 'needs HTTP/1.1'],
    ['HTTP/0.9', { protocol: 'HTTP/0.9' }, 'needs HTTP/1.1'],
    ['HTTP/2 (RFC 8441 uses CONNECT)', { protocol: 'HTTP/2' }, 'needs HTTP/1.1'],
    ['a malformed protocol', { protocol: 'HTTP/1' }, 'needs HTTP/1.1'],
    ['no Host', { host: undefined }, 'Host'],
    ['no Upgrade', { upgrade: undefined }, 'Upgrade'],
    ['Upgrade: h2c', { upgrade: 'h2c' }, 'Upgrade'],
    ['Upgrade: websocketx', { upgrade: 'websocketx' }, 'Upgrade'],
    ['no Connection', { connection: undefined }, 'Connection'],
    ['Connection: keep-alive', { connection: 'keep-alive' }, 'Connection'],
    ['no key', { 'sec-websocket-key': undefined }, 'Sec-WebSocket-Key'],
    ['a key of 15 bytes', { 'sec-websocket-key': 'AAAAAAAAAAAAAAAAAAAA' }, 'Sec-WebSocket-Key'],
    ['a key of 17 bytes', { 'sec-websocket-key': 'AAAAAAAAAAAAAAAAAAAAAAA=' }, 'Key'],
    ['a key with nonzero pad bits', { 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZR==' }, 'Key'],
    ['a key without padding', { 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ' }, 'Key'],
    ['a base64url key', { 'sec-websocket-key': '_-AAAAAAAAAAAAAAAAAAAA==' }, 'Key'],
    ['a key sent twice', { 'sec-websocket-key': `${KEY}, ${KEY}` }, 'Sec-WebSocket-Key'],
    ['no version', { 'sec-websocket-version': undefined }, 'Sec-WebSocket-Version'],
    ['version 8', { 'sec-websocket-version': '8' }, 'Sec-WebSocket-Version'],
    ['version 13 twice', { 'sec-websocket-version': '13, 13' }, 'Sec-WebSocket-Version'],
  ])('invalid: %s', (_name, change, says) => {
    expect(upgradeProblem(handshake(change))).toContain(says);
  });
});

describe('hasToken', () => {
  test.each<[string | undefined, string, boolean]>([
    [undefined, 'upgrade', false],
    ['', 'upgrade', false],
    ['Upgrade', 'upgrade', true],
    ['keep-alive,upgrade', 'upgrade', true],
    ['keep-alive , Upgrade ', 'upgrade', true],
    ['upgrade', 'Upgrade', true],
    ['upgrades', 'upgrade', false],
    ['"upgrade"', 'upgrade', false],
    ['keep-alive', 'upgrade', false],
  ])('%j holds %j: %s', (list, token, expected) => {
    expect(hasToken(list, token)).toBe(expected);
  });
});

describe('offeredProtocols', () => {
  test.each<[string | undefined, string[] | undefined]>([
    [undefined, []],
    ['', []],
    ['chat', ['chat']],
    ['chat, superchat', ['chat', 'superchat']],
    ['superchat,chat', ['superchat', 'chat']],
    ['chat, , v2.json', ['chat', 'v2.json']],
    ['Chat, chat', ['Chat', 'chat']],
    ['chat, chat', undefined],
    ['chat room', undefined],
    ['chat;v=1', undefined],
    ['"chat"', undefined],
    ['chät', undefined],
  ])('%j offers %j', (value, expected) => {
    expect(offeredProtocols(value)).toEqual(expected);
  });
});

describe('isWireCloseCode, isAppCloseCode (RFC 6455 §7.4)', () => {
  test.each<[number, boolean, boolean]>([
    [1000, true, true],
    [1001, true, true],
    [1002, true, false],
    [1003, true, false],
    [1004, false, false],
    [1005, false, false],
    [1006, false, false],
    [1007, true, false],
    [1008, true, true],
    [1009, true, false],
    [1010, true, false],
    [1011, true, true],
    [1012, true, true],
    [1013, true, true],
    [1014, true, false],
    [1015, false, false],
    [1016, false, false],
    [2999, false, false],
    [3000, true, true],
    [4999, true, true],
    [5000, false, false],
    [999, false, false],
    [0, false, false],
    [-1000, false, false],
    [1000.5, false, false],
    [Number.NaN, false, false],
  ])('%d: on the wire %s, from an application %s', (code, wire, app) => {
    expect(isWireCloseCode(code)).toBe(wire);
    expect(isAppCloseCode(code)).toBe(app);
  });

  test('every application code may go on the wire', () => {
    for (let code = 0; code < 6000; code++) {
      if (isAppCloseCode(code)) expect(isWireCloseCode(code)).toBe(true);
    }
  });
});

describe('closeProblem', () => {
  const max = 'x'.repeat(MAX_CLOSE_REASON_BYTES);
  test.each<[number, string]>([
    [1000, ''],
    [1001, 'going away'],
    [4000, max],
    [3000, 'é'.repeat(61)],
    [1000, '😀'.repeat(30)],
  ])('%d with a reason of %#: fine', (code, reason) => {
    expect(closeProblem(code, reason)).toBeUndefined();
  });

  test.each<[unknown, unknown, string]>([
    [1002, '', 'close code 1002'],
    [1005, '', 'close code 1005'],
    [2000, '', 'close code 2000'],
    ['1000', '', 'close code "1000"'],
    [1000, 7, 'must be a string'],
    [1000, `${max}x`, '124 bytes'],
    [1000, 'é'.repeat(62), '124 bytes'],
    [1000, '😀'.repeat(31), '124 bytes'],
    [1000, 'a\uD800b', 'well-formed'],
  ])('%j with reason %#: %s', (code, reason, says) => {
    expect(closeProblem(code as number, reason as string)).toContain(says);
  });
});

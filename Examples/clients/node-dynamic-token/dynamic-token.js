#!/usr/bin/env node
// Signed dynamic-token client (format v1) in plain Node.js: built-in modules only, no npm.
// The format is specified in Docs/DynamicTokenSigned.md; this file follows it step by step.
//
//   node dynamic-token.js token --key-id k1 --secret-hex <64+ hex> --method GET --target '/api/items?page=2'
//        [--body TEXT | --body-hex HEX | --no-body] [--subject S] [--time MS] [--nonce-hex HEX]
//   node dynamic-token.js call http://127.0.0.1:8080/dynamic --key-id k1 --secret-hex <hex>
//        [--method POST] [--body TEXT] [--subject S] [--header X-Dynamic-Token]
//
// --key-id and --secret-hex default to $DYNAMIC_TOKEN_KEY_ID and $DYNAMIC_TOKEN_SECRET_HEX;
// --secret-base64url ($DYNAMIC_TOKEN_SECRET_BASE64URL) is accepted instead of hex.
'use strict';
const crypto = require('crypto');

const LABEL = 'DynamicToken-HMAC-SHA256';

function base64url(buffer) {
  return Buffer.from(buffer).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

/**
 * Makes a signed dynamic token (v1) for one request.
 * @param {object} o
 * @param {string} o.keyId      1-64 chars of A-Z a-z 0-9 - _
 * @param {Buffer} o.secret     32-1024 bytes
 * @param {string} o.method     exactly as sent, e.g. "GET"
 * @param {string} o.target     path and query exactly as sent, e.g. "/api/items?page=2"
 * @param {Buffer|null} o.body  the body to bind (null: not bound; empty Buffer: bound empty body)
 * @param {string} [o.subject]  optional, 1-128 chars of A-Z a-z 0-9 - _
 * @param {number} [o.timeMs]   Unix milliseconds (default: now)
 * @param {Buffer} [o.nonce]    16-32 bytes (default: 16 fresh random bytes; never reuse one)
 * @returns {{token: string, canonical: string}}
 */
function signDynamicToken(o) {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(o.keyId)) throw new Error('key id must be 1-64 chars of A-Z a-z 0-9 - _');
  if (!Buffer.isBuffer(o.secret) || o.secret.length < 32 || o.secret.length > 1024) throw new Error('secret must be 32-1024 bytes');
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/.test(o.method)) throw new Error('method must be an HTTP token');
  if (!/^\/[\x21-\x7e]*$/.test(o.target) || o.target.length > 8192) throw new Error('target must start with / and be visible ASCII');
  const subject = o.subject || '';
  if (subject !== '' && !/^[A-Za-z0-9_-]{1,128}$/.test(subject)) throw new Error('subject must be 1-128 chars of A-Z a-z 0-9 - _');
  const timeMs = o.timeMs === undefined ? Date.now() : o.timeMs;
  if (!Number.isSafeInteger(timeMs) || timeMs < 0) throw new Error('time must be a non-negative integer of milliseconds');
  const nonce = o.nonce === undefined ? crypto.randomBytes(16) : o.nonce;
  if (nonce.length < 16 || nonce.length > 32) throw new Error('nonce must be 16-32 bytes');

  const bound = o.body !== null && o.body !== undefined;
  // 1. The signed part: the token without its MAC. String(timeMs) is exact decimal for safe integers.
  const signedPart = ['v1', o.keyId, String(timeMs), base64url(nonce), bound ? '1' : '0', subject].join('.');
  // 2. The body hash: lowercase hex SHA-256 of the body bytes, or empty when not bound.
  const bodyHash = bound ? crypto.createHash('sha256').update(o.body).digest('hex') : '';
  // 3. The canonical string: five lines joined by LF, no trailing LF.
  const canonical = [LABEL, signedPart, o.method, o.target, bodyHash].join('\n');
  // 4. HMAC-SHA256 under the secret, base64url without padding.
  const mac = crypto.createHmac('sha256', o.secret).update(canonical, 'ascii').digest();
  return { token: signedPart + '.' + base64url(mac), canonical };
}

function parseArgs(argv) {
  const args = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-body') args.noBody = true;
    else if (a.startsWith('--')) {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      args[a.slice(2)] = argv[++i];
    } else args._.push(a);
  }
  return args;
}

function commonOptions(args) {
  const keyId = args['key-id'] || process.env.DYNAMIC_TOKEN_KEY_ID;
  const secretHex = args['secret-hex'] || process.env.DYNAMIC_TOKEN_SECRET_HEX;
  const secretB64 = args['secret-base64url'] || process.env.DYNAMIC_TOKEN_SECRET_BASE64URL;
  if (!keyId || !(secretHex || secretB64)) {
    throw new Error('--key-id and --secret-hex or --secret-base64url (or DYNAMIC_TOKEN_KEY_ID / DYNAMIC_TOKEN_SECRET_HEX / DYNAMIC_TOKEN_SECRET_BASE64URL) are required');
  }
  if (secretHex && !/^([0-9a-fA-F]{2})+$/.test(secretHex)) throw new Error('--secret-hex must be hexadecimal');
  if (!secretHex && !/^[A-Za-z0-9_-]+$/.test(secretB64)) throw new Error('--secret-base64url must be unpadded base64url');
  let body = Buffer.alloc(0);
  if (args.noBody) body = null;
  else if (args['body-hex'] !== undefined) body = Buffer.from(args['body-hex'], 'hex');
  else if (args.body !== undefined) body = Buffer.from(args.body, 'utf8');
  const secret = secretHex ? Buffer.from(secretHex, 'hex') : Buffer.from(secretB64, 'base64url');
  return { keyId, secret, body, subject: args.subject };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const command = args._[0];
  if (command === 'token') {
    const o = commonOptions(args);
    const { token, canonical } = signDynamicToken({
      ...o,
      method: args.method || 'GET',
      target: args.target || '/',
      timeMs: args.time === undefined ? undefined : Number(args.time),
      nonce: args['nonce-hex'] === undefined ? undefined : Buffer.from(args['nonce-hex'], 'hex'),
    });
    if (args['show-canonical']) process.stderr.write(canonical + '\n');
    process.stdout.write(token + '\n');
  } else if (command === 'call') {
    const url = new URL(args._[1] || '');
    const o = commonOptions(args);
    const method = args.method || 'GET';
    const target = url.pathname + url.search;
    const { token } = signDynamicToken({ ...o, method, target });
    const headers = { [args.header || 'X-Dynamic-Token']: token };
    const hasBody = o.body !== null && o.body.length > 0;
    const response = await fetch(url, { method, headers, body: hasBody ? o.body : undefined });
    process.stdout.write(`${response.status} ${await response.text()}\n`);
    if (!response.ok) process.exitCode = 1;
  } else {
    process.stderr.write('usage: dynamic-token.js token|call … (see the comment at the top of this file)\n');
    process.exitCode = 2;
  }
}

module.exports = { signDynamicToken };

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 1;
  });
}

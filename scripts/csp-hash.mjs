// trunk post_build hook: allow trunk's inline loader <script> by its SHA-256 hash in the
// Content-Security-Policy, so the policy can stay "no inline script but this one" with no
// 'unsafe-inline'. Runs on the staged index.html (TRUNK_STAGING_DIR).
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run this as a trunk hook');
const file = path.join(dir, 'index.html');
let html = fs.readFileSync(file, 'utf8');
const hashes = [...html.matchAll(/<script(?: [^>]*)?>([\s\S]*?)<\/script>/g)]
  .filter((m) => m[1].trim() !== '')
  .map((m) => `'sha256-${crypto.createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
const before = html;
html = html.replace(/script-src 'self'/, `script-src 'self' ${hashes.join(' ')}`);
if (html === before && hashes.length) throw new Error("index.html has no \"script-src 'self'\" to extend");
fs.writeFileSync(file, html);
console.log(`csp-hash: allowed ${hashes.length} inline script(s) by hash`);

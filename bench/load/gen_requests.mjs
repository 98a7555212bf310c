// Writes a file of pre-signed API-channel requests for wrk: unique message ids, senders
// spread over 10,000 contacts. Signing happens here because wrk's Lua has no HMAC.
// One request per line: body TAB signature.
// usage: node gen_requests.mjs SECRET COUNT OUT.tsv
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const [secret, count, out] = process.argv.slice(2);
const lines = [];
for (let i = 0; i < Number(count); i++) {
  const c = i % 10000;
  const body = JSON.stringify({ message_id: `bench-${i}`, sender: { id: `contact-${c}`, name: `Contact ${c}` },
                                text: `Hello, where is my order #${100000 + i}? It was due yesterday.`, timestamp: 1764000000 });
  const sig = 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
  lines.push(`${body}\t${sig}`);
}
writeFileSync(out, lines.join('\n'));

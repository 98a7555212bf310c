// Writes a file of pre-signed WhatsApp Cloud API webhook deliveries for wrk (the same line
// format as gen_requests.mjs: body TAB X-Hub-Signature-256): one text message per delivery,
// unique wamid ids, senders spread over 10,000 phone numbers, the documented payload shape.
// usage: node gen_whatsapp_requests.mjs APP_SECRET PHONE_NUMBER_ID COUNT OUT.tsv
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const [secret, pnid, count, out] = process.argv.slice(2);
const lines = [];
for (let i = 0; i < Number(count); i++) {
  const c = i % 10000;
  const waId = `1415555${String(c).padStart(4, '0')}`;
  const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: {
    messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: pnid },
    contacts: [{ profile: { name: `Contact ${c}` }, wa_id: waId }],
    messages: [{ from: waId, id: `wamid.bench${i}`, timestamp: '1764000000', type: 'text',
                 text: { body: `Hello, where is my order #${100000 + i}? It was due yesterday.` } }] } }] }] });
  const sig = 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
  lines.push(`${body}\t${sig}`);
}
writeFileSync(out, lines.join('\n'));

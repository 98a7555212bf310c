// `meridian nlu classify`: one JSON object per stdin line, language detected per line unless
// --lang is given. Output bytes are part of the contract (scripts parse and diff them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from './lib/harness.mjs';

test('nlu classify prints intent, confidence and detected language per line', () => {
  const lines = [
    'I want to cancel my order 12345, please',
    'Wo ist mein Paket? Ich warte seit zwei Wochen darauf.',
    '我想取消我的订单',
    'أريد إلغاء طلبي من فضلك',
    '注文をキャンセルしたいです',
    '',
    '12345',
    'Bonjour, je voudrais annuler ma commande\r',
  ];
  const out = cli(['nlu', 'classify'], { input: lines.join('\n') + '\n' });
  const rows = out.split('\n');
  assert.equal(rows.pop(), '');
  assert.equal(rows.length, lines.length);
  const parsed = rows.map((r) => JSON.parse(r));
  for (const [i, p] of parsed.entries()) {
    assert.deepEqual(Object.keys(p), ['intent', 'confidence', 'lang'], rows[i]);
    assert.ok(p.confidence >= 0 && p.confidence <= 1, rows[i]);
  }
  assert.deepEqual(parsed.map((p) => p.lang), ['en', 'de', 'zh', 'ar', 'ja', 'und', 'und', 'fr']);
  assert.equal(parsed[0].intent, 'cancel_order');
  assert.equal(parsed[7].intent, 'cancel_order');
  // Nothing but a value, and an empty line, are out of scope with certainty; a whole number
  // is written as nlohmann's dump() writes it ("1.0"), as before the writer was hand-rolled.
  assert.equal(rows[5], '{"intent":"out_of_scope","confidence":1.0,"lang":"und"}');
  assert.equal(rows[6], '{"intent":"out_of_scope","confidence":1.0,"lang":"und"}');
  assert.match(rows[0], /^\{"intent":"cancel_order","confidence":0\.\d{1,3},"lang":"en"\}$/);
});

test('nlu classify --lang reports the given language on every line', () => {
  const out = cli(['nlu', 'classify', '--lang', 'de'], { input: 'where is my parcel\n\n' });
  const parsed = out.trim().split('\n').map((r) => JSON.parse(r));
  assert.deepEqual(parsed.map((p) => p.lang), ['de', 'de']);
});

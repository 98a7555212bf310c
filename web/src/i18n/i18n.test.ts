// LG7: the agent interface is complete in every language it offers.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';
import { CONVERSATION_LANGUAGES, TRANSLATION_LANGUAGES } from '../conversation/LanguagePicker';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const variables = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

// Every channel an inbox can have (src/app/runtime.cc RegisterChannels): its name on list chips.
const CHANNELS = ['webchat', 'api', 'email', 'whatsapp', 'messenger', 'instagram', 'line', 'telegram', 'twilio'];

const locales: Record<string, Map<string, string>> = { en: flatten(en), 'zh-CN': flatten(zhCN) };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('i18n resources', () => {
  const reference = locales.en;

  for (const [name, table] of Object.entries(locales)) {
    it(`${name} has every key, each non-empty, with the same {{variables}} as English`, () => {
      const missing = [...reference.keys()].filter((k) => !table.has(k));
      const extra = [...table.keys()].filter((k) => !reference.has(k));
      expect(missing).toEqual([]);
      expect(extra).toEqual([]);
      for (const [key, text] of table) {
        expect(text.trim(), key).not.toBe('');
        expect(variables(text), key).toEqual(variables(reference.get(key)!));
      }
    });
  }

  it('every literal key the code uses exists', () => {
    const used = usedLiteralKeys();
    expect(used.size).toBeGreaterThan(30);
    const unknown = [...used].filter((k) => !reference.has(k));
    expect(unknown).toEqual([]);
  });

  it('every key built at run time exists', () => {
    for (const table of Object.values(locales)) expect(dynamicKeys().filter((k) => !table.has(k))).toEqual([]);
  });

  it('no key is unused (keys do not drift away from the code)', () => {
    const used = new Set([...usedLiteralKeys(), ...dynamicKeys()]);
    const unused = [...reference.keys()].filter((k) => !used.has(k));
    expect(unused).toEqual([]);
  });

  it('no agent-facing text is hard-coded in the components', () => {
    // JSX text between tags that holds letters (Latin or CJK) and is not an expression.
    const offenders: string[] = [];
    for (const file of sourceFiles(join(__dirname, '..')).filter((f) => f.endsWith('.tsx'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?<!=)>\s*([^<>{}\n]*[A-Za-z\u4e00-\u9fff]{2,}[^<>{}\n]*?)\s*</g)) {
        if (/[(=;]/.test(m[1])) continue; // code (arrow functions, generics), not text
        offenders.push(`${file.split('/src/')[1]}: ${m[1].trim()}`);
      }
      for (const m of text.matchAll(/\b(?:placeholder|title|aria-label|alt)="([^"]*[A-Za-z]{3,}[^"]*)"/g)) {
        offenders.push(`${file.split('/src/')[1]}: ${m[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

function usedLiteralKeys(): Set<string> {
  const used = new Set<string>();
  for (const file of sourceFiles(join(__dirname, '..'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'([\w.-]+)'\s*[,)]/g)) used.add(m[1]);
    for (const m of text.matchAll(/(?:label|key): '([\w]+\.[\w.]+)'/g)) used.add(m[1]);
  }
  return used;
}

/** Keys the code builds at run time ('status.' + s): every value it can build. */
function dynamicKeys(): string[] {
  return [
      ...['open', 'pending', 'snoozed', 'resolved', 'all'].map((s) => `status.${s}`),
      ...['connecting', 'open', 'closed'].map((s) => `app.connection.${s}`),
      ...['received', 'pending', 'sent', 'delivered', 'read', 'failed'].map((s) => `message.status.${s}`),
      ...['customer', 'agent', 'bot', 'system'].map((s) => `message.sender.${s}`),
      ...['en', 'zh-CN'].map((s) => `languages.${s}`),
      ...['open', 'human_agent_only', 'closed', 'none'].map((s) => `window.state.${s}`),
      ...['whatsapp', 'messenger', 'instagram', 'line', 'telegram', 'twilio', 'email', 'webchat', 'api'].map(
        (s) => `channels.${s}`,
      ),
      ...['negative', 'neutral', 'positive'].map((s) => `insights.sentiment.${s}`),
      ...['0', '3600', '86400', '604800'].map((s) => `inboxes.graceChoice.${s}`),
      ...CONVERSATION_LANGUAGES.map((s) => `langName.${s}`),
      ...TRANSLATION_LANGUAGES.map((s) => `langName.${s}`),
      ...['auto_reply', 'bulk', 'bounce'].map((s) => `message.automated.${s}`),
      ...['anger', 'frustration', 'anxiety', 'satisfaction', 'urgency'].map((s) => `insights.emotion.${s}`),
      ...['order_number', 'tracking_number', 'email', 'phone', 'amount', 'date'].map((s) => `insights.entity.${s}`),
      // Every intent of the taxonomy (issue 5) has a label.
      ...['order_status', 'track_shipment', 'delivery_time', 'delivery_options', 'shipping_cost', 'customs_duties',
        'place_order', 'change_order', 'cancel_order', 'cancellation_fee', 'change_shipping_address',
        'set_up_shipping_address', 'return_request', 'exchange_request', 'refund_request', 'refund_status',
        'refund_policy', 'damaged_item', 'wrong_item', 'missing_item', 'payment_issue', 'payment_methods',
        'invoice_request', 'check_invoice', 'product_info', 'size_guide', 'stock_availability', 'discount_code',
        'create_account', 'delete_account', 'edit_account', 'switch_account', 'recover_password',
        'registration_problem', 'newsletter_subscription', 'complaint', 'review', 'human_agent',
        'contact_customer_service', 'greeting', 'thanks', 'goodbye', 'privacy_request', 'out_of_scope',
      ].map((s) => `intent.${s}`),
    ...CHANNELS.map((s) => `channel.${s}`),
    // Reply templates (LG6).
    ...['text', 'number', 'date'].map((s) => `templates.argKind.${s}`),
    ...['exact', 'language', 'translated', 'source'].map((s) => `templates.fallback.${s}`),
    ...['none', 'formal', 'informal', 'honorific'].map((s) => `templates.style.${s}`),
  ];
}

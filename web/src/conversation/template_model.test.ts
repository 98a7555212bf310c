import { describe, expect, it } from 'vitest';
import type { ReplyTemplate } from '../api/templates';
import { initialValues, searchTemplates, slashQuery, toParams } from './template_model';

const t = (key: string, name: string): ReplyTemplate => ({
  id: key.length,
  key,
  name,
  source_locale: 'en',
  variants: [],
  arguments: {},
  created_at: '',
  updated_at: '',
});
const all = [t('delay-apology', 'Delay apology'), t('where-is-order', 'Where is my order?'), t('order-cancel', 'Cancel order')];

describe('template picker model', () => {
  it('reads a slash command only when the box holds nothing else', () => {
    expect(slashQuery('/where')).toBe('where');
    expect(slashQuery('/')).toBe('');
    expect(slashQuery('hello /where')).toBeNull();
    expect(slashQuery('/where is it')).toBeNull();
  });

  it('searches key and name, keys starting with the query first', () => {
    expect(searchTemplates(all, 'order').map((x) => x.key)).toEqual(['order-cancel', 'where-is-order']);
    expect(searchTemplates(all, '/APOLOGY').map((x) => x.key)).toEqual(['delay-apology']);
    expect(searchTemplates(all, '')).toHaveLength(3);
    expect(searchTemplates(all, 'zzz')).toEqual([]);
  });

  it('prefills the customer name and sends numbers as numbers', () => {
    const args = { name: 'text', n: 'number', eta: 'date' } as const;
    const values = initialValues(args, 'Emma');
    expect(values).toEqual({ name: 'Emma', n: '', eta: '' });
    expect(toParams(args, { ...values, n: '3', eta: '2026-11-30' })).toEqual({ name: 'Emma', n: 3, eta: '2026-11-30' });
    expect(toParams(args, { name: ' ', n: 'three' })).toEqual({ n: 'three' });
  });
});

import { describe, expect, it } from 'vitest';
import type { MessagingWindow } from '../api/types';
import { formatRemaining, parameterProblem, parameterSlots, renderTemplate, viewWindow, WARN_BEFORE_MS } from './window_model';

const T0 = Date.UTC(2026, 10, 27, 8, 0, 0);
const HOUR = 3600 * 1000;
const at = (ms: number) => new Date(ms).toISOString();

function whatsapp(lastInbound: number): MessagingWindow {
  return { state: 'open', closes_at: at(lastInbound + 24 * HOUR), expires_at: at(lastInbound + 24 * HOUR), allowed_templates: [] };
}

describe('viewWindow', () => {
  it('counts down an open window and warns in its last hour', () => {
    const w = whatsapp(T0);
    expect(viewWindow(w, T0 + HOUR)).toEqual({ state: 'open', remainingMs: 23 * HOUR, warn: false, freeTextBlocked: false });
    const late = viewWindow(w, T0 + 23.5 * HOUR)!;
    expect(late.warn).toBe(true);
    expect(late.remainingMs).toBe(HOUR / 2);
    expect(WARN_BEFORE_MS).toBe(HOUR);
  });

  it('closes by itself when the deadline passes between two fetches (WhatsApp: templates only)', () => {
    expect(viewWindow(whatsapp(T0), T0 + 24 * HOUR)).toEqual({ state: 'closed', remainingMs: null, warn: false, freeTextBlocked: true });
  });

  it('Messenger moves on to human-agent-only until day 7, then closes', () => {
    const w: MessagingWindow = { state: 'open', closes_at: at(T0 + 24 * HOUR), expires_at: at(T0 + 7 * 24 * HOUR), allowed_templates: [] };
    const tagged = viewWindow(w, T0 + 48 * HOUR)!;
    expect(tagged.state).toBe('human_agent_only');
    expect(tagged.remainingMs).toBe(5 * 24 * HOUR);
    expect(tagged.freeTextBlocked).toBe(false);
    expect(viewWindow(w, T0 + 7 * 24 * HOUR)!.state).toBe('closed');
  });

  it('a channel without a window never blocks', () => {
    const v = viewWindow({ state: 'none', closes_at: null, expires_at: null, allowed_templates: [] }, T0)!;
    expect(v).toEqual({ state: 'none', remainingMs: null, warn: false, freeTextBlocked: false });
    expect(viewWindow(undefined, T0)).toBeNull();
  });
});

describe('templates', () => {
  const tpl = { name: 'order_shipped', languages: ['de'], parameter_count: null, body: 'Order {{1}} ships {{2}}.' };
  it('needs as many fields as the recorded count, else the highest placeholder', () => {
    expect(parameterSlots(tpl)).toBe(2);
    expect(parameterSlots({ ...tpl, parameter_count: 3 })).toBe(3);
    expect(parameterSlots({ ...tpl, body: '' })).toBe(0);
  });
  it('previews the body with what the agent typed', () => {
    expect(renderTemplate(tpl.body, ['10234'])).toBe('Order 10234 ships {{2}}.');
    expect(renderTemplate(tpl.body, ['10234', 'morgen'])).toBe('Order 10234 ships morgen.');
  });
  it('refuses what WhatsApp refuses', () => {
    expect(parameterProblem(' ')).toBe('empty');
    expect(parameterProblem('a\nb')).toBe('newline');
    expect(parameterProblem('10234')).toBeNull();
  });
  it('formats the countdown', () => {
    expect(formatRemaining(23 * HOUR + 59 * 60000 + 59000)).toBe('23:59:59');
    expect(formatRemaining(6 * 24 * HOUR + 5000)).toBe('6d 00:00:05');
    expect(formatRemaining(-5)).toBe('00:00:00');
  });
});

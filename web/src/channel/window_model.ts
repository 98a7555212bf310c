// The messaging window of a conversation as the workspace shows it (issue 3): how long free
// text may still be sent, when to warn, and the template a closed window allows instead. The
// server decides (GET /api/v1/conversations/{id} "window"); this only counts down between
// fetches and fills a template's placeholders for the preview.

import type { MessageTemplate, MessagingWindow, WindowState } from '../api/types';

/** Warn the agent this long before free text stops being possible. */
export const WARN_BEFORE_MS = 60 * 60 * 1000;

export interface WindowView {
  state: WindowState;
  /** Milliseconds until the current state ends (null: it does not end). */
  remainingMs: number | null;
  /** Less than WARN_BEFORE_MS left of free text. */
  warn: boolean;
  /** Free text is refused by the server: only a template (or nothing) can be sent. */
  freeTextBlocked: boolean;
}

/** The window at `now`, moving on by itself when a deadline passes between two fetches. */
export function viewWindow(w: MessagingWindow | null | undefined, now: number): WindowView | null {
  if (!w) return null;
  const closes = w.closes_at ? Date.parse(w.closes_at) : null;
  const expires = w.expires_at ? Date.parse(w.expires_at) : null;
  let state = w.state;
  if (state === 'open' && closes !== null && now >= closes) {
    state = expires !== null && expires > closes && now < expires ? 'human_agent_only' : 'closed';
  }
  if (state === 'human_agent_only' && expires !== null && now >= expires) state = 'closed';
  const end = state === 'open' ? closes : state === 'human_agent_only' ? expires : null;
  const remainingMs = end === null ? null : Math.max(0, end - now);
  return {
    state,
    remainingMs,
    warn: remainingMs !== null && remainingMs < WARN_BEFORE_MS,
    freeTextBlocked: state === 'closed',
  };
}

/** "23:59:59" style countdown; days are shown as "6d 23:59:59". */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return (days > 0 ? `${days}d ` : '') + `${two(h)}:${two(m)}:${two(s)}`;
}

/** How many parameter fields a template needs: its recorded count, else the highest {{n}}. */
export function parameterSlots(t: MessageTemplate): number {
  if (t.parameter_count !== null && t.parameter_count !== undefined) return t.parameter_count;
  let max = 0;
  for (const m of t.body.matchAll(/\{\{(\d+)\}\}/g)) max = Math.max(max, Number(m[1]));
  return max;
}

/** The template's body with its {{n}} placeholders filled (unfilled ones stay visible). */
export function renderTemplate(body: string, parameters: string[]): string {
  return body.replace(/\{\{(\d+)\}\}/g, (whole, n: string) => {
    const value = parameters[Number(n) - 1];
    return value ? value : whole;
  });
}

/** What WhatsApp accepts as a parameter: not empty, no new lines or tabs (error 132018). */
export function parameterProblem(value: string): 'empty' | 'newline' | null {
  if (!value.trim()) return 'empty';
  if (/[\n\t]/.test(value)) return 'newline';
  return null;
}

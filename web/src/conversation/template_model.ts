// Pure helpers of the template picker: the slash query, search, and the parameters to send.

import type { ArgumentKind, Params, ReplyTemplate } from '../api/templates';

/** The query after a leading "/" in the reply box ("/where" -> "where"), or null when the text is no slash command. */
export function slashQuery(text: string): string | null {
  const m = /^\/([\w.-]*)$/.exec(text);
  return m ? m[1].toLowerCase() : null;
}

/** Templates whose key or name contains the query; keys that start with it first. */
export function searchTemplates(all: ReplyTemplate[], query: string): ReplyTemplate[] {
  const q = query.trim().toLowerCase().replace(/^\//, '');
  if (!q) return all;
  const hits = all.filter((t) => t.key.toLowerCase().includes(q) || t.name.toLowerCase().includes(q));
  const rank = (t: ReplyTemplate) => (t.key.startsWith(q) ? 0 : t.key.includes(q) ? 1 : 2);
  return hits.sort((a, b) => rank(a) - rank(b) || a.key.localeCompare(b.key));
}

/** Starting values: the customer's name for a "name" argument, everything else empty. */
export function initialValues(args: Record<string, ArgumentKind>, contactName: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(args)) out[name] = /^(name|customer|customer_name)$/.test(name) ? contactName : '';
  return out;
}

/** The params to render with: numbers as numbers; empty values left out (the server names what is missing). */
export function toParams(args: Record<string, ArgumentKind>, values: Record<string, string>): Params {
  const out: Params = {};
  for (const [name, kind] of Object.entries(args)) {
    const v = (values[name] ?? '').trim();
    if (v === '') continue;
    out[name] = kind === 'number' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  return out;
}

// Reply templates (LG6): the workspace's calls to /api/v1/templates (docs/api.md "Templates").

import { request } from './client';
import type { Page } from './types';

export type TemplateStyle = '' | 'formal' | 'informal' | 'honorific';
export type ArgumentKind = 'text' | 'number' | 'date';

export interface TemplateVariant {
  locale: string;
  style: TemplateStyle;
  body: string;
}

export interface ReplyTemplate {
  id: number;
  key: string;
  name: string;
  source_locale: string;
  variants: TemplateVariant[];
  /** Every argument of every variant, with the kind of value it takes. */
  arguments: Record<string, ArgumentKind>;
  created_at: string;
  updated_at: string;
}

export type TemplateInput = Pick<ReplyTemplate, 'key' | 'name' | 'source_locale' | 'variants'>;
export type Fallback = 'exact' | 'language' | 'translated' | 'source';

export interface Rendered {
  template_id: number;
  key: string;
  text: string;
  locale: string;
  time_zone: string;
  variant: string;
  style: TemplateStyle;
  fallback: Fallback;
  machine_translated: boolean;
  engine?: string;
  notice?: string;
}

export interface Preview {
  ok: true;
  arguments: Record<string, ArgumentKind>;
  missing_params: string[];
  text?: string;
}

export type Params = Record<string, string | number>;

export const templatesApi = {
  list: (q = '') =>
    request<Page<ReplyTemplate>>('GET', '/api/v1/templates' + (q ? '?q=' + encodeURIComponent(q) : '')),
  get: (id: number) => request<ReplyTemplate>('GET', `/api/v1/templates/${id}`),
  create: (t: TemplateInput) => request<ReplyTemplate>('POST', '/api/v1/templates', t),
  update: (id: number, t: TemplateInput) => request<ReplyTemplate>('PUT', `/api/v1/templates/${id}`, t),
  remove: (id: number) => request<{ ok: true }>('DELETE', `/api/v1/templates/${id}`),
  render: (id: number, body: { conversation_id?: number; locale?: string; time_zone?: string; params: Params }) =>
    request<Rendered>('POST', `/api/v1/templates/${id}/render`, body),
  preview: (body: { body: string; locale?: string; time_zone?: string; params?: Params }) =>
    request<Preview>('POST', '/api/v1/templates/preview', body),
};

// Inboxes for supervisors and admins: the workspace's calls to /api/v1/inboxes (docs/api.md
// "Inboxes (administration)"). Secrets are never read back; a rotation shows the new one once.

import { request } from './client';
import type { Page } from './types';

export interface InboxSync {
  healthy: boolean;
  error: string | null;
  failures: number;
  last_attempt_at: string;
  last_success_at: string | null;
}

export interface InboxSettings {
  id: number;
  channel: string;
  name: string;
  config: Record<string, unknown>;
  webhook_url: string;
  created_at: string;
  revision: number;
  /** API inboxes: until when the secret replaced by a rotation is still accepted. */
  previous_secret_valid_until?: string | null;
  sync?: InboxSync;
}

export interface InboxPatch {
  name?: string;
  config?: Record<string, unknown | null>;
}

export interface RotatedSecret {
  id: number;
  secret: string;
  previous_secret_valid_until: string | null;
}

/** A new inbox as created: with its signing secret, shown this once. */
export type CreatedInbox = InboxSettings & { secret: string };

export const inboxesApi = {
  list: () => request<Page<InboxSettings>>('GET', '/api/v1/inboxes'),
  create: (channel: 'api' | 'webchat', name: string, config: Record<string, unknown>) =>
    request<CreatedInbox>('POST', '/api/v1/inboxes', { channel, name, config }),
  update: (id: number, patch: InboxPatch) => request<InboxSettings>('PATCH', `/api/v1/inboxes/${id}`, patch),
  rotateSecret: (id: number, graceSeconds: number) =>
    request<RotatedSecret>('POST', `/api/v1/inboxes/${id}/rotate-secret`, { grace_seconds: graceSeconds }),
};

// The workspace's HTTP client: same-origin cookie session, CSRF header on writes, errors as
// ApiError values carrying the server's {"error":{"code","message"}}.

import type {
  Agent,
  AssigneeFilter,
  Contact,
  Conversation,
  DeadLetter,
  DuplicateCandidate,
  TimelineMessage,
  Language,
  Message,
  MessageTranslation,
  Page,
  ReplyPreview,
  ReplyTranslation,
  StatusFilter,
} from './types';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Listeners told when any call answers 401 (the session expired): the app shows the login. */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A JSON body, or a raw one (a file upload) with its own headers. */
interface RawBody {
  raw: Blob;
  headers: Record<string, string>;
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const raw = body instanceof Object && 'raw' in body && (body as RawBody).raw instanceof Blob ? (body as RawBody) : null;
  const headers: Record<string, string> = { Accept: 'application/json', ...(raw?.headers ?? {}) };
  if (body !== undefined && !raw) headers['Content-Type'] = 'application/json';
  if (WRITE_METHODS.has(method)) {
    const csrf = readCookie('meridian_csrf');
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: raw ? raw.raw : body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  const text = await response.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!response.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
    if (response.status === 401 && path !== '/api/v1/auth/login') {
      unauthorizedListeners.forEach((l) => l());
    }
    throw new ApiError(response.status, err?.code ?? 'http_' + response.status, err?.message ?? response.statusText);
  }
  return json as T;
}

function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? '?' + s : '';
}

export const api = {
  login: (email: string, password: string) =>
    request<{ token: string; agent: Agent }>('POST', '/api/v1/auth/login', { email, password }),
  logout: () => request<unknown>('POST', '/api/v1/auth/logout'),
  me: () => request<Agent>('GET', '/api/v1/me'),
  setLanguage: (language: Language) => request<Agent | null>('PATCH', '/api/v1/me', { language }),
  /** The language the agent reads and writes messages in; null = the team's working language. */
  setTranslationLanguage: (translation_language: string | null) =>
    request<Agent>('PATCH', '/api/v1/me', { translation_language }),

  conversations: (p: { status: StatusFilter; assignee: AssigneeFilter; cursor?: string | null; limit?: number }) =>
    request<Page<Conversation>>(
      'GET',
      '/api/v1/conversations' + query({ status: p.status, assignee: p.assignee, cursor: p.cursor, limit: p.limit }),
    ),
  conversation: (id: number) => request<Conversation>('GET', `/api/v1/conversations/${id}`),
  messages: (id: number, cursor?: string | null, limit = 50) =>
    request<Page<Message>>('GET', `/api/v1/conversations/${id}/messages` + query({ cursor, limit })),
  reply: (id: number, text: string, translation?: ReplyTranslation) =>
    request<Message>('POST', `/api/v1/conversations/${id}/messages`, translation ? { text, translation } : { text }),
  /** A file as a reply (web chat), with an optional caption; the server sniffs and limits it. */
  sendAttachment: (id: number, file: File, caption: string, clientMessageId: string) => {
    const headers: Record<string, string> = {
      'Content-Type': file.type || 'application/octet-stream',
      'X-Filename': encodeURIComponent(file.name),
      'X-Client-Message-Id': clientMessageId,
    };
    if (caption.trim()) headers['X-Caption'] = encodeURIComponent(caption.trim());
    return request<Message>('POST', `/api/v1/conversations/${id}/attachments`, { raw: file, headers } satisfies RawBody);
  },
  /** The reply as the customer would receive it (debounced by the reply box). */
  previewReply: (id: number, text: string) => request<ReplyPreview>('POST', `/api/v1/conversations/${id}/translate`, { text }),
  /** A message in the reader's language, translated now when not cached. */
  messageTranslation: (id: number) =>
    request<MessageTranslation & { message_id: number }>('GET', `/api/v1/messages/${id}/translation`),
  assign: (id: number, agentId?: number) =>
    request<Conversation>('POST', `/api/v1/conversations/${id}/assign`, agentId === undefined ? {} : { agent_id: agentId }),
  resolve: (id: number) => request<Conversation>('POST', `/api/v1/conversations/${id}/resolve`, {}),
  reopen: (id: number) => request<Conversation>('POST', `/api/v1/conversations/${id}/reopen`, {}),
  /** Sets the conversation's language; null hands it back to detection. */
  setConversationLanguage: (id: number, language: string | null) =>
    request<Conversation>('POST', `/api/v1/conversations/${id}/language`, { language }),
  markRead: (id: number) => request<Conversation>('POST', `/api/v1/conversations/${id}/read`, {}),
  /** An approved template instead of free text (WhatsApp outside the 24-hour window). */
  sendTemplate: (id: number, template: { name: string; language: string; parameters: string[] }) =>
    request<Message>('POST', `/api/v1/conversations/${id}/messages`, { template }),
  deadLetters: () => request<Page<DeadLetter>>('GET', '/api/v1/dead-letters'),
  retryDeadLetter: (id: number) => request<Message>('POST', `/api/v1/dead-letters/${id}/retry`, {}),

  contact: (id: number) => request<Contact>('GET', `/api/v1/contacts/${id}`),
  contactMessages: (id: number, cursor?: string | null, limit = 50) =>
    request<Page<TimelineMessage>>('GET', `/api/v1/contacts/${id}/messages` + query({ cursor, limit })),
  duplicates: (id: number) => request<Page<DuplicateCandidate>>('GET', `/api/v1/contacts/${id}/duplicates`),
  /** Supervisors and admins: `otherId` goes into `id`. */
  mergeContact: (id: number, otherId: number) =>
    request<{ contact: Contact }>('POST', `/api/v1/contacts/${id}/merge`, { other_id: otherId }),
  /** Supervisors and admins: the identities (and their conversations) move to a new contact. */
  splitContact: (id: number, identityIds: number[]) =>
    request<{ contact: Contact }>('POST', `/api/v1/contacts/${id}/split`, { identity_ids: identityIds }),
};

// The shapes of docs/api.md (v1). Kept in one place so a contract change is one edit.

export type Language = 'en' | 'zh-CN';
export type Role = 'admin' | 'supervisor' | 'agent';

export interface Agent {
  id: number;
  name: string;
  email: string;
  role: Role;
  language: Language;
  /** The language the agent reads and writes messages in; null = the team's working language. */
  translation_language?: string | null;
  effective_translation_language?: string;
  working_language?: string;
}

export type ConversationStatus = 'open' | 'pending' | 'snoozed' | 'resolved';
export type StatusFilter = ConversationStatus | 'all';
export type AssigneeFilter = 'me' | 'none' | 'any';

export interface Ref {
  id: number;
  name: string;
}

export interface MessageSummary {
  id: number;
  text: string;
  direction: 'in' | 'out';
  sender_kind: SenderKind;
  created_at: string;
}

export interface Conversation {
  id: number;
  status: ConversationStatus;
  inbox: { id: number; name: string; channel: string };
  contact: Ref;
  assignee: Ref | null;
  priority?: string | number | null;
  language?: string | null;
  language_set_by_agent?: boolean;
  unread_count: number;
  last_message: MessageSummary | null;
  last_activity_at: string;
  created_at: string;
  /** Only from GET /api/v1/conversations/{id}: what an agent may write now. */
  window?: MessagingWindow;
  /** Only from GET /api/v1/conversations/{id}: files agents may send here; null: none. */
  uploads?: UploadLimits | null;
}

export interface UploadLimits {
  max_bytes: number;
  types: string[];
  /** False: files go without text on this channel (Messenger). */
  captions?: boolean;
  max_caption_chars?: number | null;
}

/** A channel's messaging window (WhatsApp 24 h then templates; Messenger/Instagram HUMAN_AGENT). */
export type WindowState = 'none' | 'open' | 'human_agent_only' | 'closed';
export interface MessagingWindow {
  state: WindowState;
  closes_at: string | null;
  expires_at: string | null;
  allowed_templates: MessageTemplate[];
}

/** A message template the provider approved for an inbox. */
export interface MessageTemplate {
  name: string;
  languages: string[];
  parameter_count: number | null;
  body: string;
}

export interface DeadLetter {
  id: number;
  message_id: number;
  conversation_id: number;
  inbox: { id: number; name: string; channel: string };
  contact: { name: string };
  text: string;
  attempts: number;
  last_error: string;
  created_at: string;
}

export type SenderKind = 'customer' | 'agent' | 'bot' | 'system';
export type MessageStatus = 'received' | 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface Message {
  id: number;
  conversation_id: number;
  direction: 'in' | 'out';
  sender_kind: SenderKind;
  sender: Ref | null;
  text: string;
  content_type: 'text';
  status: MessageStatus;
  client_message_id: string | null;
  created_at: string;
  /** Agents only: the detected language and the NLU findings, null until enriched. */
  language?: string | null;
  nlu?: Nlu | null;
  /** True when sensitive personal data in `text` is masked for this agent's role. */
  masked?: boolean;
  /** The provider's error of a failed delivery. */
  error?: string;
  /** Set while the message is a dead letter: POST /api/v1/dead-letters/{id}/retry retries it. */
  dead_letter_id?: number;
  /** Files that came with the message (agents only). */
  attachments?: Attachment[];
  /** Provider details; for email the subject and threading, and `automated` for machine mail. */
  meta?: MessageMeta;
  /** The message in the reader's translation language, when at hand (message lists only). */
  translation?: MessageTranslation | null;
  /** True when the message is in another language and no translation is at hand yet. */
  translation_missing?: boolean;
  /** A reply sent in translation: what the agent wrote (`text` is what the customer got). */
  original?: { text: string; language: string };
}

/** A file served by GET /api/v1/attachments/{id}; its type was sniffed from the bytes. */
export interface Attachment {
  id: number;
  name: string;
  content_type: string;
  size: number;
  inline: boolean;
  content_id: string | null;
  /** null when the file was over the channel's size limit and not stored. */
  url: string | null;
  /** Provider media is fetched after the message arrives: pending, then stored or failed. */
  download?: 'stored' | 'described' | 'pending' | 'failed';
  /** Why a download failed or was refused (shown to agents). */
  error?: string | null;
}

export interface MessageMeta {
  email?: { subject?: string; full_text?: string; quoted_stripped?: boolean };
  /** Written by a machine (auto-reply, list mail, bounce): never answered by automation. */
  automated?: 'auto_reply' | 'bulk' | 'bounce';
  [key: string]: unknown;
}

export interface MessageTranslation {
  text: string;
  language: string;
  engine: string;
}

export interface MemoryMatch {
  source: string;
  target: string;
  score: number;
  approved: boolean;
}

/** POST /api/v1/conversations/{id}/translate */
export interface ReplyPreview {
  translation: string | null;
  from: string;
  to: string | null;
  needed: boolean;
  available: boolean;
  engine: string | null;
  via: string | null;
  memory: { exact: boolean; fuzzy: MemoryMatch[] };
  unavailable: { code: string; message: string } | null;
}

/** The translation sent with a reply. */
export interface ReplyTranslation {
  text: string;
  edited?: boolean;
  approve?: boolean;
}

/** What the pipeline found in an inbound message (see docs/api.md, "Message insights"). */
export interface Nlu {
  version: number;
  language: { code: string; confidence: number };
  intent: { id: string; confidence: number; alternatives: [string, number][] };
  sentiment: {
    label: 'negative' | 'neutral' | 'positive';
    polarity: number;
    emotions: Record<'anger' | 'frustration' | 'anxiety' | 'satisfaction' | 'urgency', number>;
  };
  entities?: { type: string; text: string; start: number; end: number; normalized: string; confidence: number }[];
  pii?: { type: string; start: number; end: number; subtype?: string }[];
  /** The text in the team's working language, when it was written in another one. */
  translation?: { text: string; language: string; engine: string; via?: string };
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** CH8: an email or phone a channel gave for one identity of a contact. */
export interface ContactAttribute {
  kind: 'email' | 'phone';
  value: string;
  verified: boolean;
  identity_id: number;
}

export interface ContactIdentity {
  id: number;
  inbox_id: number;
  inbox_name: string;
  channel: string;
  external_id: string;
  name: string;
  created_at: string;
  attributes: ContactAttribute[];
}

export interface Contact {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  language: string | null;
  country: string | null;
  time_zone: string | null;
  created_at: string;
  identities: ContactIdentity[];
  conversations: Conversation[];
}

export interface DuplicateCandidate {
  contact: Omit<Contact, 'identities' | 'conversations'>;
  shared: ContactAttribute[];
}

/** A message of the contact's cross-channel timeline. */
export interface TimelineMessage extends Message {
  channel?: string;
  inbox_name?: string;
}

/** Frames the server pushes on /api/v1/ws. */
export type AgentEvent =
  | { type: 'message.created'; conversation: Conversation; message: Message }
  | { type: 'message.updated'; conversation?: Conversation; message: Message }
  | { type: 'conversation.updated'; conversation: Conversation }
  | {
      type: 'contact.updated';
      action: 'merge' | 'auto_merge' | 'split';
      contact_id: number;
      other_contact_ids: number[];
      conversation_ids: number[];
    }
  | { type: 'typing'; conversation_id: number; sender_kind: SenderKind };

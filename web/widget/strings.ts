// Visitor-facing texts of the widget, picked from the page's or browser's language. A small
// table rather than i18next keeps widget.js tiny; widget/strings.test.ts checks completeness.

export const STRINGS = {
  en: {
    open: 'Open chat',
    close: 'Close chat',
    title: 'Chat with us',
    subtitleOnline: 'We usually reply within minutes',
    subtitleConnecting: 'Connecting…',
    subtitleOffline: 'Offline, reconnecting…',
    empty: 'Hi! How can we help you today?',
    inputLabel: 'Your message',
    placeholder: 'Write a message…',
    send: 'Send',
    sending: 'Sending',
    sent: 'Sent',
    delivered: 'Delivered',
    read: 'Read',
    failed: 'Not sent',
    agentTyping: 'is typing…',
    you: 'You',
    support: 'Support',
    unread: 'new messages',
    showOriginal: 'Show original',
    showTranslation: 'Show translation',
    attach: 'Attach a file',
    uploading: 'Sending file…',
    fileTooLarge: 'This file is too large (at most {size})',
    fileUnsupported: 'Only images, PDFs and text files can be sent',
    fileFailed: 'The file could not be sent',
    dismiss: 'Dismiss',
  },
  de: {
    open: 'Chat öffnen',
    close: 'Chat schließen',
    title: 'Schreiben Sie uns',
    subtitleOnline: 'Wir antworten meist innerhalb weniger Minuten',
    subtitleConnecting: 'Verbinde…',
    subtitleOffline: 'Offline, verbinde neu…',
    empty: 'Hallo! Wie können wir helfen?',
    inputLabel: 'Ihre Nachricht',
    placeholder: 'Nachricht schreiben…',
    send: 'Senden',
    sending: 'Wird gesendet',
    sent: 'Gesendet',
    delivered: 'Zugestellt',
    read: 'Gelesen',
    failed: 'Nicht gesendet',
    agentTyping: 'schreibt…',
    you: 'Sie',
    support: 'Support',
    unread: 'neue Nachrichten',
    showOriginal: 'Original anzeigen',
    showTranslation: 'Übersetzung anzeigen',
    attach: 'Datei anhängen',
    uploading: 'Datei wird gesendet…',
    fileTooLarge: 'Diese Datei ist zu groß (höchstens {size})',
    fileUnsupported: 'Nur Bilder, PDFs und Textdateien können gesendet werden',
    fileFailed: 'Die Datei konnte nicht gesendet werden',
    dismiss: 'Schließen',
  },
  'zh-CN': {
    open: '打开聊天',
    close: '关闭聊天',
    title: '在线咨询',
    subtitleOnline: '我们通常几分钟内回复',
    subtitleConnecting: '正在连接…',
    subtitleOffline: '已离线，正在重新连接…',
    empty: '您好！有什么可以帮您？',
    inputLabel: '您的消息',
    placeholder: '输入消息…',
    send: '发送',
    sending: '发送中',
    sent: '已发送',
    delivered: '已送达',
    read: '已读',
    failed: '发送失败',
    agentTyping: '正在输入…',
    you: '我',
    support: '客服',
    unread: '条新消息',
    showOriginal: '查看原文',
    showTranslation: '查看译文',
    attach: '添加文件',
    uploading: '正在发送文件…',
    fileTooLarge: '文件过大（最大 {size}）',
    fileUnsupported: '只能发送图片、PDF 和文本文件',
    fileFailed: '文件发送失败',
    dismiss: '关闭',
  },
} as const;

export type Strings = { readonly [K in keyof (typeof STRINGS)['en']]: string };

export function pickLocale(candidates: readonly (string | null | undefined)[]): keyof typeof STRINGS {
  for (const c of candidates) {
    if (!c) continue;
    const l = c.toLowerCase();
    if (l.startsWith('zh')) return 'zh-CN';
    if (l.startsWith('de')) return 'de';
    if (l.startsWith('en')) return 'en';
  }
  return 'en';
}

import { useTranslation } from 'react-i18next';
import type { Attachment } from '../api/types';

import { formatSize } from '../lib/format';

// Types the server sends inline (sniffed from the bytes): safe to show as a thumbnail.
const THUMBNAIL_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp']);

/** How a file is shown: a thumbnail, a download link, or a note that it was not stored. */
export function attachmentKind(f: Attachment): 'thumbnail' | 'download' | 'not_stored' | 'pending' | 'failed' {
  if (f.download === 'pending') return 'pending';
  if (f.download === 'failed') return 'failed';
  if (!f.url) return 'not_stored';
  return THUMBNAIL_TYPES.has(f.content_type) ? 'thumbnail' : 'download';
}

/** A message's files (CH9): image thumbnails and download links; the original mail last. */
export function Attachments({ files }: { files: Attachment[] }) {
  const { t } = useTranslation();
  if (files.length === 0) return null;
  return (
    <div className="msg-attachments" data-testid="message-attachments">
      {files.map((f) => {
        const name = f.name === 'original.eml' && f.content_type === 'message/rfc822' ? t('attachments.original') : f.name || t('attachments.unnamed');
        const kind = attachmentKind(f);
        if (kind === 'pending') {
          return (
            <span key={f.id} className="attachment muted small" data-testid="attachment-pending">
              {name} · {t('attachments.downloading')}
            </span>
          );
        }
        if (kind === 'failed') {
          return (
            <span key={f.id} className="attachment muted small" title={f.error ?? ''} data-testid="attachment-failed">
              {name} · {t('attachments.failed', { reason: f.error ?? '' })}
            </span>
          );
        }
        if (kind === 'not_stored' || !f.url) {
          return (
            <span key={f.id} className="attachment muted small" title={t('attachments.tooLarge')}>
              {name} · {formatSize(f.size)} · {t('attachments.tooLarge')}
            </span>
          );
        }
        if (kind === 'thumbnail') {
          return (
            <a key={f.id} className="attachment thumb" href={f.url} target="_blank" rel="noopener noreferrer" title={name} data-testid="attachment-thumbnail">
              <img src={f.url} alt={name} loading="lazy" />
            </a>
          );
        }
        return (
          <a key={f.id} className="attachment file small" href={f.url} download={f.name || undefined} data-testid="attachment-link">
            {name} · {formatSize(f.size)}
          </a>
        );
      })}
    </div>
  );
}

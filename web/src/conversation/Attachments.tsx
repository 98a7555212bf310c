import { useTranslation } from 'react-i18next';
import type { Attachment } from '../api/types';

// Types the server sends inline (sniffed from the bytes): safe to show as a thumbnail.
const THUMBNAIL_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp']);

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A message's files (CH9): image thumbnails and download links; the original mail last. */
export function Attachments({ files }: { files: Attachment[] }) {
  const { t } = useTranslation();
  if (files.length === 0) return null;
  return (
    <div className="msg-attachments" data-testid="message-attachments">
      {files.map((f) => {
        const name = f.name === 'original.eml' && f.content_type === 'message/rfc822' ? t('attachments.original') : f.name || t('attachments.unnamed');
        if (!f.url) {
          return (
            <span key={f.id} className="attachment muted small" title={t('attachments.tooLarge')}>
              {name} · {formatSize(f.size)} · {t('attachments.tooLarge')}
            </span>
          );
        }
        if (THUMBNAIL_TYPES.has(f.content_type)) {
          return (
            <a key={f.id} className="attachment thumb" href={f.url} target="_blank" rel="noopener noreferrer" title={name}>
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

// Whether the text written so far can go with a file as its caption on this channel.

import type { UploadLimits } from '../api/types';

/** The caption to send with a file, or null when the file must go alone (the channel sends
 * files without text, or the text is longer than its captions may be): the text then stays in
 * the reply box to be sent as its own message. An empty text is an empty caption. */
export function captionFor(uploads: UploadLimits, text: string): string | null {
  const caption = text.trim();
  if (!caption) return '';
  if (uploads.captions === false) return null;
  if (uploads.max_caption_chars && [...caption].length > uploads.max_caption_chars) return null;
  return caption;
}

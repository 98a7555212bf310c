import { describe, expect, it } from 'vitest';
import type { Attachment } from '../api/types';
import { formatSize } from '../lib/format';
import { attachmentKind } from './Attachments';

const file = (over: Partial<Attachment>): Attachment => ({
  id: 1, name: 'x', content_type: 'image/png', size: 70, inline: false, content_id: null,
  url: '/api/v1/attachments/1', ...over,
});

describe('attachments in a message', () => {
  it('shows raster images as thumbnails and everything else as a download', () => {
    expect(attachmentKind(file({ content_type: 'image/jpeg' }))).toBe('thumbnail');
    expect(attachmentKind(file({ content_type: 'application/pdf' }))).toBe('download');
    // Active markup is never rendered in the page, whatever its name says.
    expect(attachmentKind(file({ name: 'cat.png', content_type: 'text/html' }))).toBe('download');
    expect(attachmentKind(file({ content_type: 'image/svg+xml' }))).toBe('download');
  });

  it('says when a file was over the size limit', () => {
    expect(attachmentKind(file({ url: null }))).toBe('not_stored');
  });

  it('shows provider media still downloading, and a failed download with its reason', () => {
    expect(attachmentKind(file({ url: null, download: 'pending' }))).toBe('pending');
    expect(attachmentKind(file({ url: null, download: 'failed', error: 'HTTP 404' }))).toBe('failed');
    expect(attachmentKind(file({ download: 'stored' }))).toBe('thumbnail');
  });

  it('formats sizes', () => {
    expect(formatSize(70)).toBe('70 B');
    expect(formatSize(12800)).toBe('12.5 KB');
    expect(formatSize(3.2 * 1024 * 1024)).toBe('3.2 MB');
  });
});

import { describe, expect, it } from 'vitest';
import { captionFor } from './caption';

const limits = { max_bytes: 1000, types: ['image/png'] };

describe('captionFor', () => {
  it('sends the written text as the caption where the channel takes it', () => {
    expect(captionFor({ ...limits, captions: true, max_caption_chars: 1024 }, '  Here is the label ')).toBe('Here is the label');
    expect(captionFor(limits, 'older servers say nothing: captions allowed')).toBe('older servers say nothing: captions allowed');
  });
  it('sends the file alone where files carry no text, or the text is too long', () => {
    expect(captionFor({ ...limits, captions: false }, 'Here it is')).toBeNull();
    expect(captionFor({ ...limits, captions: true, max_caption_chars: 5 }, 'sixsix')).toBeNull();
    // Characters, not UTF-16 units: five emoji fit five characters.
    expect(captionFor({ ...limits, captions: true, max_caption_chars: 5 }, '😀😀😀😀😀')).toBe('😀😀😀😀😀');
  });
  it('an empty text is an empty caption everywhere', () => {
    expect(captionFor({ ...limits, captions: false }, '   ')).toBe('');
  });
});

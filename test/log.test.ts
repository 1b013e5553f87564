import { describe, expect, it } from 'vitest';
import { withoutTokens } from '../src/log.js';

describe('withoutTokens', () => {
  it('keeps the token of a one-time link out of the logged path', () => {
    expect(withoutTokens('/invitations/abcDEF_123-xyz')).toBe('/invitations/[redacted]');
    expect(withoutTokens('/password-resets/abcDEF_123-xyz')).toBe('/password-resets/[redacted]');
    expect(withoutTokens('/calendar/abcDEF_123-xyz.ics')).toBe('/calendar/[redacted]');
    expect(withoutTokens('/centers/c-1/invitations')).toBe('/centers/c-1/invitations');
  });
});

import { describe, expect, it } from 'vitest';
import { hashPassword, STRONG_SCRYPT, verifyPassword } from '../src/passwords.js';
import { TEST_SCRYPT } from './support/deps.js';

describe('hashPassword', () => {
  it('uses scrypt with N=2^15, r=8, p=1 by default, with a salt of its own each time', async () => {
    expect(STRONG_SCRYPT).toEqual({ N: 32768, r: 8, p: 1 });
    const a = await hashPassword('ratiowatch-demo');
    const b = await hashPassword('ratiowatch-demo');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{88}$/);
    expect(a).not.toBe(b);
  });
});

describe('verifyPassword', () => {
  it('accepts the password and refuses anything else', async () => {
    const stored = await hashPassword('correct horse', TEST_SCRYPT);
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsE', stored)).toBe(false);
  });

  it('refuses, after the same work, when there is no stored hash or it is not ours', async () => {
    expect(await verifyPassword('anything', null, TEST_SCRYPT)).toBe(false);
    expect(await verifyPassword('anything', 'bcrypt$whatever', TEST_SCRYPT)).toBe(false);
    expect(await verifyPassword('anything', `scrypt$${2 ** 24}$8$1$AAAA$AAAA`, TEST_SCRYPT)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { hashPassword, passwordWeakness, STRONG_SCRYPT, verifyPassword } from '../src/passwords.js';
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

describe('passwordWeakness', () => {
  it('L5: refuses aaaaaaaaaaaa and password1234', () => {
    expect(passwordWeakness('aaaaaaaaaaaa')).toBe('repetitive');
    expect(passwordWeakness('password1234')).toBe('common');
  });

  it('refuses a common password in any case, or with up to 4 digits or symbols around it', () => {
    for (const p of ['PASSWORD1234', 'qwertyuiop123', '123456789012', 'passwordpassword', 'iloveyou1234', 'sunshine!!!!', '2024sunshine']) expect(passwordWeakness(p), p).toBe('common');
    // Past 4 added characters it is no longer the list's password.
    expect(passwordWeakness('sunshine!8#2k5')).toBeNull();
  });

  it('refuses fewer than 4 different characters, a short run repeated, and sequences either way', () => {
    for (const p of ['xxxxxxxxxxxx', 'abababababab', '112233112233', 'abcdabcdabcd', 'ab12ab12ab12', 'Zyxwvutsrqpo', 'abcdefghijklmn', 'qwertyuiopas', 'lkjhgfdsapoi', '567890123456']) {
      expect(passwordWeakness(p), p).toBe('repetitive');
    }
  });

  it('takes passphrases, with no composition rules', () => {
    for (const p of ['correct horse battery staple', 'maple syrup on a tuesday', 'ratiowatch-demo', 'mn-childcare-ratio', 'Maple Street 2026', 'zwölf Äpfel im Korb']) expect(passwordWeakness(p), p).toBeNull();
  });
});

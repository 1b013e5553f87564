import { describe, expect, it } from 'vitest';
import { sniffCertificateType, typeClaimedByName } from '../../../src/web/uploads/sniff.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
const text = (s: string) => new TextEncoder().encode(s);

describe('sniffCertificateType', () => {
  it('tells a PDF by its %PDF- header', () => {
    expect(sniffCertificateType(text('%PDF-1.7\n%âãÏÓ'))).toBe('application/pdf');
  });

  it('tells a PNG by its full eight-byte signature, and not by the first four alone', () => {
    expect(sniffCertificateType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0))).toBe('image/png');
    expect(sniffCertificateType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a))).toBeNull();
  });

  it('tells a JPEG by FF D8 FF', () => {
    expect(sniffCertificateType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(sniffCertificateType(bytes(0xff, 0xd8))).toBeNull();
  });

  it('refuses HTML, text, an empty file and a PDF header that does not start the file', () => {
    expect(sniffCertificateType(text('<!doctype html><script>alert(1)</script>'))).toBeNull();
    expect(sniffCertificateType(text('hello'))).toBeNull();
    expect(sniffCertificateType(new Uint8Array())).toBeNull();
    expect(sniffCertificateType(text(' %PDF-1.4'))).toBeNull();
    expect(sniffCertificateType(text('%PDF'))).toBeNull();
  });
});

describe('typeClaimedByName', () => {
  it('reads pdf, png, jpg and jpeg in any case, and nothing else', () => {
    expect(typeClaimedByName('CPR card.PDF')).toBe('application/pdf');
    expect(typeClaimedByName('photo.jpeg')).toBe('image/jpeg');
    expect(typeClaimedByName('photo.JPG')).toBe('image/jpeg');
    expect(typeClaimedByName('scan.png')).toBe('image/png');
    expect(typeClaimedByName('scan.heic')).toBeNull();
    expect(typeClaimedByName('certificate')).toBeNull();
    expect(typeClaimedByName('pdf')).toBeNull();
  });
});

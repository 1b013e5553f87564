/** The certificate types accepted, told by their first bytes: a name or a declared type says nothing. */
export type CertificateType = 'application/pdf' | 'image/png' | 'image/jpeg';

export const CERTIFICATE_EXTENSIONS: Readonly<Record<CertificateType, string>> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
};

const SIGNATURES: readonly (readonly [CertificateType, readonly number[]])[] = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]], // \x89PNG\r\n\x1a\n
  ['image/jpeg', [0xff, 0xd8, 0xff]],
];

/** The type the content starts as, or null for anything else (HTML, an empty file, a renamed executable). */
export function sniffCertificateType(bytes: Uint8Array): CertificateType | null {
  for (const [type, magic] of SIGNATURES) {
    if (bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b)) return type;
  }
  return null;
}

/** The type a file name's extension claims, when it is one of ours; null for any other name. */
export function typeClaimedByName(filename: string): CertificateType | null {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  if (ext === 'pdf') return 'application/pdf';
  if (ext === 'png') return 'image/png';
  if (ext === 'jpg' || ext === 'jpeg') return 'image/jpeg';
  return null;
}

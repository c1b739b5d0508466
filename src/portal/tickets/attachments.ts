// What a ticket attachment may be (docs/decisions/031): at most 5 files per message, each at most
// 5 MiB and not empty, 10 MiB together; the type is decided by the file name's extension from a
// short list and checked against the content's signature where there is one; the name is kept
// without any path and must not contain control characters. Served back only as a download.
import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../errors.ts';
import type { UploadedFile } from './multipart.ts';

export const MAX_FILES = 5;
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_TOTAL_BYTES = 10 * 1024 * 1024;
export const MAX_NAME = 200;

/** Extension → the Content-Type we store and serve, and a signature the content must start with. */
const TYPES: Record<string, { type: string; magic?: Buffer[]; text?: true }> = {
  pdf: { type: 'application/pdf', magic: [Buffer.from('%PDF-')] },
  png: { type: 'image/png', magic: [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])] },
  jpg: { type: 'image/jpeg', magic: [Buffer.from([0xff, 0xd8, 0xff])] },
  jpeg: { type: 'image/jpeg', magic: [Buffer.from([0xff, 0xd8, 0xff])] },
  gif: { type: 'image/gif', magic: [Buffer.from('GIF87a'), Buffer.from('GIF89a')] },
  txt: { type: 'text/plain; charset=utf-8', text: true },
  log: { type: 'text/plain; charset=utf-8', text: true },
  csv: { type: 'text/csv; charset=utf-8', text: true },
  zip: { type: 'application/zip', magic: [Buffer.from([0x50, 0x4b, 0x03, 0x04])] },
  xlsx: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', magic: [Buffer.from([0x50, 0x4b, 0x03, 0x04])] },
  docx: { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: [Buffer.from([0x50, 0x4b, 0x03, 0x04])] },
  pptx: { type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', magic: [Buffer.from([0x50, 0x4b, 0x03, 0x04])] },
};
export const ALLOWED_EXTENSIONS = Object.keys(TYPES);

export interface CheckedFile { filename: string; contentType: string; size: number; sha256: string; data: Buffer }

/** The name without any directory part a client may send (C:\…\a.pdf, ../a.pdf). */
export function baseName(name: string): string {
  return name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
}

function refuse(code: 'tickets.attachment_too_many' | 'tickets.attachment_too_large' | 'tickets.attachment_empty' | 'tickets.attachment_type' | 'tickets.attachment_name', params: Record<string, string | number> = {}): never {
  throw new DomainError(code, params, { attachments: [{ key: code, params }] });
}

/** Checks every file of one message; the first problem refuses them all (nothing is stored). */
export function checkAttachments(files: readonly UploadedFile[]): CheckedFile[] {
  if (files.length > MAX_FILES) refuse('tickets.attachment_too_many', { max: MAX_FILES });
  let total = 0;
  return files.map((f) => {
    // NFC: a macOS browser sends decomposed kana; one spelling per name.
    const filename = baseName(f.filename).normalize('NFC').trim();
    if (!filename || filename.length > MAX_NAME || /[\u0000-\u001f\u007f]/.test(f.filename) || filename === '.' || filename === '..') {
      refuse('tickets.attachment_name', { max: MAX_NAME });
    }
    if (f.data.length === 0) refuse('tickets.attachment_empty', { name: filename });
    if (f.data.length > MAX_FILE_BYTES) refuse('tickets.attachment_too_large', { name: filename, max: '5 MiB', total: '10 MiB' });
    total += f.data.length;
    if (total > MAX_TOTAL_BYTES) refuse('tickets.attachment_too_large', { name: filename, max: '5 MiB', total: '10 MiB' });
    const ext = /\.([A-Za-z0-9]{1,5})$/.exec(filename)?.[1]?.toLowerCase() ?? '';
    const rule = TYPES[ext];
    const ok = rule && (rule.magic ? rule.magic.some((m) => f.data.subarray(0, m.length).equals(m)) : !f.data.includes(0));
    if (!rule || !ok) refuse('tickets.attachment_type', { name: filename, allowed: ALLOWED_EXTENSIONS.join(', ') });
    return { filename, contentType: rule.type, size: f.data.length, sha256: createHash('sha256').update(f.data).digest('hex'), data: f.data };
  });
}

/** Content-Disposition for a download (RFC 6266 with the RFC 5987 filename*): ASCII fallback + UTF-8. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * The one way an attachment leaves the server, for the customer's page and the provider's console
 * alike: always a download (attachment disposition), the stored safe type, nosniff, a sandbox CSP in
 * case a browser renders it anyway, never cached.
 */
export function sendAttachment(reply: FastifyReply, a: { filename: string; content_type: string; content_b64: string }): FastifyReply {
  return reply
    .header('content-type', a.content_type)
    .header('content-disposition', contentDisposition(a.filename))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-store')
    .send(Buffer.from(a.content_b64, 'base64'));
}

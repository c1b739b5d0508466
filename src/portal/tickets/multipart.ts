// A small, strict multipart/form-data reader (RFC 7578) for the ticket forms, so attachments work
// with a plain HTML form and no JavaScript, without a new dependency (docs/decisions/031). The body
// arrives whole (Fastify's bodyLimit caps it), and this function caps parts, headers and field
// sizes. Anything it does not understand is refused (MultipartError → 400), never guessed.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../../errors.ts';

export interface UploadedFile { field: string; filename: string; declaredType: string; data: Buffer }
/** Fields a form may send several times (a `<select multiple>`). */
const LIST_FIELDS = new Set(['cc']);

export interface MultipartBody { fields: Record<string, string>; files: UploadedFile[] }

export class MultipartError extends Error {}

export const MAX_PARTS = 20;
const MAX_HEADER_BYTES = 2048;
const MAX_FIELD_BYTES = 64 * 1024;

/** The boundary parameter of a multipart/form-data Content-Type (RFC 2046 §5.1.1: 1–70 chars). */
export function boundaryOf(contentType: string): string {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  const b = m?.[1] ?? m?.[2];
  if (!b || !/^[0-9A-Za-z'()+_,\-./:=? ]+$/.test(b)) throw new MultipartError('boundary');
  return b;
}

function param(header: string, name: string): string | undefined {
  // name="value" (quoted; browsers escape " as %22 and line breaks as %0D%0A) or name*=UTF-8''pct (RFC 5987).
  const ext = new RegExp(`;\\s*${name}\\*=UTF-8''([^;\\s]*)`, 'i').exec(header);
  if (ext) {
    try { return decodeURIComponent(ext[1]!); } catch { throw new MultipartError('param'); }
  }
  const q = new RegExp(`;\\s*${name}="([^"]*)"`, 'i').exec(header);
  // WHATWG HTML's form encoding writes " CR LF in a name as %22 %0D %0A (and nothing else).
  if (q) return q[1]!.replace(/%(22|0D|0A)/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  const bare = new RegExp(`;\\s*${name}=([^;\\s"]+)`, 'i').exec(header);
  return bare?.[1];
}

export function parseMultipart(body: Buffer, contentType: string): MultipartBody {
  const boundary = Buffer.from(`--${boundaryOf(contentType)}`);
  const out: MultipartBody = { fields: Object.create(null) as Record<string, string>, files: [] };
  let pos = body.indexOf(boundary);
  if (pos !== 0) throw new MultipartError('start');
  let parts = 0;
  for (;;) {
    pos += boundary.length;
    // "--" after a boundary ends the body (an epilogue after it is ignored, RFC 2046).
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return out;
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) throw new MultipartError('boundary line');
    pos += 2;
    if (++parts > MAX_PARTS) throw new MultipartError('too many parts');
    const headEnd = body.indexOf('\r\n\r\n', pos);
    if (headEnd === -1 || headEnd - pos > MAX_HEADER_BYTES) throw new MultipartError('part headers');
    const headers = body.subarray(pos, headEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), boundary]), headEnd + 4);
    if (next === -1) throw new MultipartError('unterminated part');
    const data = body.subarray(headEnd + 4, next);
    let disposition = '';
    let type = 'application/octet-stream';
    for (const h of headers) {
      const i = h.indexOf(':');
      if (i <= 0) throw new MultipartError('header');
      const name = h.slice(0, i).trim().toLowerCase();
      const value = h.slice(i + 1).trim();
      if (name === 'content-disposition') disposition = value;
      else if (name === 'content-type') type = value.toLowerCase().split(';', 1)[0]!.trim();
    }
    if (!/^form-data\s*(;|$)/i.test(disposition)) throw new MultipartError('disposition');
    const field = param(disposition, 'name');
    if (!field || field.length > 64) throw new MultipartError('field name');
    const filename = param(disposition, 'filename');
    if (filename !== undefined) {
      // A file input left empty is sent as a part with an empty filename and no content.
      if (!(filename === '' && data.length === 0)) out.files.push({ field, filename, declaredType: type, data: Buffer.from(data) });
    } else {
      if (data.length > MAX_FIELD_BYTES) throw new MultipartError('field too large');
      // A repeated field is refused, but for a multiple select (issue 24: colleagues in copy), whose
      // values (ids, no commas) are joined with commas.
      if (field in out.fields) {
        if (!LIST_FIELDS.has(field)) throw new MultipartError('repeated field');
        out.fields[field] += `,${data.toString('utf8')}`;
      } else out.fields[field] = data.toString('utf8');
    }
    pos = next + 2;
  }
}

/**
 * Registers the strict multipart reader on a Fastify scope (tickets, the console's logo and report
 * uploads): a multipart body is read whole before any guard runs, so a request without a session
 * cookie at all is refused unread; the files go beside the body (`files`), the fields become it.
 */
export function acceptMultipart(
  app: { addHook: FastifyInstance['addHook']; addContentTypeParser: FastifyInstance['addContentTypeParser'] },
  o: { sessionCookie: string; bodyLimit: number; files: WeakMap<FastifyRequest, UploadedFile[]> },
): void {
  app.addHook('onRequest', async (req: FastifyRequest) => {
    if (/^multipart\/form-data\b/i.test(String(req.headers['content-type'] ?? '')) && !req.cookies[o.sessionCookie]) throw new DomainError('auth.unauthenticated');
  });
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: o.bodyLimit }, (req, body, done) => {
    try {
      const parsed = parseMultipart(body as Buffer, String(req.headers['content-type'] ?? ''));
      o.files.set(req, parsed.files);
      done(null, parsed.fields);
    } catch (err) {
      if (!(err instanceof MultipartError)) return done(err as Error, undefined);
      done(Object.assign(new Error('bad multipart body'), { statusCode: 400 }), undefined);
    }
  });
}

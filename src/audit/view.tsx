// An audit row on a page: the sentence, then its details as a short list. Text only, through JSX,
// so a detail value (a name, a login ID someone typed) is always escaped, never markup.
import type { AuditDescription } from './describe.ts';

export function AuditEventText({ d }: { d: AuditDescription }) {
  return (
    <>
      <span class="audit-sentence">{d.sentence}</span>
      {d.details.length > 0 && <ul class="audit-details">{d.details.map((s) => <li>{s}</li>)}</ul>}
    </>
  );
}

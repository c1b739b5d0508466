// An audit row on a page: the sentence, then its details as a short list. Text only, through JSX,
// so a detail value (a name, a login ID someone typed) is always escaped, never markup.
import type { AuditDescription } from './describe.ts';

export function AuditEventText({ d }: { d: AuditDescription }) {
  return (
    // One wrapper: a stacked table's cell (phone) lays out its label and ONE content box side by side.
    <div class="audit-text">
      <span class="audit-sentence">{d.sentence}</span>
      {d.details.length > 0 && <ul class="audit-details">{d.details.map((s) => <li>{s}</li>)}</ul>}
    </div>
  );
}

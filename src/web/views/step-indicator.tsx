// Where a multi-step process stands: an ordered list; the current step has aria-current="step";
// each step says its state in words (screen-reader text), the tick and colour only repeat it.
import type { T } from '../../i18n/index.ts';

/**
 * Props: `steps` (labels in order), `current` (0-based index), `label` (the list's name), `skipped`
 * (indexes of steps this person does not meet, e.g. no terms to accept: said in visible words).
 */
export function StepIndicator({ t, steps, current, label, skipped }: { t: T; steps: string[]; current: number; label?: string; skipped?: readonly number[] }) {
  return (
    <ol class="step-indicator" aria-label={label ?? t('ui.steps', { n: current + 1, total: steps.length })}>
      {steps.map((s, i) => {
        const state = i === current ? 'current' : skipped?.includes(i) ? 'skipped' : i < current ? 'done' : 'todo';
        return (
          <li class={state} aria-current={state === 'current' ? 'step' : undefined}>
            <span>{s}</span> <span class={state === 'skipped' ? 'state' : 'sr'}>({t(`ui.step_${state}`)})</span>
          </li>
        );
      })}
    </ol>
  );
}
